import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { test } from 'node:test';
import { runCli, startCli, tempDir } from './helpers/cli.js';

/** Starts `mnist-lab serve`, waits for the address it prints, and hands it to `fn`. */
async function withServe(
  args: string[],
  fn: (url: string, out: () => string) => Promise<void>,
): Promise<number | null> {
  const serve = startCli(['serve', ...args]);
  try {
    const [, url] = await serve.waitFor(/Open (http:\/\/\S+)/, 20_000);
    await fn(url!, () => serve.stdout + serve.stderr);
  } finally {
    await serve.stop('SIGINT');
  }
  return (await serve.exited).code;
}

test('serve prints its address, serves the page, and stops cleanly on Ctrl-C', async () => {
  const dir = await tempDir('cli-serve');
  try {
    const code = await withServe(['--dir', dir, '--port', '0'], async (url, out) => {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      assert.match(out(), new RegExp(`showing runs and sweeps under ${dir}`));
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<title>mnist-lab<\/title>/);
      const app = await fetch(new URL('app.js', url));
      assert.equal(app.status, 200);
      assert.ok(
        (await app.text()).length > 100_000,
        'the bundled page (vega-embed and the library inside)',
      );
    });
    assert.equal(code, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('serve on a non-loopback address prints a token the server requires', async () => {
  const dir = await tempDir('cli-serve');
  try {
    await withServe(['--dir', dir, '--port', '0', '--host', '0.0.0.0'], async (url) => {
      const m = /^http:\/\/localhost:(\d+)\/\?token=([0-9a-f]{48})$/.exec(url);
      assert.ok(m, url);
      assert.equal((await fetch(`http://127.0.0.1:${m[1]}/api/runs`)).status, 401);
      assert.equal((await fetch(url)).status, 200);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('serve refuses a missing --dir and a bad --port with one line', async () => {
  const missing = await runCli(['serve', '--dir', '/nonexistent/runs']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim(), 'mnist-lab: --dir /nonexistent/runs is not a folder.');
  const port = await runCli(['serve', '--port', '99999']);
  assert.notEqual(port.code, 0);
  assert.match(port.stderr, /--port takes a port number 0\.\.65535, got '99999'/);
});
