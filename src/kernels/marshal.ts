/**
 * A backend over compiled kernels (the native addon, the wasm module), derived from the kernel
 * schema: each call's arguments are flattened in schema order (what native/entries.h reads),
 * enum members become the codes the compiled side exported for their names, and whatever the
 * compiled side lacks (a kernel, or an op code of one) runs on the js reference instead, as
 * `fallbacks()` reports.
 */
import {
  COMPOSED_KERNELS,
  type Backend,
  type FloatArray,
  type KernelName,
  type Kernels,
  type OptimizerUpdate,
} from './backend.js';
import {
  KERNEL_ARGS,
  KERNEL_CHECKS,
  KERNEL_NAMES,
  OPTIMIZER_FIELDS,
  UPDATE_FIELDS,
  type CodeList,
  type Spec,
} from './kernel-args.js';

/** What one flattened argument is, for hosts that copy arrays (wasm). */
export type FlatKind =
  | 'f32in' // FloatArray, read
  | 'f32out' // FloatArray, written
  | 'f32inout' // FloatArray, read and written (may be null for optional ones)
  | 'i32in' // Int32Array, read
  | 'i32out' // Int32Array, written
  | 'labels' // Float32Array or Int32Array, read
  | 'scale' // Float32Array (read) or a number
  | 'number' // number or boolean
  | 'list'; // an array of FloatArrays or of lists of them, used in place (native only)

export type FlatArg =
  | FloatArray
  | Int32Array
  | number
  | boolean
  | null
  | readonly FloatArray[]
  | readonly (readonly FloatArray[])[];

export interface CompiledHost {
  readonly name: string;
  /** Whether the compiled side has this kernel. */
  has(kernel: KernelName): boolean;
  /** The compiled side's code lists: names in code order. */
  readonly codeLists: Readonly<Record<CodeList, readonly string[]>>;
  /** Runs a kernel on flattened arguments; throws the compiled side's error. */
  call(kernel: KernelName, args: FlatArg[], kinds: readonly FlatKind[]): void;
  getNumThreads(): number;
  setNumThreads(n: number): void;
  /** The compiled side's instruction set (see Backend.isa). */
  isa(): string;
}

/** Appends one argument's flattened form; false when the compiled side lacks an enum member. */
type Step = (value: unknown, out: FlatArg[]) => boolean;

interface Plan {
  steps: Step[];
  kinds: FlatKind[];
}

type Codes = ReadonlyMap<string, number>;

function planFor(specs: readonly Spec[], codes: Record<CodeList, Codes>): Plan {
  const steps: Step[] = [];
  const kinds: FlatKind[] = [];
  const add = (spec: Spec): void => {
    switch (spec.kind) {
      case 'in':
      case 'out':
      case 'inout': {
        kinds.push(`f32${spec.kind}`);
        steps.push((v, out) => (out.push((v as FloatArray | undefined) ?? null), true));
        return;
      }
      case 'i32in':
      case 'i32out':
        kinds.push(spec.kind);
        steps.push((v, out) => (out.push((v as Int32Array | undefined) ?? null), true));
        return;
      case 'labels':
      case 'scale':
        kinds.push(spec.kind);
        steps.push((v, out) => (out.push(v as FloatArray | Int32Array | number), true));
        return;
      case 'number': {
        kinds.push('number');
        const dflt = spec.default ?? NaN;
        steps.push((v, out) => (out.push((v as number | undefined) ?? dflt), true));
        return;
      }
      case 'uint32':
        kinds.push('number');
        steps.push((v, out) => (out.push((v as number) >>> 0), true));
        return;
      case 'bool':
        kinds.push('number');
        steps.push((v, out) => (out.push(v ? 1 : 0), true));
        return;
      case 'enum': {
        kinds.push('number');
        // A list an older compiled side lacks: every member falls back.
        const table: Codes = codes[spec.list] ?? new Map();
        // An unknown member (the caller's mistake) also goes to js, which names it.
        const dflt = spec.default;
        steps.push((v, out) => {
          const code = table.get((v as string | undefined) ?? dflt ?? '');
          if (code === undefined) return false;
          out.push(code);
          return true;
        });
        return;
      }
      case 'ints': {
        kinds.push('i32in');
        const pack = int32Packer(spec.name);
        steps.push((v, out) => (out.push(pack(v as readonly number[])), true));
        return;
      }
      case 'geometry': {
        kinds.push('i32in');
        const keys = spec.keys as readonly string[];
        const pack = int32Packer(spec.name, keys);
        const values = new Array<number>(keys.length);
        steps.push((v, out) => {
          const g = v as Record<string, number>;
          for (let i = 0; i < keys.length; i++) values[i] = g[keys[i]!]!;
          out.push(pack(values));
          return true;
        });
        return;
      }
      case 'options': {
        const fields = Object.entries(spec.fields) as [string, Spec][];
        const sub = fields.map(([key, s]) => {
          const before = steps.length;
          add(s);
          const step = steps.splice(before, 1)[0]!;
          return [key, step] as const;
        });
        steps.push((v, out) => {
          const o = (v ?? {}) as Record<string, unknown>;
          for (const [key, step] of sub) if (!step(o[key], out)) return false;
          return true;
        });
        return;
      }
      case 'update': {
        kinds.push('number');
        for (let i = 0; i < UPDATE_FIELDS; i++) kinds.push('number');
        const table = codes.optimizer;
        steps.push((v, out) => {
          const u = v as OptimizerUpdate;
          const code = table.get(u.kind);
          if (code === undefined) return false;
          out.push(code);
          const fields = OPTIMIZER_FIELDS[u.kind] as readonly string[];
          const rec = u as unknown as Record<string, number | boolean>;
          for (let i = 0; i < UPDATE_FIELDS; i++) {
            const field = fields[i];
            out.push(field === undefined ? 0 : Number(rec[field]));
          }
          return true;
        });
        return;
      }
      case 'list':
      case 'slotLists':
        kinds.push('list');
        steps.push((v, out) => (out.push(v as FloatArray[]), true));
        return;
      case 'slots':
        kinds.push('f32inout', 'f32inout', 'f32inout');
        steps.push((v, out) => {
          const slots = v as FloatArray[];
          if (slots.length > 3)
            throw new RangeError(`${spec.name}: at most 3 slot arrays, got ${slots.length}`);
          out.push(slots[0] ?? null, slots[1] ?? null, slots[2] ?? null);
          return true;
        });
        return;
    }
  };
  for (const spec of specs) add(spec);
  return { steps, kinds };
}

