import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { loadDataset } from '../node/data/load-dataset.js';
import { loadModel } from '../node/models/load-model.js';
import { dotToSvg } from '../node/reports/model-diagram.js';
import { modelToDot } from '../src/reports/model-graph.js';
import type { Model } from '../src/models/model.js';
import { SWEEP_PRESETS } from '../src/experiments/sweep-presets.js';
import { Hub, MAX_CLIENTS } from './events.js';
import { JobError, Jobs, type JobKind } from './jobs.js';
import { OutsideRootError, fileInside, resolveInside } from './paths.js';
import { RUN_FILES, presentFiles, readJson, summarizeRun } from './runs.js';

export interface ServeOptions {
  /** The folder whose runs and sweeps are shown; nothing outside it is served. */
  dir: string;
  host?: string;
  port?: number;
  /** Required on every request when set; `serve` sets one for any host but loopback. */
  token?: string | null;
  /** The built page (default dist/web next to this file). */
  webRoot?: string;
  /** Environment for the train / sweep processes the page starts (default process.env). */
  jobEnv?: NodeJS.ProcessEnv;
}

/** Request bodies are small JSON: a job's arguments. */
const BODY_LIMIT = 64 * 1024;
/** Images the page may ask for at once to train on (10,000 MNIST images are 7.8 MB). */
const MAX_SLICE = 10_000;
const TOKEN_COOKIE = 'mnist_lab_token';
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

const TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));
const WASM_ROOT = fileURLToPath(new URL('../wasm/', import.meta.url));
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The hostname of a Host header ('[::1]:8080' -> '[::1]', 'localhost:80' -> 'localhost'). */
function hostOf(header: string | undefined): string {
  if (!header) return '';
  const m = /^(\[[^\]]*\]|[^:]*)/.exec(header);
  return (m?.[1] ?? '').toLowerCase();
}

type Env = { Bindings: HttpBindings };

function idParam(c: Context<Env>): string {
  const id = c.req.query('id');
  if (id === undefined || id === '') throw new HttpError(400, 'give ?id=<folder under --dir>');
  return id;
}

class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
  ) {
    super(message);
  }
}

/** A request's JSON body (null when it has none); only application/json is read. */
async function jsonBody(c: Context<Env>): Promise<unknown> {
  const type = c.req.header('content-type');
  const length = c.req.header('content-length');
  const empty = (length === undefined || length === '0') && !c.req.header('transfer-encoding');
  if (type === undefined && empty) return null;
  if (!/^application\/json\s*(;|$)/i.test(type ?? ''))
    throw new HttpError(415, 'send the body as application/json');
  const text = await c.req.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}

/** A file as a response body. */
function fileBody(path: string): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
}

/** The server, built but not listening: `listen`, then `close` (which stops its jobs too). */
export interface ServerApp {
  readonly server: Server;
  listen(options: { host: string; port: number }): Promise<void>;
  close(): Promise<void>;
}

