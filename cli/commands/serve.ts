import { Command, InvalidArgumentError } from 'commander';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isLoopback, newToken, serve } from '../../server/app.js';

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    throw new InvalidArgumentError(`--port takes a port number 0..65535, got '${value}'.`);
  }
  return n;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'A local web page: browse runs and sweeps, watch and start training, draw a digit for a model, train in the page',
    )
    .option(
      '--dir <dir>',
      'the folder whose runs/ and sweeps/ are shown (and where new ones go)',
      '.',
    )
    .option('--port <n>', 'port (0: any free one)', port, 8080)
    .option(
      '--host <addr>',
      'address to listen on; any but loopback needs the printed token on every request',
      '127.0.0.1',
    )
    .action(async (flags: { dir: string; port: number; host: string }) => {
      const dir = resolve(flags.dir);
      const s = await stat(dir).catch(() => null);
      if (!s?.isDirectory()) throw new Error(`--dir ${flags.dir} is not a folder.`);
      const token = isLoopback(flags.host) ? null : newToken();
      let started;
      try {
        started = await serve({ dir, host: flags.host, port: flags.port, token });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') {
          throw new Error(
            `port ${flags.port} is in use: pick another with --port (0 for any free one).`,
          );
        }
        throw e;
      }
      console.log(`mnist-lab serve: showing runs and sweeps under ${dir}`);
      if (token) console.log('Not a loopback address: every request needs this token.');
      console.log(`Open ${started.url}`);
      console.log('Ctrl-C stops the server (and any training it started).');
      const stop = (): void => {
        void started.app.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
