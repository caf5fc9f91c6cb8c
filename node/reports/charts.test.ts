import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import {
  overlaySpec,
  runCurvesSpec,
  seriesColors,
  type RunCurves,
} from '../../src/reports/chart-specs.js';
import { renderChart, writeChart } from './charts.js';

const run: RunCurves = {
  label: 'hidden=256 seed=42',
  group: 'hidden=256',
  history: {
    loss: [0.42, 0.19, 0.13, 0.1, 0.08],
    accuracy: [0.88, 0.945, 0.962, 0.971, 0.977],
    val_loss: [0.21, 0.15, 0.12, 0.11, 0.105],
    val_accuracy: [0.938, 0.956, 0.965, 0.969, 0.971],
  },
};

function sweep(): RunCurves[] {
  const runs: RunCurves[] = [];
  for (const hidden of [64, 128, 1024]) {
    for (const seed of [1, 2]) {
      const top = 0.95 + hidden / 1e5 + seed / 1e3;
      runs.push({
        label: `hidden=${hidden} seed=${seed}`,
        group: `hidden=${hidden}`,
        history: { val_accuracy: [1, 2, 3, 4].map((e) => top - 0.04 / e) },
      });
    }
  }
  return runs;
}

/** Text of every <text> element, in document order. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

/** Line marks: Vega gives each line's <path> an ARIA role description. */
function lineCount(svg: string): number {
  return svg.match(/<path[^>]*aria-roledescription="line mark"/g)?.length ?? 0;
}

function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  assert.ok(m, 'an <svg> root with width and height');
  return { width: Number(m[1]), height: Number(m[2]) };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which always comes first. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** How many pixels lie within `tolerance` (per channel) of a '#rrggbb' colour. */
async function pixelsNear(png: Buffer, hex: string, tolerance = 24): Promise<number> {
  const { data } = PNG.sync.read(png); // RGBA
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let o = 0; o < data.length; o += 4) {
    if (rgb.every((c, k) => Math.abs(data[o + k]! - c) <= tolerance)) n++;
  }
  return n;
}

describe('renderChart', () => {
  it('renders a run figure: titles, axes, legend and four lines', async () => {
    const { svg } = await renderChart(runCurvesSpec(run));
    const t = texts(svg);
    for (const s of ['hidden=256 seed=42', 'Loss', 'Accuracy', 'Epoch', 'train', 'validation']) {
      assert.ok(t.includes(s), `missing text '${s}' in ${t.join(' | ')}`);
    }
    // Whole epochs only, from 1, and accuracy in percent.
    assert.ok(t.includes('1') && t.includes('5') && !t.includes('0') && !t.includes('1.5'));
    assert.ok(
      t.some((s) => /^9\d(\.\d+)?%$/.test(s)),
      'percent accuracy ticks',
    );
    assert.equal(lineCount(svg), 4);
    assert.match(svg, /font-family="DejaVu Sans"/);
  });

  it('rasterises at twice the SVG size, with the series lines actually drawn', async () => {
    // Thirty epochs: no points on the lines, so the colours counted come from the lines (the
    // legend's stroke symbols alone cover about 200 pixels).
    const curve = (a: number, b: number) => Array.from({ length: 30 }, (_, i) => a + b / (i + 1));
    const long: RunCurves = {
      ...run,
      history: {
        loss: curve(0.05, 0.4),
        accuracy: curve(0.99, -0.1),
        val_loss: curve(0.1, 0.2),
        val_accuracy: curve(0.97, -0.05),
      },
    };
    const { svg, png } = await renderChart(runCurvesSpec(long));
    const size = svgSize(svg);
    assert.deepEqual(pngSize(png), { width: 2 * size.width, height: 2 * size.height });
    const train = await pixelsNear(png, seriesColors.train);
    const validation = await pixelsNear(png, seriesColors.validation);
    assert.ok(train > 1000, `train lines drawn (${train} pixels)`);
    assert.ok(validation > 1000, `validation lines drawn (${validation} pixels)`);
  });

  it('honours the PNG scale option', async () => {
    const { svg, png } = await renderChart(runCurvesSpec(run), { scale: 1 });
    assert.deepEqual(pngSize(png), svgSize(svg));
  });

  it('renders an overlay: six lines, legend entries in group order', async () => {
    const { svg, png } = await renderChart(
      overlaySpec(sweep(), 'val_accuracy', { groupTitle: 'hidden' }),
    );
    assert.equal(lineCount(svg), 6);
    const t = texts(svg);
    assert.ok(t.includes('Validation accuracy') && t.includes('hidden'));
    const legend = t.filter((s) => ['64', '128', '1024'].includes(s));
    assert.deepEqual(legend, ['64', '128', '1024']);
    // The first group takes the first Tableau colour, which is also the train colour.
    assert.ok((await pixelsNear(png, '#4c78a8')) > 300);
  });

  it('shows long legend titles and labels whole, never cut with an ellipsis', async () => {
    const groups = ['sgd+momentum 0.9, 128', 'adam with a long description, 256'];
    const runs = groups.map((g) => ({ label: g, group: g, history: run.history }));
    const { svg } = await renderChart(
      overlaySpec(runs, 'val_accuracy', { groupTitle: 'optimizer, batch-size' }),
    );
    const t = texts(svg);
    for (const label of [...groups, 'optimizer, batch-size']) assert.ok(t.includes(label), label);
    assert.ok(!t.some((s) => s.includes('…')), t.join(' | '));
  });

  it('escapes labels with markup characters and still rasterises', async () => {
    const odd: RunCurves = { ...run, label: 'lr=1e-3 [a.b] & <x>' };
    const { svg, png } = await renderChart(runCurvesSpec(odd));
    assert.ok(texts(svg).includes('lr=1e-3 [a.b] &amp; &lt;x&gt;'));
    assert.ok((await pixelsNear(png, seriesColors.train)) > 300);
  });
});

describe('writeChart', () => {
  it('writes the SVG and PNG beside each other and leaves no temporary files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'charts-'));
    const base = join(dir, 'figures', 'val-accuracy');
    const spec = overlaySpec(sweep(), 'val_accuracy');
    const paths = await writeChart(spec, base);
    assert.deepEqual(paths, { svg: `${base}.svg`, png: `${base}.png` });
    const { svg, png } = await renderChart(spec);
    assert.equal(await readFile(paths.svg, 'utf8'), svg);
    assert.deepEqual(pngSize(await readFile(paths.png)), pngSize(png));
    assert.deepEqual((await readdir(join(dir, 'figures'))).sort(), [
      'val-accuracy.png',
      'val-accuracy.svg',
    ]);
  });
});