/** Builds the server (not yet listening): API, event stream, run files and the page. */
export async function buildServer(options: ServeOptions): Promise<{
  app: ServerApp;
  hub: Hub;
  jobs: Jobs;
}> {
  const root = resolve(options.dir);
  const token = options.token ?? null;
  const host = options.host ?? '127.0.0.1';
  const webRoot = options.webRoot ?? WEB_ROOT;
  const app = new Hono<Env>();
  // The hub reports jobs and the jobs report changes to the hub: the callbacks close over both.
  const jobs: Jobs = new Jobs(root, () => hub.jobsChanged(), options.jobEnv ?? process.env);
  const hub: Hub = new Hub(root, () => ({ list: jobs.list(), running: jobs.runningFolders() }));

  app.use(async (c, next) => {
    await next();
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    if (!c.res.headers.has('content-security-policy')) {
      c.header(
        'content-security-policy',
        // vega compiles its expressions with Function; the wasm backend needs wasm compilation.
        "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'",
      );
    }
  });

  app.use(async (c, next) => {
    // Loopback only answers to loopback names: a DNS-rebinding page cannot reach it.
    if (token === null && isLoopback(host) && !isLoopback(hostOf(c.req.header('host')))) {
      return c.json({ error: 'this server answers to localhost only' }, 403);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      // Same host and port: another local server's page may not post here.
      const origin = c.req.header('origin');
      if (
        origin !== undefined &&
        origin.replace(/^[a-z]+:\/\//i, '').toLowerCase() !==
          (c.req.header('host') ?? '').toLowerCase()
      ) {
        return c.json({ error: 'cross-origin request refused' }, 403);
      }
    }
    if (token !== null) {
      const q = c.req.query('token');
      const auth = c.req.header('authorization');
      const given =
        q ??
        (auth?.startsWith('Bearer ') ? auth.slice(7) : undefined) ??
        getCookie(c, TOKEN_COOKIE);
      if (given === undefined || !sameToken(given, token)) {
        return c.json(
          { error: 'a token is needed: open the address `mnist-lab serve` printed (…/?token=…)' },
          401,
        );
      }
      if (q !== undefined) {
        setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      }
    }
    await next();
  });

  app.use(
    bodyLimit({
      maxSize: BODY_LIMIT,
      onError: (c) => c.json({ error: `a request body may be at most ${BODY_LIMIT} bytes` }, 413),
    }),
  );

  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message }, err.status);
    if (err instanceof JobError) return c.json({ error: err.message }, err.status);
    if (err instanceof OutsideRootError) return c.json({ error: err.message }, 403);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return c.json({ error: 'not found' }, 404);
    return c.json({ error: err.message }, 500);
  });
  app.notFound((c) => c.json({ error: 'not found' }, 404));

  const runDir = async (id: string): Promise<string> => {
    const dir = await resolveInside(root, id);
    if (!(await stat(dir)).isDirectory()) throw new HttpError(404, `'${id}' is not a folder`);
    return dir;
  };

  app.get('/api/info', async (c) =>
    c.json({
      dir: root,
      tokenRequired: token !== null,
      version:
        (
          await readJson<{ version: string }>(
            PACKAGE_ROOT,
            fileURLToPath(new URL('../../package.json', import.meta.url)),
          )
        )?.version ?? null,
    }),
  );

  app.get('/api/runs', async (c) => {
    await hub.refresh();
    return c.json({ runs: hub.runs, sweeps: hub.sweeps, jobs: jobs.list() });
  });

  app.get('/api/run', async (c) => {
    const id = idParam(c);
    const dir = await runDir(id);
    const [summary, history, metrics, status, evaluation, files] = await Promise.all([
      summarizeRun(root, id, undefined, jobs.runningFolders().has(id)),
      readJson(root, join(dir, 'history.json')),
      readJson(root, join(dir, 'metrics.json')),
      readJson(root, join(dir, 'status.json')),
      readJson(root, join(dir, 'evaluation.json')),
      presentFiles(dir, RUN_FILES),
    ]);
    return c.json({ ...summary, history, metrics, status, evaluation, files });
  });

  app.get('/api/progress', async (c) => {
    const id = idParam(c);
    await runDir(id);
    return c.json(await hub.progressOf(id));
  });

  // A run's model, loaded (and checked) by the library's own loadModel, once per version of its
  // model.json: the diagram, and the topology and weights the draw page runs.
  const models = new Map<string, { mtime: number; model: Promise<Model>; svg?: Promise<string> }>();
  const savedModel = async (
    id: string,
  ): Promise<{ model: Model; entry: { svg?: Promise<string> } & { model: Promise<Model> } }> => {
    const file = await fileInside(root, `${id}/model/model.json`);
    if (!file) throw new HttpError(404, `run '${id}' has no saved model yet`);
    const mtime = (await stat(file)).mtimeMs;
    let entry = models.get(id);
    if (!entry || entry.mtime !== mtime) {
      entry = { mtime, model: loadModel(join(file, '..'), { compile: false }) };
      models.set(id, entry);
      entry.model.catch(() => models.delete(id));
    }
    return { model: await entry.model, entry };
  };

  app.get('/api/model-diagram', async (c) => {
    const { model, entry } = await savedModel(idParam(c));
    entry.svg ??= dotToSvg(modelToDot(model));
    return c.body(await entry.svg, 200, { 'content-type': 'image/svg+xml' });
  });

  app.get('/api/model', async (c) => {
    const { model } = await savedModel(idParam(c));
    return c.json({
      topology: model.toJSON(),
      weights: model.getWeights().map((w, i) => ({ index: i, size: w.length })),
    });
  });

  // The weights in getWeights() order, as little-endian float32.
  app.get('/api/model-weights', async (c) => {
    const { model } = await savedModel(idParam(c));
    const weights = model.getWeights();
    const out = Buffer.alloc(weights.reduce((n, w) => n + w.length * 4, 0));
    let offset = 0;
    for (const w of weights) {
      for (let i = 0; i < w.length; i++, offset += 4) out.writeFloatLE(w[i]!, offset);
    }
    return c.body(out, 200, { 'content-type': 'application/octet-stream' });
  });

  app.get('/api/sweep', async (c) => {
    const id = idParam(c);
    const dir = await runDir(id);
    const [plan, results] = await Promise.all([
      readJson(root, join(dir, 'sweep.json')),
      readJson(root, join(dir, 'results.json')),
    ]);
    if (!plan && !results) throw new HttpError(404, `'${id}' is not a sweep folder`);
    const figures = await presentFiles(
      join(dir, 'figures'),
      ['loss', 'accuracy', 'val_loss', 'val_accuracy'].map((f) => `${f}.svg`),
    );
    return c.json({ id, plan, results, figures: figures.map((f) => `${id}/figures/${f}`) });
  });

  // Files of runs and sweeps: only known kinds, inside --dir after symlinks, never dot files.
  app.get('/files/*', async (c) => {
    // The path as sent (the router's copy may be decoded already), decoded exactly once.
    const raw = new URL(c.req.url).pathname.slice('/files/'.length);
    let rel: string;
    try {
      rel = decodeURIComponent(raw);
    } catch {
      throw new HttpError(400, 'the path is not valid percent-encoding');
    }
    const type = TYPES[extname(rel).toLowerCase()];
    if (!type)
      throw new HttpError(403, `files of type '${extname(rel) || '(none)'}' are not served`);
    const file = await fileInside(root, rel);
    if (!file) throw new HttpError(404, 'not found');
    return c.body(fileBody(file), 200, {
      'content-type': type,
      // A hostile SVG opened on its own runs no script and loads nothing.
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
    });
  });

  // A slice of a dataset for training in the page: uint8 images then uint8 labels.
  const cachedData = new Map<string, Awaited<ReturnType<typeof loadDataset>>>();
  app.get('/api/data', async (c) => {
    const name = c.req.query('dataset') ?? 'mnist';
    if (name !== 'mnist' && name !== 'fashion-mnist')
      throw new HttpError(400, 'dataset must be mnist or fashion-mnist');
    const split = c.req.query('split') ?? 'train';
    if (split !== 'train' && split !== 'test')
      throw new HttpError(400, 'split must be train or test');
    const offset = Number(c.req.query('offset') ?? 0);
    const count = Number(c.req.query('count') ?? 1000);
    if (!Number.isSafeInteger(offset) || offset < 0)
      throw new HttpError(400, 'offset must be a whole number >= 0');
    if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SLICE) {
      throw new HttpError(400, `count must be a whole number in 1..${MAX_SLICE}`);
    }
    let ds = cachedData.get(name);
    if (!ds) {
      ds = await loadDataset(name, { download: false });
      cachedData.set(name, ds);
    }
    const part = ds[split];
    const [n, h, w] = part.images.shape as [number, number, number];
    if (offset + count > n) throw new HttpError(400, `the ${split} split has ${n} images`);
    const body = Buffer.alloc(count * h * w + count);
    body.set(part.images.data.subarray(offset * h * w, (offset + count) * h * w), 0);
    body.set(part.labels.data.subarray(offset, offset + count), count * h * w);
    return c.body(body, 200, {
      'content-type': 'application/octet-stream',
      'x-shape': `${count},${h},${w}`,
      'x-classes': ds.spec.classNames.join(','),
    });
  });

  app.get('/api/events', (c) => {
    if (hub.size >= MAX_CLIENTS) return c.json({ error: 'too many viewers' }, 503);
    // The stream outlives this handler: the hub writes to the response itself.
    const res = c.env.outgoing;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    res.write('retry: 2000\n\n');
    hub.add(res);
    return RESPONSE_ALREADY_SENT;
  });

  app.get('/api/presets', (c) =>
    c.json({
      presets: SWEEP_PRESETS.map((p) => ({ name: p.name, description: p.description })),
    }),
  );

  app.get('/api/jobs', (c) => c.json({ jobs: jobs.list() }));

  app.post('/api/jobs', async (c) => {
    const body = (await jsonBody(c)) as { kind?: unknown; args?: unknown } | null;
    const kind = body?.kind;
    if (kind !== 'train' && kind !== 'sweep')
      throw new HttpError(400, "kind must be 'train' or 'sweep'");
    return c.json(await jobs.start(kind, body?.args as string[]), 201);
  });

  app.post('/api/jobs/:kind/stop', async (c) => {
    await jsonBody(c);
    const kind = c.req.param('kind') as JobKind;
    if (kind !== 'train' && kind !== 'sweep')
      throw new HttpError(400, "kind must be 'train' or 'sweep'");
    if (!jobs.stop(kind)) throw new HttpError(409, `no ${kind} is running`);
    return c.json({ stopping: kind });
  });

  // The library's wasm kernels, where the package ships them (dist/wasm): the page's bundle asks
  // for them beside itself.
  app.get('/wasm/:file', async (c) => {
    const file = c.req.param('file');
    if (!/^[\w-]+(\.[\w-]+)*\.wasm$/.test(file)) throw new HttpError(404, 'not found');
    const path = join(WASM_ROOT, file);
    if (!(await stat(path).catch(() => null))?.isFile()) throw new HttpError(404, 'not found');
    return c.body(fileBody(path), 200, { 'content-type': 'application/wasm' });
  });

  // The page: files of the built page only, never a dot file.
  app.get('/*', async (c, next) => {
    if (/(^|\/)\./.test(new URL(c.req.url).pathname)) throw new HttpError(404, 'not found');
    await next();
  });
  app.get('/*', serveStatic({ root: webRoot }));

  // @hono/node-server's default: its light Request stands in for the global one, which
  // hono/body-limit needs to rebuild a streamed request (only the serve process runs this).
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  let closing: Promise<void> | null = null;
  const handle: ServerApp = {
    server,
    listen: ({ host: address, port }) =>
      new Promise((resolveListen, reject) => {
        server.once('error', reject);
        server.listen(port, address, () => {
          server.off('error', reject);
          resolveListen();
        });
      }),
    close: () =>
      (closing ??= (async () => {
        hub.close();
        await jobs.stopAll();
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeIdleConnections();
        });
      })()),
  };
  return { app: handle, hub, jobs };
}

/** Starts listening; resolves with the address a browser should open. */
export async function serve(options: ServeOptions): Promise<{ app: ServerApp; url: string }> {
  const { app } = await buildServer(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 8080 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : options.port;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? 'localhost' : host;
  const url = `http://${shown}:${port}/${options.token ? `?token=${options.token}` : ''}`;
  return { app, url };
}
