/**
 * The C++ code lists (native/kernels.h) and entry points (native/entries.h) against the
 * TypeScript declarations: an op declared in TypeScript but missing from C++ fails here, and
 * also at run time, where the backend would report it in fallbacks() (see the conformance
 * suite's first test).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  codeListProblems,
  DECLARED,
  macroNames,
  optimizerFieldProblems,
} from './helpers/native-codes.js';

const root = new URL('../../', import.meta.url);
const kernelsH = readFileSync(new URL('native/kernels.h', root), 'utf8');
const entriesH = readFileSync(new URL('native/entries.h', root), 'utf8');
const optimizersInl = readFileSync(new URL('native/optimizers.inl', root), 'utf8');

test('native/kernels.h and entries.h list every declared op code and kernel', () => {
  assert.deepEqual(codeListProblems(kernelsH, entriesH), []);
  assert.deepEqual(macroNames(kernelsH, 'MLN_UNARY_OPS')?.length, DECLARED.unary.length);
});

test('an op code missing from the C++ list is reported', () => {
  // Remove one member of the unary list, as a forgotten C++ edit would.
  const victim = DECLARED.unary[DECLARED.unary.length - 1]!;
  const broken = kernelsH.replace(new RegExp(`X\\(\\s*\\w+\\s*,\\s*${victim}\\s*\\)`), '');
  assert.notEqual(broken, kernelsH, 'the edit applied');
  assert.deepEqual(codeListProblems(broken, entriesH), [
    `unary op '${victim}' is missing from MLN_UNARY_OPS`,
  ]);
  const noKernel = entriesH.replace(/X\(conv2d\)/, '');
  assert.deepEqual(codeListProblems(kernelsH, noKernel), [
    "kernel 'conv2d' has no entry in MLN_KERNELS or MLN_ADDON_KERNELS",
  ]);
});

test('each native optimizer reads the fields in the order TypeScript sends them', () => {
  assert.deepEqual(optimizerFieldProblems(optimizersInl), []);
  // Swapped fields, as a C++ edit that forgot the declaration would have them.
  const swapped = optimizersInl.replace('"lr, beta1, beta2"', '"lr, beta2, beta1"');
  assert.notEqual(swapped, optimizersInl, 'the edit applied');
  assert.deepEqual(optimizerFieldProblems(swapped), [
    'lion reads fields [lr, beta2, beta1], TypeScript sends [lr, beta1, beta2]',
  ]);
  assert.deepEqual(optimizerFieldProblems(optimizersInl.replace('struct lion', 'struct lions')), [
    'native/optimizers.inl has no struct lion with its kFields',
  ]);
});
