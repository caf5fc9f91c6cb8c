import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
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
  logger?: boolean;
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

function idParam(req: FastifyRequest): string {
  const id = (req.query as Record<string, unknown>)['id'];
  if (typeof id !== 'string' || id === '')
    throw new HttpError(400, 'give ?id=<folder under --dir>');
  return id;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Builds the server (not yet listening): API, event stream, run files and the page. */
export async function buildServer(options: ServeOptions): Promise<{
  app: FastifyInstance;
  hub: Hub;
  jobs: Jobs;
}> {
  const root = resolve(options.dir);
  const token = options.token ?? null;
  const host = options.host ?? '127.0.0.1';
  const app = Fastify({ bodyLimit: BODY_LIMIT, logger: options.logger ?? false });
  // The hub reports jobs and the jobs report changes to the hub: the callbacks close over both.
  const jobs: Jobs = new Jobs(root, () => hub.jobsChanged(), options.jobEnv ?? process.env);
  const hub: Hub = new Hub(root, () => ({ list: jobs.list(), running: jobs.runningFolders() }));

  await app.register(fastifyCookie);

  app.addHook('onRequest', async (req, reply) => {
    // Loopback only answers to loopback names: a DNS-rebinding page cannot reach it.
    if (token === null && isLoopback(host) && !isLoopback(hostOf(req.headers.host))) {
      return reply.code(403).send({ error: 'this server answers to localhost only' });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Same host and port: another local server's page may not post here.
      const origin = req.headers.origin;
      if (
        origin !== undefined &&
        origin.replace(/^[a-z]+:\/\//i, '').toLowerCase() !== (req.headers.host ?? '').toLowerCase()
      ) {
        return reply.code(403).send({ error: 'cross-origin request refused' });
      }
    }
    if (token !== null) {
      const q = (req.query as Record<string, unknown>)['token'];
      const auth = req.headers.authorization;
      const given =
        (typeof q === 'string' ? q : undefined) ??
        (auth?.startsWith('Bearer ') ? auth.slice(7) : undefined) ??
        req.cookies[TOKEN_COOKIE];
      if (given === undefined || !sameToken(given, token)) {
        return reply.code(401).send({
          error: 'a token is needed: open the address `mnist-lab serve` printed (…/?token=…)',
        });
      }
      if (typeof q === 'string') {
        void reply.setCookie(TOKEN_COOKIE, token, {
          httpOnly: true,
          sameSite: 'strict',
          path: '/',
        });
      }
    }
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    if (!reply.getHeader('content-security-policy')) {
      void reply.header(
        'content-security-policy',
        // vega compiles its expressions with Function; the wasm backend needs wasm compilation.
        "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'",
      );
    }
    return payload;
  });

  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof HttpError) return reply.code(err.status).send({ error: err.message });
    if (err instanceof JobError) return reply.code(err.status).send({ error: err.message });
    if (err instanceof OutsideRootError) return reply.code(403).send({ error: err.message });
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return reply.code(404).send({ error: 'not found' });
    const status =
      err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return reply.code(status).send({ error: err.message });
  });

  const runDir = async (id: string): Promise<string> => {
    const dir = await resolveInside(root, id);
    if (!(await stat(dir)).isDirectory()) throw new HttpError(404, `'${id}' is not a folder`);
    return dir;
  };

  app.get('/api/info', async () => ({
    dir: root,
    tokenRequired: token !== null,
    version:
      (
        await readJson<{ version: string }>(
          PACKAGE_ROOT,
          fileURLToPath(new URL('../../package.json', import.meta.url)),
        )
      )?.version ?? null,
  }));

  app.get('/api/runs', async () => {
    await hub.refresh();
    return { runs: hub.runs, sweeps: hub.sweeps, jobs: jobs.list() };
  });

  app.get('/api/run', async (req) => {
    const id = idParam(req);
    const dir = await runDir(id);
    const [summary, history, metrics, status, evaluation, files] = await Promise.all([
      summarizeRun(root, id, undefined, jobs.runningFolders().has(id)),
      readJson(root, join(dir, 'history.json')),
      readJson(root, join(dir, 'metrics.json')),
      readJson(root, join(dir, 'status.json')),
      readJson(root, join(dir, 'evaluation.json')),
      presentFiles(dir, RUN_FILES),
    ]);
    return { ...summary, history, metrics, status, evaluation, files };
  });

  app.get('/api/progress', async (req) => {
    const id = idParam(req);
    await runDir(id);
    return hub.progressOf(id);
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

  app.get('/api/model-diagram', async (req, reply) => {
    const { model, entry } = await savedModel(idParam(req));
    entry.svg ??= dotToSvg(modelToDot(model));
    return reply.type('image/svg+xml').send(await entry.svg);
  });

  app.get('/api/model', async (req) => {
    const { model } = await savedModel(idParam(req));
    return {
      topology: model.toJSON(),
      weights: model.getWeights().map((w, i) => ({ index: i, size: w.length })),
    };
  });

  // The weights in getWeights() order, as little-endian float32.
  app.get('/api/model-weights', async (req, reply) => {
    const { model } = await savedModel(idParam(req));
    const weights = model.getWeights();
    const out = Buffer.alloc(weights.reduce((n, w) => n + w.length * 4, 0));
    let offset = 0;
    for (const w of weights) {
      for (let i = 0; i < w.length; i++, offset += 4) out.writeFloatLE(w[i]!, offset);
    }
    return reply.type('application/octet-stream').send(out);
  });

  app.get('/api/sweep', async (req) => {
    const id = idParam(req);
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
    return { id, plan, results, figures: figures.map((f) => `${id}/figures/${f}`) };
  });

  // Files of runs and sweeps: only known kinds, inside --dir after symlinks, never dot files.
  app.get('/files/*', async (req, reply) => {
    const rel = (req.params as Record<string, string>)['*'] ?? '';
    const type = TYPES[extname(rel).toLowerCase()];
    if (!type)
      throw new HttpError(403, `files of type '${extname(rel) || '(none)'}' are not served`);
    const file = await fileInside(root, decodeURIComponent(rel));
    if (!file) throw new HttpError(404, 'not found');
    // A hostile SVG opened on its own runs no script and loads nothing.
    void reply.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
    );
    return reply.type(type).send(createReadStream(file));
  });

  // A slice of a dataset for training in the page: uint8 images then uint8 labels.
  const cachedData = new Map<string, Awaited<ReturnType<typeof loadDataset>>>();
  app.get('/api/data', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const name = q['dataset'] ?? 'mnist';
    if (name !== 'mnist' && name !== 'fashion-mnist')
      throw new HttpError(400, 'dataset must be mnist or fashion-mnist');
    const split = q['split'] ?? 'train';
    if (split !== 'train' && split !== 'test')
      throw new HttpError(400, 'split must be train or test');
    const offset = Number(q['offset'] ?? 0);
    const count = Number(q['count'] ?? 1000);
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
    return reply
      .type('application/octet-stream')
      .header('x-shape', `${count},${h},${w}`)
      .header('x-classes', ds.spec.classNames.join(','))
      .send(body);
  });

  app.get('/api/events', (_req, reply) => {
    if (hub.size >= MAX_CLIENTS) return reply.code(503).send({ error: 'too many viewers' });
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    reply.raw.write('retry: 2000\n\n');
    hub.add(reply.raw);
  });

  app.get('/api/presets', async () => ({
    presets: SWEEP_PRESETS.map((p) => ({ name: p.name, description: p.description })),
  }));

  app.get('/api/jobs', async () => ({ jobs: jobs.list() }));

  app.post('/api/jobs', async (req, reply) => {
    const body = req.body as { kind?: unknown; args?: unknown } | null;
    const kind = body?.kind;
    if (kind !== 'train' && kind !== 'sweep')
      throw new HttpError(400, "kind must be 'train' or 'sweep'");
    const info = await jobs.start(kind, body?.args as string[]);
    return reply.code(201).send(info);
  });

  app.post('/api/jobs/:kind/stop', async (req) => {
    const kind = (req.params as { kind: string }).kind as JobKind;
    if (kind !== 'train' && kind !== 'sweep')
      throw new HttpError(400, "kind must be 'train' or 'sweep'");
    if (!jobs.stop(kind)) throw new HttpError(409, `no ${kind} is running`);
    return { stopping: kind };
  });

  // The library's wasm kernels, where the package ships them (dist/wasm): the page's bundle asks
  // for them beside itself.
  app.get('/wasm/:file', async (req, reply) => {
    const file = (req.params as { file: string }).file;
    if (!/^[\w-]+(\.[\w-]+)*\.wasm$/.test(file)) throw new HttpError(404, 'not found');
    const path = join(WASM_ROOT, file);
    if (!(await stat(path).catch(() => null))?.isFile()) throw new HttpError(404, 'not found');
    return reply.type('application/wasm').send(createReadStream(path));
  });

  await app.register(fastifyStatic, {
    root: options.webRoot ?? WEB_ROOT,
    prefix: '/',
    index: ['index.html'],
    dotfiles: 'deny',
    wildcard: false,
  });

  app.addHook('onClose', async () => {
    hub.close();
    await jobs.stopAll();
  });
  return { app, hub, jobs };
}

/** Starts listening; resolves with the address a browser should open. */
export async function serve(options: ServeOptions): Promise<{ app: FastifyInstance; url: string }> {
  const { app } = await buildServer(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 8080 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : options.port;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? 'localhost' : host;
  const url = `http://${shown}:${port}/${options.token ? `?token=${options.token}` : ''}`;
  return { app, url };
}
