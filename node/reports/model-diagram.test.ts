import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import '../../src/kernels/index.js';
import { input, layers } from '../../src/layers/index.js';
import { model, sequential } from '../../src/models/index.js';
import { diagramFormat, renderModelDiagram, writeModelDiagram } from './model-diagram.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(png: Buffer): [number, number] {
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

/** The SVG's size in points, as graphviz writes it. */
function svgSize(svg: string): [number, number] {
  const m = /<svg width="([\d.]+)pt" height="([\d.]+)pt"/.exec(svg);
  assert.ok(m, 'graphviz sizes its SVG in points');
  return [Number(m[1]), Number(m[2])];
}

function mlp() {
  return sequential({
    name: 'mlp',
    layers: [
      layers.dense({ units: 512, activation: 'relu', inputShape: [784], name: 'hidden' }),
      layers.dense({ units: 10, activation: 'softmax', name: 'probs' }),
    ],
  });
}

test('renderModelDiagram lays out every box and arrow, and rasterises at the given dpi', async () => {
  const x = input({ shape: [8], name: 'x <in>' });
  const a = layers.dense({ units: 4, name: 'left' }).apply(x);
  const b = layers.dense({ units: 6, name: 'right' }).apply(x);
  const m = model({ inputs: x, outputs: layers.concatenate({ name: 'cat' }).apply([a, b]) });
  const { svg, png } = await renderModelDiagram(m);
  assert.equal(svg.match(/<g id="node\d+" class="node">/g)?.length, 4);
  assert.equal(svg.match(/<g id="edge\d+" class="edge">/g)?.length, 4);
  assert.match(svg, />x &lt;in&gt;</);
  assert.match(svg, />\[\(None, 4\), \(None, 6\)\]</);
  assert.match(svg, /font-family="DejaVu Sans"/);
  // 200 dpi by default (Keras's plot_model): points * 200 / 72 pixels.
  const [wPt, hPt] = svgSize(svg);
  const [w, h] = pngSize(png);
  assert.ok(Math.abs(w - (wPt * 200) / 72) <= 1, `${w} px for ${wPt} pt`);
  assert.ok(Math.abs(h - (hPt * 200) / 72) <= 1, `${h} px for ${hPt} pt`);
  const small = await renderModelDiagram(m, { dpi: 72 });
  const [w72, h72] = pngSize(small.png);
  assert.ok(Math.abs(w72 - wPt) <= 1 && Math.abs(h72 - hPt) <= 1, `${w72}x${h72}`);
  await assert.rejects(renderModelDiagram(m, { dpi: -5 }), /dpi must be a positive number/);
});

test('left to right, without shapes: the boxes line up in a row and lose their shape cells', async () => {
  const tb = svgSize((await renderModelDiagram(mlp())).svg);
  const { svg } = await renderModelDiagram(mlp(), { rankdir: 'LR', showShapes: false });
  const lr = svgSize(svg);
  assert.ok(lr[0] > tb[0] && lr[1] < tb[1] / 2, `TB ${tb}, LR ${lr}`);
  assert.doesNotMatch(svg, /Input shape|None/);
  assert.match(svg, />hidden</);
});

test('writeModelDiagram picks SVG or PNG from the extension and refuses anything else', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mnist-lab-diagram-'));
  await writeModelDiagram(mlp(), join(dir, 'm.svg'));
  assert.match(
    await readFile(join(dir, 'm.svg'), 'utf8'),
    /^<\?xml[\s\S]*<svg[\s\S]*>probs<[\s\S]*<\/svg>\n?$/,
  );
  await writeModelDiagram(mlp(), join(dir, 'nested', 'm.PNG'));
  pngSize(await readFile(join(dir, 'nested', 'm.PNG')));
  await assert.rejects(
    writeModelDiagram(mlp(), join(dir, 'm.pdf')),
    /must end in \.svg or \.png, not \.pdf/,
  );
  assert.throws(() => diagramFormat('model'), /must end in \.svg or \.png \(it has no extension\)/);
  assert.deepEqual((await readdir(dir)).sort(), ['m.svg', 'nested']);
});
