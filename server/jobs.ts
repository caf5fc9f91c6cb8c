import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { trainCommand, specFromFlags } from '../cli/commands/train.js';
import { sweepCommand } from '../cli/commands/sweep.js';
import { parseGridArg } from '../src/experiments/sweep-plan.js';
import { getSweepPreset } from '../src/experiments/sweep-presets.js';
import { fileStamp } from '../node/fs/file-stamp.js';

export type JobKind = 'train' | 'sweep';

export interface JobInfo {
  kind: JobKind;
  /** The run or sweep folder, relative to --dir. */
  folder: string;
  args: string[];
  pid: number;
  state: 'running' | 'stopping' | 'finished' | 'failed' | 'stopped';
  exitCode: number | null;
  startedAt: number;
  endedAt: number | null;
  /** The last lines the command printed. */
  output: string[];
}

/** Thrown for a job request that is not acceptable; its message is shown to the user. */
export class JobError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 409,
  ) {
    super(message);
  }
}

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const MAX_ARGS = 64;
const MAX_ARG_LENGTH = 256;
const OUTPUT_LINES = 40;
/** Flags the server sets itself: where the output goes, which data, and none that exit early. */
const FORBIDDEN = new Set([
  '--out',
  '--data-dir',
  '--resume',
  '--overwrite',
  '--verbose',
  '--help',
  '-h',
  '--list',
  '--version',
  '-V',
]);

/**
 * Parses the arguments with the command's own commander definition (the same parsers, defaults
 * and messages as the terminal), without running it.
 */
async function parseWith(
  cmd: Command,
  args: string[],
): Promise<{ flags: Record<string, unknown>; operands: string[] }> {
  let captured: { flags: Record<string, unknown>; operands: string[] } | null = null;
  let message = '';
  cmd
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: (s) => (message += s) })
    .action((...a: unknown[]) => {
      const operands = a.slice(0, -2).filter((x): x is string => typeof x === 'string');
      captured = { flags: cmd.opts(), operands };
    });
  try {
    await cmd.parseAsync(args, { from: 'user' });
  } catch (e) {
    const text = e instanceof CommanderError ? message.trim() || e.message : (e as Error).message;
    throw new JobError(text.replace(/^error: /, '').split('\n')[0]!, 400);
  }
  if (!captured) throw new JobError('the arguments did not parse', 400);
  return captured;
}

/** Checks a form's arguments as the CLI would; returns the folder name parts. */
export async function validateJob(kind: JobKind, args: unknown): Promise<{ name: string }> {
  if (
    !Array.isArray(args) ||
    args.length > MAX_ARGS ||
    args.some((a) => typeof a !== 'string' || a.length > MAX_ARG_LENGTH)
  ) {
    throw new JobError(`args must be a list of at most ${MAX_ARGS} strings`, 400);
  }
  for (const a of args as string[]) {
    const flag = a.split('=')[0]!;
    if (FORBIDDEN.has(flag)) {
      throw new JobError(`${flag} is set by the server (runs go under its --dir)`, 400);
    }
  }
  if (kind === 'train') {
    const { flags } = await parseWith(trainCommand(), args as string[]);
    try {
      const spec = specFromFlags(flags as unknown as Parameters<typeof specFromFlags>[0]);
      return { name: `${spec.model}-${spec.dataset}` };
    } catch (e) {
      throw new JobError((e as Error).message, 400);
    }
  }
  const { flags, operands } = await parseWith(sweepCommand(), args as string[]);
  try {
    const preset = operands[0] !== undefined ? getSweepPreset(operands[0]) : undefined;
    const grid = (flags['grid'] as string[] | undefined) ?? [];
    grid.forEach(parseGridArg);
    if (!preset && grid.length === 0) {
      throw new Error('name a preset or give at least one --grid KEY=V1,V2');
    }
    return { name: preset?.name ?? 'grid' };
  } catch (e) {
    throw new JobError((e as Error).message, 400);
  }
}

/**
 * At most one training job of each kind, run as the CLI itself in a child process writing into
 * --dir; stopping one sends SIGINT, as Ctrl-C in a terminal would (the run keeps its checkpoint).
 */
export class Jobs {
  private readonly jobs = new Map<JobKind, { info: JobInfo; child: ChildProcess }>();
  private readonly last = new Map<JobKind, JobInfo>();

  constructor(
    private readonly root: string,
    private readonly onChange: () => void,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  list(): JobInfo[] {
    const out: JobInfo[] = [];
    for (const kind of ['train', 'sweep'] as const) {
      const j = this.jobs.get(kind)?.info ?? this.last.get(kind);
      if (j) out.push(j);
    }
    return out;
  }

  /** The run folders of running jobs, so their state is 'running' while data loads. */
  runningFolders(): Set<string> {
    return new Set([...this.jobs.values()].map((j) => j.info.folder));
  }

  async start(kind: JobKind, args: string[]): Promise<JobInfo> {
    if (this.jobs.has(kind)) {
      throw new JobError(`a ${kind} is already running; stop it or wait for it to finish`, 409);
    }
    const { name } = await validateJob(kind, args);
    if (this.jobs.has(kind)) throw new JobError(`a ${kind} is already running`, 409);
    const folder = `${kind === 'train' ? 'runs' : 'sweeps'}/${fileStamp()}-${name}`;
    // A train's folder exists from the start, so a page can follow it while data loads.
    await mkdir(join(this.root, kind === 'train' ? folder : 'sweeps'), { recursive: true });
    // Both print a line per epoch (a sweep's --verbose 2 also a line per run).
    const fullArgs = [kind, ...args, '--out', folder, '--verbose', '2'];
    const child = spawn(process.execPath, [CLI, ...fullArgs], {
      cwd: this.root,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const info: JobInfo = {
      kind,
      folder,
      args,
      pid: child.pid ?? -1,
      state: 'running',
      exitCode: null,
      startedAt: Date.now(),
      endedAt: null,
      output: [],
    };
    const take = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split(/\r?\n|\r/)) {
        if (line.trim() !== '') info.output.push(line.slice(0, 400));
      }
      info.output.splice(0, Math.max(0, info.output.length - OUTPUT_LINES));
      this.onChange();
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    this.jobs.set(kind, { info, child });
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (info.endedAt !== null) return;
      info.exitCode = code;
      info.endedAt = Date.now();
      info.state =
        info.state === 'stopping' || signal === 'SIGINT' || code === 130
          ? 'stopped'
          : code === 0
            ? 'finished'
            : 'failed';
      this.jobs.delete(kind);
      this.last.set(kind, info);
      this.onChange();
    };
    child.on('exit', finish);
    child.on('error', (e) => {
      info.output.push(`could not start: ${e.message}`);
      finish(1, null);
    });
    this.onChange();
    return info;
  }

  /** Sends SIGINT to the job; false when no job of that kind runs. */
  stop(kind: JobKind): boolean {
    const j = this.jobs.get(kind);
    if (!j) return false;
    j.info.state = 'stopping';
    j.child.kill('SIGINT');
    this.onChange();
    return true;
  }

  /** Ends every job (server shutdown) and waits for them to exit. */
  async stopAll(): Promise<void> {
    const waits = [...this.jobs.values()].map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGINT');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    );
    await Promise.all(waits);
  }
}
