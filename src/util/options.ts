/**
 * The one reader for option objects and the one rule for registry names, shared by layers,
 * models (compile / fit / evaluate / predict), losses, optimizers, callbacks, initializers and
 * regularizers.
 *
 * Options: TF.js camelCase keys, or Keras snake_case ones (`batch_size`, `from_logits`,
 * `learning_rate`), which are folded into camelCase. A camelCase key and its snake_case twin
 * that disagree are an error; an unknown key is an error naming the closest known one.
 *
 * Names: case, `_` and `-` do not count, so 'categorical_crossentropy',
 * 'categoricalCrossentropy' and 'CategoricalCrossentropy' are one name.
 */

/** 'batchSize' -> 'batch_size'. */
export function snakeCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** 'batch_size' -> 'batchSize'. */
export function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The registry key of a name: lower case, without '_' and '-'. */
export function nameKey(name: string): string {
  return name.replace(/[_-]/g, '').toLowerCase();
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The known name closest to `name`, if any is close enough to be a likely typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const k = nameKey(name);
  let best: string | undefined;
  let bestD = Infinity;
  for (const cand of known) {
    const c = nameKey(cand);
    const d =
      c.startsWith(k) || k.startsWith(c) ? Math.abs(c.length - k.length) / 2 : editDistance(k, c);
    if (d < bestD) {
      best = cand;
      bestD = d;
    }
  }
  return bestD <= Math.max(2, Math.floor(k.length / 3)) ? best : undefined;
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function show(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export interface ReadOptionsExtra {
  /**
   * Keys accepted and dropped (Keras config keys that carry nothing here), each with a check of
   * its value; a value failing it is an error saying it is not supported.
   */
  ignore?: Readonly<Record<string, (value: unknown) => boolean>>;
}

/**
 * `given` checked against the `known` camelCase option names, with snake_case keys folded into
 * camelCase. Throws on a non-object, an unknown key (naming the closest known one) and a
 * disagreeing camelCase / snake_case pair. `where` starts each message ("fit()", "Dense").
 */
export function readOptions<T extends object>(
  where: string,
  given: T | null | undefined,
  known: readonly string[],
  extra: ReadOptionsExtra = {},
): T {
  if (given === undefined || given === null) return {} as T;
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new TypeError(`${where}: expected an object of options, got ${show(given)}.`);
  }
  const knownSet = new Set(known);
  const out: Record<string, unknown> = {};
  const from: Record<string, string> = {};
  for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
    if (value === undefined) continue;
    const name = knownSet.has(key) ? key : knownSet.has(camelCase(key)) ? camelCase(key) : null;
    if (name === null) {
      const check = extra.ignore?.[key];
      if (check) {
        if (check(value)) continue;
        throw new Error(`${where}: '${key}' = ${show(value)} is not supported.`);
      }
      const hint = closest(key, known);
      throw new Error(
        `${where}: unknown option '${key}'${hint ? `; did you mean '${hint}'?` : '.'} Options: ${known.join(', ') || '(none)'}.`,
      );
    }
    if (name in out && !same(out[name], value)) {
      throw new Error(
        `${where}: '${from[name]}' (${show(out[name])}) and '${key}' (${show(value)}) disagree; give one of them.`,
      );
    }
    out[name] = value;
    from[name] = key;
  }
  return out as T;
}

/**
 * A registry of named things (optimizers, losses, activations, ...) under the one name rule.
 * `kind` names the family in messages ("optimizer").
 */
export class Registry<T> {
  private readonly byKey = new Map<string, T>();
  private readonly shown: string[] = [];
  private readonly aliases = new Map<string, readonly string[]>();

  constructor(private readonly kind: string) {}

  /** Registers `value` under `name` (the spelling shown in messages) and any aliases. */
  register(name: string, value: T, aliases: readonly string[] = []): void {
    if (!this.byKey.has(nameKey(name))) this.shown.push(name);
    if (aliases.length > 0) this.aliases.set(name, aliases);
    this.byKey.set(nameKey(name), value);
    for (const a of aliases) this.byKey.set(nameKey(a), value);
  }

  has(name: string): boolean {
    return this.byKey.has(nameKey(name));
  }

  /** The names as shown in messages, in registration order. */
  names(): string[] {
    return [...this.shown];
  }

  find(name: string): T | undefined {
    return this.byKey.get(nameKey(name));
  }

  /** The value for `name`; throws naming the valid names (and a close one) otherwise. */
  get(name: unknown): T {
    const found = typeof name === 'string' ? this.find(name) : undefined;
    if (found !== undefined) return found;
    const hint = typeof name === 'string' ? closest(name, this.shown) : undefined;
    throw new Error(
      `Unknown ${this.kind} ${typeof name === 'string' ? `'${name}'` : show(name)}${hint ? `; did you mean '${hint}'?` : '.'} Valid ${this.kind.endsWith('s') ? `${this.kind}es` : `${this.kind}s`}: ${this.shown
        .map((n) => [n, ...(this.aliases.get(n) ?? [])].map((a) => `'${a}'`).join(' / '))
        .join(', ')} (any case; snake_case and camelCase spellings are the same name).`,
    );
  }
}
