import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { PROGRESS_FILE, type ProgressEvent } from '../src/experiments/progress.js';
import {
  findFolders,
  readProgress,
  summarizeRun,
  summarizeSweep,
  type RunSummary,
  type SweepSummary,
} from './runs.js';
import { foldProgress } from '../src/experiments/progress.js';
import type { JobInfo } from './jobs.js';

/** The files that decide a run's summary, by modification time and size. */
async function signature(dir: string): Promise<string> {
  const parts = await Promise.all(
    ['config.json', 'history.json', 'metrics.json', 'status.json', 'model/model.json'].map((f) =>
      stat(join(dir, f)).then(
        (s) => `${s.mtimeMs}/${s.size}`,
        () => '-',
      ),
    ),
  );
  return parts.join(',');
}

/** How often the folder is looked at while a page listens. */
const POLL_MS = 400;
/** A comment line this often keeps proxies and the browser from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/** Viewers at once; more are refused rather than left to grow without bound. */
export const MAX_CLIENTS = 64;

interface Followed {
  size: number;
  offset: number;
  events: ProgressEvent[];
}

/**
 * Server-sent events for every page: the run and sweep lists when they change, new progress
 * events of every run (started here or in a terminal), and the jobs. One poller serves all
 * viewers and runs only while someone listens.
 */
export class Hub {
  private readonly clients = new Set<ServerResponse>();
  private readonly followed = new Map<string, Followed>();
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private summaries = new Map<string, { sig: string; summary: RunSummary }>();
  private runsJson = '';
  private sweepsJson = '';
  runs: RunSummary[] = [];
  sweeps: SweepSummary[] = [];

  constructor(
    private readonly root: string,
    private readonly jobs: () => { list: JobInfo[]; running: Set<string> },
  ) {}

  get size(): number {
    return this.clients.size;
  }

  /** All progress events of a run read so far (the page asks once, then follows the stream). */
  async progressOf(id: string): Promise<{ events: ProgressEvent[] }> {
    const f = this.followed.get(id);
    if (f) return { events: f.events };
    return { events: (await readProgress(this.root, join(this.root, id, PROGRESS_FILE))).events };
  }

  add(res: ServerResponse): void {
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.pause();
    });
    this.sendTo(res, 'runs', this.runs);
    this.sendTo(res, 'sweeps', this.sweeps);
    this.sendTo(res, 'jobs', this.jobs().list);
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), POLL_MS);
      this.heartbeat = setInterval(() => this.broadcastRaw(': keep-alive\n\n'), HEARTBEAT_MS);
      void this.poll();
    }
  }

  private pause(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.timer = this.heartbeat = null;
  }

  close(): void {
    this.pause();
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  private sendTo(res: ServerResponse, event: string, data: unknown): void {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private broadcastRaw(text: string): void {
    for (const c of this.clients) c.write(text);
  }

  broadcast(event: string, data: unknown): void {
    this.broadcastRaw(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A job started, printed or ended: the folder is looked at first, so pages see its files. */
  jobsChanged(): void {
    if (this.clients.size === 0) return;
    // After the look under way (it may predate the change), one more.
    void (this.polling ?? Promise.resolve())
      .then(() => this.poll())
      .then(() => this.broadcast('jobs', this.jobs().list));
  }

  /** Looks at the folder once; sends what changed. Also used by API requests to refresh. */
  async refresh(): Promise<void> {
    const { runs, sweeps } = await findFolders(this.root);
    const running = this.jobs().running;
    const runSummaries: RunSummary[] = [];
    const cache = new Map<string, { sig: string; summary: RunSummary }>();
    for (const id of runs) {
      const f = await this.follow(id);
      const sig = `${await signature(join(this.root, id))}:${f?.events.length ?? 0}:${running.has(id)}`;
      const old = this.summaries.get(id);
      // A running run is looked at every time: its process may have died without a word.
      const summary =
        old && old.sig === sig && old.summary.state !== 'running'
          ? old.summary
          : await summarizeRun(this.root, id, f ? foldProgress(f.events) : null, running.has(id));
      cache.set(id, { sig, summary });
      runSummaries.push(summary);
    }
    this.summaries = cache;
    this.runs = runSummaries;
    this.sweeps = await Promise.all(sweeps.map((s) => summarizeSweep(this.root, s)));
    const rj = JSON.stringify(this.runs);
    if (rj !== this.runsJson) {
      this.runsJson = rj;
      this.broadcast('runs', this.runs);
    }
    const sj = JSON.stringify(this.sweeps);
    if (sj !== this.sweepsJson) {
      this.sweepsJson = sj;
      this.broadcast('sweeps', this.sweeps);
    }
  }

  /** Reads new lines of a run's progress log and streams them as 'progress'. */
  private async follow(id: string): Promise<Followed | null> {
    const file = join(this.root, id, PROGRESS_FILE);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      return null;
    }
    let f = this.followed.get(id);
    if (!f) {
      f = { size: 0, offset: 0, events: [] };
      this.followed.set(id, f);
    }
    if (size < f.size) {
      // Rewritten: start over.
      f.offset = 0;
      f.events = [];
    }
    if (size !== f.size) {
      f.size = size;
      const { events, end } = await readProgress(this.root, file, f.offset);
      f.offset = end;
      if (events.length > 0) {
        const from = f.events.length;
        f.events.push(...events);
        this.broadcast('progress', { id, from, events });
      }
    }
    return f;
  }

  /** One look at the folder at a time; a caller during one gets that one. */
  private poll(): Promise<void> {
    this.polling ??= this.refresh()
      // The folder can change under a scan (a run deleted mid-read): the next poll sees it whole.
      .catch(() => {})
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }
}
