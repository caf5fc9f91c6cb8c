/** A saved model that cannot be read: the message names the file, the field and what is wrong. */
export class ModelFormatError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ModelFormatError';
  }
}