/**
 * Packs small integers into an Int32Array reused from call to call (the compiled side reads it
 * during the call only); a non-integer is a RangeError naming it.
 */
function int32Packer(
  what: string,
  keys?: readonly string[],
): (values: readonly number[]) => Int32Array {
  let buf = new Int32Array(0);
  return (values) => {
    if (buf.length !== values.length) buf = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      buf[i] = v;
      if (buf[i] !== v) {
        throw new RangeError(`${keys ? keys[i] : `${what}[${i}]`} must be an integer, got ${v}`);
      }
    }
    return buf;
  };
}

/**
 * A Backend whose kernels run on `host`, each kernel or op it lacks on `reference` (the js
 * backend). Float32 only.
 */
export function compiledBackend(host: CompiledHost, reference: Backend): Backend {
  const codes = {} as Record<CodeList, Codes>;
  for (const list of Object.keys(host.codeLists) as CodeList[]) {
    codes[list] = new Map(host.codeLists[list].map((name, i) => [name, i]));
  }
  const fallbacks: string[] = [];
  const backend: Record<string, unknown> = {
    name: host.name,
    supportsFloat64: false,
    getNumThreads: () => host.getNumThreads(),
    setNumThreads: (n: number) =>
      host.setNumThreads(Math.max(1, Math.floor(Number.isFinite(n) ? n : 1))),
    fallbacks: () => fallbacks,
    isa: () => host.isa(),
  };
  for (const kernel of KERNEL_NAMES) {
    const ref = (reference[kernel] as (...args: unknown[]) => void).bind(reference);
    const composed = COMPOSED_KERNELS[kernel];
    if (!host.has(kernel) && composed) {
      backend[kernel] = composed(backend as unknown as Kernels);
      continue;
    }
    if (!host.has(kernel)) {
      fallbacks.push(kernel);
      backend[kernel] = ref;
      continue;
    }
    const specs = KERNEL_ARGS[kernel] as readonly Spec[];
    for (const spec of enumsOf(specs)) {
      for (const m of spec.members) if (!codes[spec.list]?.has(m)) fallbacks.push(`${kernel}:${m}`);
    }
    const { steps, kinds } = planFor(specs, codes);
    const check = KERNEL_CHECKS[kernel] as ((...args: unknown[]) => void) | undefined;
    backend[kernel] = (...args: unknown[]): void => {
      check?.(...args);
      const flat: FlatArg[] = [];
      for (let i = 0; i < steps.length; i++) {
        if (!steps[i]!(args[i], flat)) {
          ref(...args);
          return;
        }
      }
      host.call(kernel, flat, kinds);
    };
  }
  return backend as unknown as Backend & Kernels;
}

function enumsOf(specs: readonly Spec[]): { list: CodeList; members: readonly string[] }[] {
  const out: { list: CodeList; members: readonly string[] }[] = [];
  for (const s of specs) {
    if (s.kind === 'enum') out.push(s);
    if (s.kind === 'options') out.push(...enumsOf(Object.values(s.fields) as Spec[]));
    if (s.kind === 'update')
      out.push({ list: 'optimizer', members: Object.keys(OPTIMIZER_FIELDS) });
  }
  return out;
}
