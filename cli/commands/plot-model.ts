import { resolve } from 'node:path';
import { Command } from 'commander';
import { buildModelForDataset } from '../../src/experiments/build-model.js';
import { withoutWeights } from '../../src/layers/layer.js';
import type { Model } from '../../src/models/model.js';
import { loadTopology } from '../../node/models/load-model.js';
import { diagramFormat, writeModelDiagram } from '../../node/reports/model-diagram.js';
import { asUsage, oneOf, UsageError } from '../parse.js';
import { modelDir } from '../run-model.js';
import { addTrainOptions, specFromFlags } from './train.js';

type TrainFlags = Parameters<typeof specFromFlags>[0];

interface PlotFlags extends TrainFlags {
  run?: string;
  out: string;
  shapes: boolean;
  rankdir: 'TB' | 'LR';
}

/** Flags that shape a model built from flags, meaningless next to --run. */
const MODEL_FLAGS = ['model', 'hidden', 'activation', 'dropout', 'batchnorm', 'dataset'] as const;

const PLOT_FLAGS = ['run', 'out', 'shapes', 'rankdir'];

/** Built from shapes alone: a diagram needs no weights, so a huge model costs no memory. */
function modelFromFlags(flags: PlotFlags): Model {
  const spec = specFromFlags(flags);
  return withoutWeights(() => buildModelForDataset(spec));
}

export function plotModelCommand(): Command {
  const cmd = addTrainOptions(
    new Command('plot-model').description(
      "Draw a model's layers and shapes as a diagram (Keras's plot_model): the model the train flags describe (other train flags are accepted and ignored), or a saved run's",
    ),
  )
    .option('--run <dir>', 'draw the model of a run folder (or a model folder) instead')
    .option('--out <file>', 'the diagram, .png or .svg', 'model.png')
    .option('--no-shapes', 'leave out the input and output shapes')
    .option(
      '--rankdir <dir>',
      'TB top to bottom, LR left to right',
      oneOf('--rankdir', ['TB', 'LR'] as const),
      'TB',
    );
  // Training-only flags are accepted, so a train command line can be reused, but not listed.
  for (const o of cmd.options) {
    const key = o.attributeName();
    if (!(MODEL_FLAGS as readonly string[]).includes(key) && !PLOT_FLAGS.includes(key)) {
      o.hideHelp();
    }
  }
  return cmd.action(async (flags: PlotFlags) => {
    // Fail on a bad file name before any work.
    asUsage(() => diagramFormat(flags.out));
    let model: Model;
    if (flags.run !== undefined) {
      const given = MODEL_FLAGS.filter((f) => cmd.getOptionValueSource(f) === 'cli');
      if (given.length > 0) {
        throw new UsageError(
          `--run draws the saved model; drop ${given.map((f) => `--${f}`).join(', ')}.`,
        );
      }
      model = await loadTopology(await modelDir(flags.run));
    } else {
      model = modelFromFlags(flags);
    }
    const out = resolve(flags.out);
    await writeModelDiagram(model, out, { showShapes: flags.shapes, rankdir: flags.rankdir });
    console.log(out);
  });
}
