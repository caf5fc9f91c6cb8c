import { InvalidArgumentError } from 'commander';

/** Commander argument parsers that reject bad values with a message naming the flag. */
export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
      throw new InvalidArgumentError(`${flag} takes a whole number >= 1, got '${value}'.`);
    }
    return n;
  };
}

export function oneOf<T extends string>(flag: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(
        `${flag} must be one of ${choices.join(', ')}; got '${value}'.`,
      );
    }
    return value as T;
  };
}
