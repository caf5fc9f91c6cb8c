import { resolve } from 'node:path';
import { Command } from 'commander';
import { exportOnnx } from '../../node/models/onnx.js';
import { loadModel } from '../../node/models/index.js';
import { oneOf } from '../parse.js';
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
        throw new Error(`--out ${flags.out}: an ONNX model is one file; name it *.onnx.`);
      }
      const model = await loadModel(await modelDir(flags.run), {
        compile: flags.format === 'tfjs',
      });
      if (flags.format === 'onnx') await exportOnnx(model, out);
      else await model.save(out);
      console.log(out);
    });
}
