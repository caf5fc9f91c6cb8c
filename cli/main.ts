import '../node/env-check.js'; // first: checks MNIST_LAB_* before the engine reads them
import { Command, CommanderError } from 'commander';
import { version } from '../src/version.js';
import { dataCommand } from './commands/data.js';
import { evaluateCommand } from './commands/evaluate.js';
import { exportCommand } from './commands/export.js';
import { predictCommand } from './commands/predict.js';
import { plotModelCommand } from './commands/plot-model.js';
import { serveCommand } from './commands/serve.js';
import { sweepCommand } from './commands/sweep.js';
import { trainCommand } from './commands/train.js';
import { workerCommand } from './commands/worker.js';
import { UsageError } from './parse.js';

/**
 * Exit codes (README "Command-line conventions"): 0 success; 1 the command failed while running
 * (bad data, a loss that turned NaN, a failed sweep run); 2 the command line was wrong (unknown
 * flag, bad value); 130 interrupted.
 */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const program = new Command('mnist-lab')
  .description('Train, compare and serve neural networks on MNIST and Fashion-MNIST')
  .version(version, '-V, --version', 'print the version and exit')
  .addCommand(trainCommand())
  .addCommand(plotModelCommand())
  .addCommand(dataCommand())
  .addCommand(sweepCommand())
  .addCommand(predictCommand())
  .addCommand(evaluateCommand())
  .addCommand(exportCommand())
  .addCommand(workerCommand())
  .addCommand(serveCommand());

program.exitOverride();
for (const cmd of program.commands) {
  cmd.showHelpAfterError('(run with --help for usage)');
  cmd.exitOverride();
}

try {
  // The engine loads here, not as a static import, so a backend that MNIST_LAB_BACKEND or
  // MNIST_LAB_REQUIRE_NATIVE demands but cannot load is one line below, not a stack trace.
  await import('../node/index.js');
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Commander has printed the message (or the help / version, exit code 0).
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    console.error(`mnist-lab: ${(e as Error).message}`);
    process.exitCode = e instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
  }
}
