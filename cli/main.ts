import { Command } from 'commander';
import '../node/index.js';
import { dataCommand } from './commands/data.js';
import { plotModelCommand } from './commands/plot-model.js';
import { serveCommand } from './commands/serve.js';
import { sweepCommand } from './commands/sweep.js';
import { trainCommand } from './commands/train.js';

const program = new Command('mnist-lab')
  .description('Train, compare and serve neural networks on MNIST and Fashion-MNIST')
  .addCommand(trainCommand())
  .addCommand(plotModelCommand())
  .addCommand(dataCommand())
  .addCommand(sweepCommand())
  .addCommand(serveCommand());

for (const cmd of program.commands) cmd.showHelpAfterError('(run with --help for usage)');

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Usage errors are reported by commander itself; this is for failures while running.
  console.error(`mnist-lab: ${(e as Error).message}`);
  process.exitCode = 1;
}
