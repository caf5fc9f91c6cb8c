import type { ProgressEvent } from '../src/experiments/progress.js';
import type { RunSummary, SweepSummary } from '../server/runs.js';
import type { JobInfo } from '../server/jobs.js';

export type { RunSummary, SweepSummary, JobInfo, ProgressEvent };

/** A JSON request; a failed one throws the server's one-line message. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: text };
  }
  if (!res.ok)
    throw new Error((body as { error?: string })?.error ?? `${res.status} ${res.statusText}`);
  return body as T;
}

/** What every page reads: the lists and jobs, kept current by the server's event stream. */
class Store {
  runs: RunSummary[] = [];
  sweeps: SweepSummary[] = [];
  jobs: JobInfo[] = [];
  connected = false;
  /** Progress events per run, for the runs a page has asked about. */
  private readonly progress = new Map<string, ProgressEvent[]>();
  private readonly listeners = new Set<(what: string, id?: string) => void>();
  private source: EventSource | null = null;

  connect(): void {
    this.source = new EventSource('/api/events');
    this.source.onopen = () => {
      this.connected = true;
      this.emit('connection');
    };
    this.source.onerror = () => {
      this.connected = false;
      this.emit('connection');
    };
    this.source.addEventListener('runs', (e) => {
      this.runs = JSON.parse((e as MessageEvent<string>).data) as RunSummary[];
      this.emit('runs');
    });
    this.source.addEventListener('sweeps', (e) => {
      this.sweeps = JSON.parse((e as MessageEvent<string>).data) as SweepSummary[];
      this.emit('sweeps');
    });
    this.source.addEventListener('jobs', (e) => {
      this.jobs = JSON.parse((e as MessageEvent<string>).data) as JobInfo[];
      this.emit('jobs');
    });
    this.source.addEventListener('progress', (e) => {
      const { id, from, events } = JSON.parse((e as MessageEvent<string>).data) as {
        id: string;
        from: number;
        events: ProgressEvent[];
      };
      const have = this.progress.get(id);
      if (!have) return; // nobody looks at this run yet
      if (from === have.length) have.push(...events);
      else void this.loadProgress(id); // missed some: fetch them all again
      this.emit('progress', id);
    });
  }

  /** The run's progress events; fetched once, then followed through the stream. */
  async loadProgress(id: string): Promise<ProgressEvent[]> {
    // Follow from now on, even if the run's folder does not exist yet (a job just started).
    if (!this.progress.has(id)) this.progress.set(id, []);
    let events: ProgressEvent[];
    try {
      ({ events } = await api<{ events: ProgressEvent[] }>(
        `/api/progress?id=${encodeURIComponent(id)}`,
      ));
    } catch {
      return this.progress.get(id)!;
    }
    const have = this.progress.get(id)!;
    if (events.length >= have.length) this.progress.set(id, events);
    this.emit('progress', id);
    return events;
  }

  progressOf(id: string): ProgressEvent[] | undefined {
    return this.progress.get(id);
  }

  on(fn: (what: string, id?: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(what: string, id?: string): void {
    for (const fn of this.listeners) fn(what, id);
  }
}

export const store = new Store();
