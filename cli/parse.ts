import { InvalidArgumentError } from 'commander';

/**
 * The command line is wrong: flags that do not go together, or a name nothing answers to. Found
 * after commander's parse, before anything runs; the CLI prints its message and exits 2.
 */
export class UsageError extends Error {}

/** Runs `check`, turning whatever it throws into a UsageError (for checks of flag values). */
export function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError((e as Error).message);
  }
}

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

export function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
      throw new InvalidArgumentError(`${flag} takes a positive number, got '${value}'.`);
    }
    return n;
  };
}

/** A number in [lo, hi) (hi exclusive), e.g. rates and fractions. */
export function fraction(flag: string, lo = 0, hi = 1) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < lo || n >= hi) {
      throw new InvalidArgumentError(`${flag} takes a number in [${lo}, ${hi}), got '${value}'.`);
    }
    return n;
  };
}

export function nonNegativeInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) {
      throw new InvalidArgumentError(`${flag} takes a whole number >= 0, got '${value}'.`);
    }
    return n;
  };
}

/** Comma-separated positive integers, e.g. --hidden 512,256. */
export function intList(flag: string) {
  return (value: string): number[] => {
    const parts = value.split(',').map((s) => s.trim());
    const nums = parts.map(Number);
    if (parts.some((p) => !/^\d+$/.test(p)) || nums.some((n) => n < 1)) {
      throw new InvalidArgumentError(
        `${flag} takes comma-separated whole numbers >= 1 (e.g. 512,256), got '${value}'.`,
      );
    }
    return nums;
  };
}

/** Hidden layer sizes: comma-separated whole numbers, or 'none' for no hidden layer (softmax regression). */
export function hiddenSizes(flag: string) {
  const list = intList(flag);
  return (value: string): number[] => {
    if (value.trim().toLowerCase() === 'none') return [];
    try {
      return list(value);
    } catch {
      throw new InvalidArgumentError(
        `${flag} takes comma-separated whole numbers >= 1 (e.g. 512,256) or 'none', got '${value}'.`,
      );
    }
  };
}

/** A number >= 0 (e.g. epochs of warm-up, a minimum rate). */
export function nonNegativeNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
      throw new InvalidArgumentError(`${flag} takes a number >= 0, got '${value}'.`);
    }
    return n;
  };
}

/** Comma-separated positive numbers, e.g. --lr-values 0.01,0.001. */
export function positiveNumberList(flag: string) {
  return (value: string): number[] => {
    const parts = value.split(',').map((s) => s.trim());
    const nums = parts.map(Number);
    if (parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n) || n <= 0)) {
      throw new InvalidArgumentError(
        `${flag} takes comma-separated positive numbers (e.g. 0.01,0.001), got '${value}'.`,
      );
    }
    return nums;
  };
}

/** 'first:N' or 'last:N' (also 'first N', 'last=N'): which N training images to hold out. */
export function holdout(flag: string) {
  return (value: string): { where: 'first' | 'last'; count: number } => {
    const m = /^\s*(first|last)\s*[:= ]\s*(\d+)\s*$/i.exec(value);
    const count = m ? Number(m[2]) : NaN;
    if (!m || !Number.isSafeInteger(count) || count < 1) {
      throw new InvalidArgumentError(
        `${flag} takes first:N or last:N with N >= 1 (e.g. first:10000), got '${value}'.`,
      );
    }
    return { where: m[1]!.toLowerCase() as 'first' | 'last', count };
  };
}
