/**
 * Reads the code lists of native/kernels.h (the MLN_*_OPS X-macros) and the kernel list of
 * native/entries.h, and compares them with the TypeScript declarations.
 */
import {
  BINARY_OPS,
  COMPOSED_KERNELS,
  EPILOGUES,
  FILL_MODES,
  INTERPOLATIONS,
  REDUCE_OPS,
  UNARY_OPS,
} from '../../src/kernels/backend.js';
import type { CodeList } from '../../src/kernels/kernel-args.js';
import { KERNEL_NAMES, OPTIMIZER_FIELDS, OPTIMIZER_KINDS } from '../../src/kernels/kernel-args.js';

/** The declared members of each code list. */
export const DECLARED: Record<CodeList, readonly string[]> = {
  unary: UNARY_OPS,
  binary: BINARY_OPS,
  reduce: REDUCE_OPS,
  epilogue: EPILOGUES,
  optimizer: OPTIMIZER_KINDS,
  fillMode: FILL_MODES,
  interpolation: INTERPOLATIONS,
};

const MACROS: Record<CodeList, string> = {
  unary: 'MLN_UNARY_OPS',
  binary: 'MLN_BINARY_OPS',
  reduce: 'MLN_REDUCE_OPS',
  epilogue: 'MLN_EPILOGUES',
  optimizer: 'MLN_OPTIMIZERS',
  fillMode: 'MLN_FILL_MODES',
  interpolation: 'MLN_INTERPOLATIONS',
};

/** The body of `#define NAME(X) ...`, continuation lines joined; undefined when absent. */
function macroBody(source: string, name: string): string | undefined {
  const joined = source.replace(/\\\r?\n/g, ' ');
  const m = new RegExp(`^#define ${name}\\(X\\)(.*)$`, 'm').exec(joined);
  return m?.[1];
}

/** Member names of an X-macro list: X(CODE, name) or X(name). */
export function macroNames(source: string, name: string): string[] | undefined {
  const body = macroBody(source, name);
  if (body === undefined) return undefined;
  return [...body.matchAll(/X\(\s*(?:\w+\s*,\s*)?(\w+)\s*\)/g)].map((m) => m[1]!);
}

/** One line per disagreement between kernels.h / entries.h and the declarations. */
export function codeListProblems(kernelsH: string, entriesH: string): string[] {
  const problems: string[] = [];
  for (const list of Object.keys(MACROS) as CodeList[]) {
    const names = macroNames(kernelsH, MACROS[list]);
    if (names === undefined) {
      problems.push(`native/kernels.h has no ${MACROS[list]} list`);
      continue;
    }
    for (const m of DECLARED[list])
      if (!names.includes(m)) problems.push(`${list} op '${m}' is missing from ${MACROS[list]}`);
    for (const n of names)
      if (!DECLARED[list].includes(n))
        problems.push(`${MACROS[list]} has '${n}', undeclared in TypeScript`);
  }
  const everyHost = macroNames(entriesH, 'MLN_KERNELS') ?? [];
  const addonOnly = macroNames(entriesH, 'MLN_ADDON_KERNELS') ?? [];
  for (const k of KERNEL_NAMES)
    if (!everyHost.includes(k) && !addonOnly.includes(k))
      problems.push(`kernel '${k}' has no entry in MLN_KERNELS or MLN_ADDON_KERNELS`);
  // The wasm module lacks these: without a composed definition it would fall back to js.
  for (const k of addonOnly)
    if (!(k in COMPOSED_KERNELS))
      problems.push(`addon-only kernel '${k}' has no composed definition for the other hosts`);
  return problems;
}

/**
 * One line per optimizer whose C++ struct (native/optimizers.inl) is missing or reads its
 * fields in another order than OPTIMIZER_FIELDS sends them (its `kFields` string).
 */
export function optimizerFieldProblems(optimizersInl: string): string[] {
  const problems: string[] = [];
  for (const kind of OPTIMIZER_KINDS) {
    const m = new RegExp(
      `struct ${kind} \\{[^\\n]*\\n\\s*static constexpr const char\\* kFields = "([^"]*)";`,
    ).exec(optimizersInl);
    if (!m) {
      problems.push(`native/optimizers.inl has no struct ${kind} with its kFields`);
      continue;
    }
    const native = m[1]!.split(',').map((f) => f.trim());
    const declared = OPTIMIZER_FIELDS[kind] as readonly string[];
    if (native.join(',') !== declared.join(',')) {
      problems.push(
        `${kind} reads fields [${native.join(', ')}], TypeScript sends [${declared.join(', ')}]`,
      );
    }
  }
  return problems;
}
