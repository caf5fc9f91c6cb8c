/** A data file that cannot be used; the message names the file and what is wrong with it. */
export class DataFormatError extends Error {
  override readonly name = 'DataFormatError';
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`${source}: ${problem}`);
  }
}
