// Node-only callbacks (they write files).
export { CSVLogger, type CSVLoggerArgs } from './csv-logger.js';
export { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
export { formatTemplate, formatValue, pythonFloat } from './python-format.js';
export { ProgressLog } from './progress-log.js';
