import '../node/env-check.js'; // first: checks MNIST_LAB_* before the engine reads them
import { Command } from 'commander';
import '../node/index.js';
import { dataCommand } from './commands/data.js';
import { evaluateCommand } from './commands/evaluate.js';
import { exportCommand } from './commands/export.js';
import { predictCommand } from './commands/predict.js';
import { plotModelCommand } from './commands/plot-model.js';
import { serveCommand } from './commands/serve.js';
import { sweepCommand } from './commands/sweep.js';
import { trainCommand } from './commands/train.js';
import { workerCommand } from './commands/worker.js';

const program = new Command('mnist-lab')
  .description('Train, compare and serve neural networks on MNIST and Fashion-MNIST')
  .addCommand(trainCommand())
  .addCommand(plotModelCommand())
  .addCommand(dataCommand())
  .addCommand(sweepCommand())
  .addCommand(predictCommand())
  .addCommand(evaluateCommand())
  .addCommand(exportCommand())
  .addCommand(workerCommand())
  .addCommand(serveCommand());

for (const cmd of program.commands) cmd.showHelpAfterError('(run with --help for usage)');

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Usage errors are reported by commander itself; this is for failures while running.
  console.error(`mnist-lab: ${(e as Error).message}`);
  process.exitCode = 1;
}
