import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const WATCH = new URL('./exit-with-parent.js', import.meta.url).href;

/** Running: it exists and (where /proc tells) is not a zombie left for an init that never reaps. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat');
  }
};

/**
 * A parent forks a child that keeps its main thread busy (as training does), then the parent
 * is SIGKILLed. Returns the child's pid once the parent is gone.
 */
async function orphan(watch: boolean): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'mnist-lab-orphan-'));
  const child = join(dir, 'child.mjs');
  await writeFile(
    child,
    `${watch ? `import ${JSON.stringify(WATCH)};\n` : ''}` +
      'process.send("busy");\nconst end = Date.now() + 8000;\nwhile (Date.now() < end) {}\n',
  );
  const parent = spawn(
    process.execPath,
    [
      '-e',
      `const c = require('node:child_process').fork(${JSON.stringify(child)});
       c.on('message', () => console.log(c.pid));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const pid = await new Promise<number>((resolve) =>
    parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  const gone = new Promise((resolve) => parent.once('exit', resolve));
  parent.kill('SIGKILL');
  await gone;
  return pid;
}

test('a busy child dies within a second of its parent being SIGKILLed', async () => {
  const pid = await orphan(true);
  for (let t = 0; alive(pid) && t < 40; t++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(alive(pid), false, 'the orphan is gone');
});

test('without the watch, the same child trains on as an orphan (the test above can fail)', async () => {
  const pid = await orphan(false);
  await new Promise((r) => setTimeout(r, 1500));
  try {
    assert.equal(alive(pid), true);
  } finally {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
});
