// `mnist-lab/lab` in Node: experiments and reports, plus training runs (the CLI's `train`),
// sweeps (`sweep`), figures rendered to SVG / PNG, and a model's evaluation written as files.
import './backend-setup.js';
import './models/index.js';

export * from '../src/lab.js';
export { runSweep, type SweepOptions, type SweepResult } from './experiments/sweep.js';
export { trainRun, type TrainRunOptions, type TrainRunResult } from './experiments/train-run.js';
export { renderChart, writeChart } from './reports/charts.js';
export { renderModelDiagram, writeModelDiagram } from './reports/model-diagram.js';
export { svgToPng } from './reports/svg-png.js';
export { scoreModel, writeEvaluation, EVALUATION_FILES } from './reports/evaluation-report.js';
