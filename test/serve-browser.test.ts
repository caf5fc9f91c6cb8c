import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ServerApp } from '../server/app.js';
import type { Browser, Page } from 'playwright-core';
import '../node/backend-setup.js';
import { loadDataset } from '../node/data/load-dataset.js';
import { trainRun } from '../node/experiments/train-run.js';
import { loadModel } from '../node/models/load-model.js';
import { defaultSpec } from '../src/experiments/model-spec.js';
import { Tensor } from '../src/tensor/tensor.js';
import { buildServer } from '../server/app.js';
import { launchChromium, noBrowser, pageErrors, screenshot } from './helpers/browser.js';

const RUN = 'runs/drawn';

describe('serve: the page in Chromium', { skip: noBrowser }, () => {
  let dir: string;
  let app: ServerApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'serve-browser-'));
    // A real run to show and to draw for: the MLP on a slice of MNIST (about 95% on test).
    await trainRun(
      { ...defaultSpec('mlp'), hidden: [128], epochs: 3, batchSize: 64, validationSplit: 0.1 },
      {
        outDir: join(dir, RUN),
        trainSamples: 12000,
        testSamples: 1000,
        verbose: 0,
        print: () => {},
      },
    );
    ({ app } = await buildServer({ dir, jobEnv: { ...process.env, MNIST_LAB_DATA_DIR: '' } }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const open = async (hash: string): Promise<void> => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = pageErrors(page);
    await page.goto(`${base}${hash}`);
  };
  const close = async (): Promise<void> => {
    await page.close();
    assert.deepEqual(errors, [], 'the page logged no errors');
  };

  test('the runs list and a run page render, with non-empty charts', async () => {
    await open('#/');
    await page.waitForSelector(`tr[data-run="${RUN}"] .badge.finished`);
    await screenshot(page, 'runs');
    await page.click(`a[href="#/run?id=${encodeURIComponent(RUN)}"]`);
    await page.waitForSelector('.curves-chart svg, #main .chart svg');
    await page.waitForSelector('img.diagram');
    // Loss and accuracy panels, train and validation lines, each with real path data.
    const lines = await page.$$eval(
      '#main > .chart svg path[aria-roledescription="line mark"]',
      (ps) => ps.map((p) => (p.getAttribute('d') ?? '').length),
    );
    assert.ok(lines.length >= 4, `${lines.length} lines`);
    assert.ok(lines.every((n) => n > 20));
    assert.match((await page.textContent('.test-accuracy')) ?? '', /^\d+\.\d\d%$/);
    const diagramWidth = await page.$eval(
      'img.diagram',
      (img) => (img as unknown as { naturalWidth: number }).naturalWidth,
    );
    assert.ok(diagramWidth > 50, 'the model diagram loaded');
    await screenshot(page, 'run');
    await close();
  });

  test("drawing the strokes of test digits gives the model's class for each", async () => {
    const ds = await loadDataset('mnist', { download: false });
    const model = await loadModel(join(dir, RUN, 'model'));
    // Test digits the model reads confidently; their pixels are drawn as strokes, row by row.
    const picks: { pixels: Uint8Array; cls: number }[] = [];
    for (let i = 0; picks.length < 3 && i < 200; i++) {
      const pixels = ds.test.images.data.subarray(i * 784, (i + 1) * 784);
      const p = model.predict(
        new Tensor(
          Float32Array.from(pixels, (v) => v / 255),
          [1, 784],
        ),
      ).values;
      const cls = p.indexOf(Math.max(...p));
      if (p[cls]! > 0.97 && cls === ds.test.labels.data[i] && !picks.some((x) => x.cls === cls)) {
        picks.push({ pixels, cls });
      }
    }
    await open(`#/draw?id=${encodeURIComponent(RUN)}`);
    await page.waitForSelector(`#model-status[data-ready="${RUN}"]`);
    const box = (await page.$('#pad'))!.boundingBox();
    const { x, y } = (await box)!;
    for (const [n, { pixels, cls }] of picks.entries()) {
      await page.click('#clear');
      for (let row = 0; row < 28; row++) {
        for (let col = 0; col < 28; col++) {
          if (pixels[row * 28 + col]! < 128) continue;
          const start = col;
          while (col < 28 && pixels[row * 28 + col]! >= 128) col++;
          await page.mouse.move(x + start * 10 + 5, y + row * 10 + 5);
          await page.mouse.down();
          await page.mouse.move(x + (col - 1) * 10 + 5, y + row * 10 + 5, { steps: 2 });
          await page.mouse.up();
        }
      }
      const read = await page.getAttribute('#predicted', 'data-class');
      assert.equal(Number(read), cls, `digit ${n}: the model reads ${read}, expected ${cls}`);
      await screenshot(page, `draw-${cls}`);
    }
    await close();
  });

  test('a train started from the form streams its epochs live; stop ends another', async () => {
    await open('#/start');
    await page.waitForSelector('#train-form');
    // The js backend on a slice: slow enough to watch the epochs arrive one by one.
    await page.fill('#t-hidden', '64');
    await page.fill('#t-epochs', '3');
    await page.fill('#t-train-samples', '6000');
    await page.fill('#t-test-samples', '500');
    await page.selectOption('#t-backend', 'js');
    await page.click('#train-form button[type=submit]');
    await page.waitForURL(/#\/run\?id=runs/);
    const seen: number[] = [];
    const deadline = Date.now() + 120_000;
    for (;;) {
      const rows = await page.$$eval('.live-view .epoch-row', (r) => r.length);
      if (seen.at(-1) !== rows) seen.push(rows);
      if ((await page.$('.run-head .badge.finished')) && rows >= 3) break;
      assert.ok(Date.now() < deadline, `epochs seen: ${seen.join(', ')}`);
      if (rows === 1) await screenshot(page, 'live-first-epoch');
      await page.waitForTimeout(100);
    }
    // The rows arrived one at a time, not all at once at the end.
    assert.ok(seen.includes(1) && seen.includes(2), `epochs seen: ${seen.join(', ')}`);
    assert.match((await page.textContent('.progress-text')) ?? '', /epoch 3 \/ 3 · done/);
    await screenshot(page, 'live-finished');

    await page.goto(`${base}#/start`);
    await page.fill('#t-hidden', '64');
    await page.fill('#t-epochs', '50');
    await page.fill('#t-train-samples', '6000');
    await page.selectOption('#t-backend', 'js');
    await page.click('#train-form button[type=submit]');
    await page.waitForURL(/#\/run\?id=runs/);
    await page.waitForSelector('.progress-text:has-text("left")');
    await screenshot(page, 'live-running');
    await page.click('button.stop');
    await page.waitForSelector('.run-head .badge.interrupted', { timeout: 30_000 });
    await close();
  });

  test('a sweep started from the form: its table sorts by any column and links to its runs; runs overlay', async () => {
    await open('#/start');
    await page.fill('#s-grid', 'hidden=16,48');
    await page.fill(
      '#s-extra',
      '--epochs 2 --train-samples 2000 --test-samples 300 --validation-split 0.1 --jobs 1',
    );
    await page.click('#sweep-form button[type=submit]');
    await page.waitForSelector('.job[data-kind=sweep] .badge.finished', { timeout: 180_000 });
    await screenshot(page, 'jobs');
    await page.click('.job[data-kind=sweep] a');
    await page.waitForSelector('table.sweep tbody tr:nth-child(2)');
    await page.waitForSelector('.figures img');
    const column = async (n: number): Promise<string[]> =>
      page.$$eval(`table.sweep tbody tr td:nth-child(${n})`, (tds) =>
        tds.map((td) => td.textContent ?? ''),
      );
    // Sort by hidden, descending: click its header twice.
    await page.click('table.sweep th:has-text("hidden")');
    await page.click('table.sweep th:has-text("hidden")');
    assert.deepEqual(await column(2), ['48', '16']);
    await page.click('table.sweep th:has-text("test loss")');
    const losses = (await column(5)).map(Number);
    assert.ok(losses[0]! <= losses[1]!, `ascending: ${losses.join(', ')}`);
    await screenshot(page, 'sweep');
    const runLink = (await page.getAttribute('table.sweep tbody tr a', 'href'))!;
    await page.click('table.sweep tbody tr a');
    await page.waitForURL((u) => u.hash === runLink);
    await page.waitForSelector('#main > .chart svg');

    await page.goto(`${base}#/`);
    const boxes = await page.$$('tr[data-run*="/runs/"] input[type=checkbox]');
    assert.equal(boxes.length, 2);
    for (const b of boxes) await b.check();
    await page.click('a.button:has-text("Overlay")');
    await page.waitForSelector('.figures .chart:nth-child(4) svg');
    const legends = await page.$$eval('.figures .chart', (charts) => charts.length);
    assert.equal(legends, 4); // loss, accuracy, val_loss, val_accuracy
    await screenshot(page, 'compare');
    await close();
  });

  for (const where of ['worker', 'main'] as const) {
    test(`training in the page (${where === 'worker' ? 'a Web Worker' : "the page's thread, yieldEvery 'auto'"}): the loss falls while the page clock keeps ticking`, async () => {
      await open('#/train-here');
      await page.fill('#p-samples', '8000');
      await page.fill('#p-epochs', '3');
      await page.fill('#p-hidden', '64');
      await page.selectOption('#p-where', where);
      const ticksBefore = Number(await page.textContent('#clock'));
      const t0 = Date.now();
      await page.click('#start-here');
      await page.waitForSelector('#here-test', { timeout: 120_000 });
      const seconds = (Date.now() - t0) / 1000;
      const ticks = Number(await page.textContent('#clock')) - ticksBefore;
      const losses = await page.$$eval('.live-view .epoch-row td:nth-child(2)', (tds) =>
        tds.map((td) => Number(td.textContent)),
      );
      assert.equal(losses.length, 3);
      assert.ok(losses[2]! < losses[1]! && losses[1]! < losses[0]!, `losses ${losses.join(', ')}`);
      // A 50 ms clock keeps ticking while the model trains (a blocking fit gives it no tick):
      // beside a worker, at its own pace; on the page's thread, at each of fit's yields (every
      // 125 ms). No pause is long (the first chart drawn costs the most).
      const period = where === 'worker' ? 0.05 : 0.125;
      assert.ok(ticks >= 0.4 * (seconds / period), `${ticks} ticks in ${seconds.toFixed(1)} s`);
      const gap = Number(await page.textContent('#gap'));
      assert.ok(gap < 1000, `longest gap ${gap} ms`);
      const accuracy = Number(await page.getAttribute('#here-test', 'data-accuracy'));
      assert.ok(accuracy > 0.7, `test accuracy ${accuracy}`);
      await screenshot(page, `train-here-${where}`);
      await close();
    });
  }
});
