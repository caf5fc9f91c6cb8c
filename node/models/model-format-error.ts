export { ModelFormatError } from '../../src/models/model-format-error.js';
