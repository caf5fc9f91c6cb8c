import { resolve } from 'node:path';
import { Command } from 'commander';
import { exportOnnx } from '../../node/models/onnx.js';
import { loadModel } from '../../node/models/index.js';
import { deserializeLayer, RandomImageLayer } from '../../src/layers/index.js';
import { Sequential, sequential, type Model } from '../../src/models/index.js';
import { compileFromConfig } from '../../src/models/layers-format.js';
import { oneOf, UsageError } from '../parse.js';
import { modelDir } from '../run-model.js';

interface ExportFlags {
  run: string;
  format: 'onnx' | 'tfjs';
  out: string;
}

export function exportCommand(): Command {
  return new Command('export')
    .description(
      "Export a trained model for deployment: ONNX (ONNX Runtime, onnxruntime-web) or TF.js's Layers format (tf.loadLayersModel)",
    )
    .requiredOption('--run <dir>', 'a run folder written by `mnist-lab train`, or a model folder')
    .requiredOption(
      '--format <format>',
      'onnx or tfjs',
      oneOf('--format', ['onnx', 'tfjs'] as const),
    )
    .requiredOption(
      '--out <path>',
      'the .onnx file, or the folder for model.json and its weight shards',
    )
    .action(async (flags: ExportFlags) => {
      const out = resolve(flags.out);
      if (flags.format === 'onnx' && !out.endsWith('.onnx')) {
        throw new UsageError(`--out ${flags.out}: an ONNX model is one file; name it *.onnx.`);
      }
      const model = await loadModel(await modelDir(flags.run), {
        compile: flags.format === 'tfjs',
      });
      if (flags.format === 'onnx') await exportOnnx(model, out);
      else await withoutAugmentation(model).save(out);
      console.log(out);
    });
}

/**
 * The model without its augmentation layers (the identity at inference), for TF.js, which has
 * no RandomTranslation & co. and refuses a model.json that holds them. Sequential models only;
 * the weights are the same list (augmentation layers have none).
 */
function withoutAugmentation(model: Model): Model {
  const augmentation = model.layers.filter((l) => l instanceof RandomImageLayer);
  if (augmentation.length === 0) return model;
  if (!(model instanceof Sequential)) {
    throw new Error(
      'export --format tfjs: TF.js has no augmentation layers; rebuild this functional model without them first.',
    );
  }
  const kept = model.layers.filter((l) => !(l instanceof RandomImageLayer));
  const batchInputShape = model.layers[0]!.getConfig()['batchInputShape'];
  const copy = sequential({
    name: model.name,
    layers: kept.map((l, i) => {
      const config = { ...l.getConfig() };
      if (i === 0 && batchInputShape && !config['batchInputShape'])
        config['batchInputShape'] = batchInputShape;
      return deserializeLayer({ className: l.className, config });
    }),
  });
  copy.setWeights(model.getWeights());
  if (model.trainingConfig) compileFromConfig(copy, model.trainingConfig);
  return copy;
}
