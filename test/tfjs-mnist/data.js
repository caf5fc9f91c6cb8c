import * as tf from 'mnist-lab';

export const IMAGE_H = 28;
export const IMAGE_W = 28;
const IMAGE_SIZE = IMAGE_H * IMAGE_W;
const NUM_CLASSES = 10;
const NUM_TRAIN_ELEMENTS = Number(process.env.TFJS_MNIST_TRAIN ?? 3000);
const NUM_TEST_ELEMENTS = Number(process.env.TFJS_MNIST_TEST ?? 500);
export class MnistData {
  constructor() {}

  // Replaces the example's sprite download: the same arrays, from the IDX files.
  async load() {
    const { train, test } = await tf.datasets.mnist.loadData();
    const n = NUM_TRAIN_ELEMENTS + NUM_TEST_ELEMENTS;
    this.datasetImages = new Float32Array(n * IMAGE_SIZE);
    this.datasetLabels = new Uint8Array(n * NUM_CLASSES);
    for (let i = 0; i < n; i++) {
      const src = i < NUM_TRAIN_ELEMENTS ? train : test;
      const j = i < NUM_TRAIN_ELEMENTS ? i : i - NUM_TRAIN_ELEMENTS;
      for (let p = 0; p < IMAGE_SIZE; p++) {
        this.datasetImages[i * IMAGE_SIZE + p] = src.images.data[j * IMAGE_SIZE + p] / 255;
      }
      this.datasetLabels[i * NUM_CLASSES + src.labels.data[j]] = 1;
    }

    this.trainImages =
        this.datasetImages.slice(0, IMAGE_SIZE * NUM_TRAIN_ELEMENTS);
    this.testImages = this.datasetImages.slice(IMAGE_SIZE * NUM_TRAIN_ELEMENTS);
    this.trainLabels =
        this.datasetLabels.slice(0, NUM_CLASSES * NUM_TRAIN_ELEMENTS);
    this.testLabels =
        this.datasetLabels.slice(NUM_CLASSES * NUM_TRAIN_ELEMENTS);
  }
  getTrainData() {
    const xs = tf.tensor4d(
        this.trainImages,
        [this.trainImages.length / IMAGE_SIZE, IMAGE_H, IMAGE_W, 1]);
    const labels = tf.tensor2d(
        this.trainLabels, [this.trainLabels.length / NUM_CLASSES, NUM_CLASSES]);
    return {xs, labels};
  }
  getTestData(numExamples) {
    let xs = tf.tensor4d(
        this.testImages,
        [this.testImages.length / IMAGE_SIZE, IMAGE_H, IMAGE_W, 1]);
    let labels = tf.tensor2d(
        this.testLabels, [this.testLabels.length / NUM_CLASSES, NUM_CLASSES]);

    if (numExamples != null) {
      xs = xs.slice([0, 0, 0, 0], [numExamples, IMAGE_H, IMAGE_W, 1]);
      labels = labels.slice([0, 0], [numExamples, NUM_CLASSES]);
    }
    return {xs, labels};
  }
}
