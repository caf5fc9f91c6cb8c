// Stand-in for the example's ui.js (a web page): status lines go to stdout, charts nowhere.
export function logStatus(message) {
  console.log(message);
}
export function getModelTypeId() {
  return process.env.TFJS_MNIST_MODEL ?? 'ConvNet';
}
export function getTrainEpochs() {
  return Number(process.env.TFJS_MNIST_EPOCHS ?? 3);
}
export function plotLoss() {}
export function plotAccuracy() {}
export function showTestResults(batch, predictions, labels) {
  const correct = predictions.filter((p, i) => p === labels[i]).length;
  console.log(`Predictions: ${correct} of ${predictions.length} correct`);
}
