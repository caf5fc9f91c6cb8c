import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { ServerApp } from '../server/app.js';
import { buildServer } from '../server/app.js';
import { parseProgress } from '../src/experiments/progress.js';
import { runCli } from './helpers/cli.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => Record<string, unknown>;
}

/** A plain HTTP request (node:http, so Host and Origin can be set as any client could). */
function call(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          ...(options.body ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body,
            json: () => JSON.parse(body) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

async function start(
  dir: string,
  extra: { host?: string; token?: string } = {},
): Promise<{ app: ServerApp; base: string }> {
  const { app } = await buildServer({
    dir,
    ...(extra.token ? { token: extra.token } : {}),
    ...(extra.host ? { host: extra.host } : {}),
    jobEnv: { ...process.env, MNIST_LAB_DATA_DIR: '' },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, base: `http://127.0.0.1:${port}/` };
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 60_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Reads server-sent events until `enough` says stop. */
async function readEvents(
  base: string,
  enough: (events: { event: string; data: unknown }[]) => boolean,
): Promise<{ event: string; data: unknown }[]> {
  const ctrl = new AbortController();
  const res = await fetch(new URL('/api/events', base), { signal: ctrl.signal });
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const events: { event: string; data: unknown }[] = [];
  const decoder = new TextDecoder();
  let buf = '';
  const timeout = setTimeout(() => ctrl.abort(), 30_000);
  try {
    for await (const chunk of res.body!) {
      buf += decoder.decode(chunk as Uint8Array, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
      }
      if (enough(events)) break;
    }
  } finally {
    clearTimeout(timeout);
    ctrl.abort();
  }
  return events;
}

describe('serve: the HTTP API, against the real server', () => {
  let dir: string;
  let outside: string;
  let app: ServerApp;
  let base: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'serve-api-'));
    outside = await mkdtemp(join(tmpdir(), 'serve-outside-'));
    await writeFile(join(outside, 'secret.json'), '{"secret":true}');
    await mkdir(join(dir, 'runs', 'linked'), { recursive: true });
    await symlink(join(outside, 'secret.json'), join(dir, 'runs', 'linked', 'history.json'));
    await symlink(outside, join(dir, 'escape'));
    await writeFile(join(dir, '.hidden.json'), '{}');
    await writeFile(join(dir, 'notes.sh'), 'echo hi');
    ({ app, base } = await start(dir));
  });

  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  test('a train started through the API runs as the CLI, streams progress, and lands in the run list', async () => {
    const streamed = readEvents(
      base,
      (evs) =>
        evs.some(
          (e) =>
            e.event === 'jobs' &&
            (e.data as { state: string }[]).some((j) => j.state === 'finished'),
        ) &&
        evs.some(
          (e) =>
            e.event === 'progress' &&
            (e.data as { events: { type: string }[] }).events.some((x) => x.type === 'end'),
        ),
    );
    const second = readEvents(base, (evs) => evs.some((e) => e.event === 'progress'));
    const res = await call(base, 'POST', '/api/jobs', {
      body: JSON.stringify({
        kind: 'train',
        args: [
          '--hidden',
          '32',
          '--epochs',
          '2',
          '--batch-size',
          '32',
          '--train-samples',
          '1500',
          '--test-samples',
          '300',
          '--validation-split',
          '0.2',
        ],
      }),
    });
    assert.equal(res.status, 201, res.body);
    const folder = res.json()['folder'] as string;
    assert.match(folder, /^runs\/.+-mlp-mnist$/);
    // One job of each kind at a time.
    const busy = await call(base, 'POST', '/api/jobs', {
      body: JSON.stringify({ kind: 'train', args: [] }),
    });
    assert.equal(busy.status, 409);
    assert.match(busy.json()['error'] as string, /already running/);

    const events = await streamed;
    const progress = events
      .filter((e) => e.event === 'progress')
      .flatMap((e) => (e.data as { events: { type: string }[] }).events);
    assert.ok(progress.filter((e) => e.type === 'epoch').length === 2, 'both epochs streamed');
    // Several viewers at once: the other stream saw progress too.
    assert.ok((await second).some((e) => e.event === 'progress'));

    const list = (await call(base, 'GET', '/api/runs')).json() as {
      runs: { id: string; state: string; testAccuracy: number }[];
    };
    const run = list.runs.find((r) => r.id === folder)!;
    assert.equal(run.state, 'finished');
    assert.ok(run.testAccuracy > 0.5);
    const detail = (
      await call(base, 'GET', `/api/run?id=${encodeURIComponent(folder)}`)
    ).json() as { history: { history: { val_loss: number[] } }; epochsDone: number };
    assert.equal(detail.epochsDone, 2);
    assert.equal(detail.history.history.val_loss.length, 2);
    const log = parseProgress(await readFile(join(dir, folder, 'progress.jsonl'), 'utf8'));
    assert.deepEqual(
      log.filter((e) => e.type !== 'batch').map((e) => e.type),
      ['begin', 'epoch', 'epoch', 'end'],
    );
    const model = await call(base, 'GET', `/files/${folder}/model/model.json`);
    assert.equal(model.status, 200);
    assert.equal(model.headers['content-type'], 'application/json; charset=utf-8');
    const served = (
      await call(base, 'GET', `/api/model?id=${encodeURIComponent(folder)}`)
    ).json() as { topology: { className: string }; weights: { size: number }[] };
    assert.equal(served.topology.className, 'Sequential');
    assert.deepEqual(
      served.weights.map((w) => w.size),
      [784 * 32, 32, 32 * 10, 10],
    );
    const weights = await fetch(
      new URL(`/api/model-weights?id=${encodeURIComponent(folder)}`, base),
    );
    assert.equal((await weights.arrayBuffer()).byteLength, 4 * (784 * 32 + 32 + 320 + 10));
    const diagram = await call(base, 'GET', `/api/model-diagram?id=${encodeURIComponent(folder)}`);
    assert.equal(diagram.status, 200);
    assert.match(diagram.body, /<svg[\s\S]*dense_1/);
  });

  test('a train started in a terminal is followed too: its state and its epochs, live', async () => {
    const id = 'runs/from-terminal';
    const streamed = readEvents(base, (evs) =>
      evs.some(
        (e) =>
          e.event === 'runs' &&
          (e.data as { id: string; state: string }[]).some(
            (r) => r.id === id && r.state === 'finished',
          ),
      ),
    );
    const cli = runCli(
      [
        'train',
        '--hidden',
        '16',
        '--epochs',
        '3',
        '--train-samples',
        '3000',
        '--test-samples',
        '200',
        '--backend',
        'js',
        '--out',
        join(dir, id),
        '--verbose',
        '0',
      ],
      { MNIST_LAB_DATA_DIR: '' },
    );
    const events = await streamed;
    assert.equal((await cli).code, 0);
    const states = events
      .filter((e) => e.event === 'runs')
      .map((e) => (e.data as { id: string; state: string }[]).find((r) => r.id === id)?.state)
      .filter((s) => s !== undefined);
    assert.ok(states.includes('running'), `states seen: ${states.join(', ')}`);
    const epochs = events
      .filter((e) => e.event === 'progress' && (e.data as { id: string }).id === id)
      .flatMap((e) => (e.data as { events: { type: string }[] }).events)
      .filter((e) => e.type === 'epoch');
    assert.equal(epochs.length, 3);
  });

  test('the form is checked by the CLI parsers; server-owned flags are refused', async () => {
    const cases: [unknown, RegExp][] = [
      [{ kind: 'train', args: ['--optimizer', 'nadamw'] }, /Unknown optimizer 'nadamw'/],
      [{ kind: 'train', args: ['--lr', '-1'] }, /--lr takes a positive number/],
      [{ kind: 'train', args: ['--bogus'] }, /unknown option '--bogus'/],
      [{ kind: 'train', args: ['--out', '/etc'] }, /--out is set by the server/],
      [{ kind: 'train', args: ['--data-dir=/etc'] }, /--data-dir is set by the server/],
      [{ kind: 'train', args: ['--early-stopping', '3'] }, /--validation-split/],
      [{ kind: 'sweep', args: ['nope'] }, /unknown sweep preset 'nope'/],
      [{ kind: 'sweep', args: [] }, /name a preset or give/],
      [{ kind: 'train', args: 'epochs 2' }, /args must be a list/],
      [{ kind: 'rm', args: [] }, /kind must be 'train' or 'sweep'/],
    ];
    for (const [body, message] of cases) {
      const res = await call(base, 'POST', '/api/jobs', { body: JSON.stringify(body) });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.json()['error'] as string, message);
    }
    assert.equal((await call(base, 'POST', '/api/jobs/train/stop', { body: '{}' })).status, 409);
  });

  test('a stop request ends a running train with SIGINT', async () => {
    const res = await call(base, 'POST', '/api/jobs', {
      body: JSON.stringify({
        kind: 'train',
        args: [
          '--epochs',
          '50',
          '--hidden',
          '16',
          '--train-samples',
          '2000',
          '--test-samples',
          '100',
          '--backend',
          'js',
        ],
      }),
    });
    assert.equal(res.status, 201, res.body);
    const folder = res.json()['folder'] as string;
    await waitFor('the first progress event', async () => {
      const p = (
        await call(base, 'GET', `/api/progress?id=${encodeURIComponent(folder)}`)
      ).json() as { events?: unknown[] };
      return (p.events?.length ?? 0) > 1;
    });
    assert.equal((await call(base, 'POST', '/api/jobs/train/stop', { body: '{}' })).status, 200);
    const job = await waitFor('the job to end', async () => {
      const { jobs } = (await call(base, 'GET', '/api/jobs')).json() as {
        jobs: { kind: string; state: string; folder: string }[];
      };
      return jobs.find(
        (j) => j.folder === folder && j.state !== 'running' && j.state !== 'stopping',
      );
    });
    assert.equal(job.state, 'stopped');
    const run = await waitFor('the run state', async () => {
      const r = (await call(base, 'GET', `/api/run?id=${encodeURIComponent(folder)}`)).json() as {
        state: string;
      };
      return r.state !== 'running' && r;
    });
    assert.equal(run.state, 'interrupted');
  });

  test("a run's evaluation figures are listed and served when the run has them", async () => {
    const id = 'runs/evaluated';
    await mkdir(join(dir, id), { recursive: true });
    await writeFile(join(dir, id, 'config.json'), JSON.stringify({ model: 'mlp', epochs: 1 }));
    await writeFile(
      join(dir, id, 'metrics.json'),
      JSON.stringify({ test: { loss: 0.1, accuracy: 0.97 } }),
    );
    await writeFile(
      join(dir, id, 'confusion-matrix.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    await writeFile(join(dir, id, 'misclassified.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const run = (await call(base, 'GET', `/api/run?id=${encodeURIComponent(id)}`)).json() as {
      files: string[];
      state: string;
    };
    assert.deepEqual(run.files, ['confusion-matrix.svg', 'misclassified.png']);
    assert.equal(run.state, 'finished');
    const svg = await call(base, 'GET', `/files/${id}/confusion-matrix.svg`);
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
    // Opened on its own, a run's SVG runs no script.
    assert.match(String(svg.headers['content-security-policy']), /default-src 'none'.*sandbox/);
  });

  test('nothing outside --dir is served: traversal, symlinks, dot files, other file kinds', async () => {
    const refused = [
      '/files/../../etc/passwd',
      '/files/%2e%2e/%2e%2e/etc/passwd',
      '/files/runs/..%2f..%2fetc/passwd.json',
      '/files/escape/secret.json',
      '/files/runs/linked/history.json',
      '/files/.hidden.json',
      '/files/notes.sh',
      '/files/%2fetc%2fpasswd.json',
      '/api/run?id=..',
      '/api/run?id=%2Fetc',
      '/api/run?id=escape',
      '/api/progress?id=../..',
      '/api/sweep?id=escape',
    ];
    for (const path of refused) {
      const res = await call(base, 'GET', path);
      assert.ok([400, 403, 404].includes(res.status), `${path}: ${res.status}`);
      assert.doesNotMatch(res.body, /"secret":true|root:/, path);
    }
    // The symlinked run folder lists, but its escaping file reads as absent.
    const linked = (await call(base, 'GET', '/api/run?id=runs%2Flinked')).json();
    assert.equal(linked['history'], null);
  });

  test('bodies are limited; cross-origin posts and foreign Host names are refused', async () => {
    const big = await call(base, 'POST', '/api/jobs', {
      body: JSON.stringify({ kind: 'train', args: ['x'.repeat(100_000)] }),
    });
    assert.equal(big.status, 413);
    const form = await call(base, 'POST', '/api/jobs', {
      body: 'kind=train',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 415);
    const cross = await call(base, 'POST', '/api/jobs/train/stop', {
      body: '{}',
      headers: { origin: 'http://evil.example' },
    });
    assert.equal(cross.status, 403);
    const otherPort = await call(base, 'POST', '/api/jobs/train/stop', {
      body: '{}',
      headers: { origin: base.replace(/:\d+\/$/, ':1') },
    });
    assert.equal(otherPort.status, 403);
    const rebinding = await call(base, 'GET', '/api/runs', {
      headers: { host: 'evil.example:8080' },
    });
    assert.equal(rebinding.status, 403);
    assert.equal(
      (await call(base, 'GET', '/api/runs', { headers: { host: 'localhost:8080' } })).status,
      200,
    );
    const page = await call(base, 'GET', '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /<script type="module" src="app.js">/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
  });

  test('the data slice for in-page training is bounded and exact', async () => {
    const res = await fetch(new URL('/api/data?dataset=mnist&split=test&offset=0&count=5', base));
    assert.equal(res.headers.get('x-shape'), '5,28,28');
    const body = new Uint8Array(await res.arrayBuffer());
    assert.equal(body.length, 5 * 784 + 5);
    assert.deepEqual([...body.subarray(5 * 784)], [7, 2, 1, 0, 4]); // the first MNIST test labels
    for (const q of [
      'count=100000',
      'count=0',
      'offset=-1',
      'split=all',
      'dataset=cifar',
      'offset=59999&count=5',
    ]) {
      assert.equal((await call(base, 'GET', `/api/data?${q}`)).status, 400, q);
    }
  });
});

describe('serve: a token on any address but loopback', () => {
  test('every request needs the token; the printed address sets a cookie', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'serve-token-'));
    const token = 'a'.repeat(48);
    const { app, base } = await start(dir, { host: '0.0.0.0', token });
    try {
      for (const path of ['/', '/api/runs', '/api/events', '/files/x.json']) {
        assert.equal((await call(base, 'GET', path)).status, 401, path);
      }
      assert.equal((await call(base, 'GET', '/api/runs?token=wrong')).status, 401);
      const first = await call(base, 'GET', `/?token=${token}`);
      assert.equal(first.status, 200);
      const cookie = String(first.headers['set-cookie']).split(';')[0]!;
      assert.match(String(first.headers['set-cookie']), /HttpOnly/i);
      assert.equal((await call(base, 'GET', '/api/runs', { headers: { cookie } })).status, 200);
      assert.equal(
        (await call(base, 'GET', '/api/runs', { headers: { authorization: `Bearer ${token}` } }))
          .status,
        200,
      );
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
