import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addPeakFractions, formatTable, wasmCeilingLines, type Row } from './report.js';

function row(backend: string, threads: number, msPerCall: number): Row {
  return {
    label: backend,
    record: {
      workload: 'gemm',
      backend,
      threads,
      unit: 'GFLOP/s',
      value: 1 / msPerCall,
      msPerCall,
      msMin: msPerCall,
      msMax: msPerCall,
      trials: 3,
    },
  };
}

test('wasm rows get a fraction of their build peak, and TF.js wasm sets the ceiling line', () => {
  // 100 MFLOP: 2 ms is 50 GFLOP/s, 4 ms 25 GFLOP/s.
  const rows = [row('wasm', 1, 2), row('tfjs-wasm', 1, 4), row('native', 2, 1)];
  const peaks: Record<string, number> = { wasm: 62.5, 'tfjs-wasm': 50 };
  addPeakFractions(
    rows,
    () => 100e6,
    (threads) => 100 * threads,
    (backend) => peaks[backend],
  );
  assert.equal(rows[0]!.record.fractionOfWasmPeak, 0.8);
  assert.equal(rows[1]!.record.fractionOfWasmPeak, 0.5);
  assert.equal(rows[2]!.record.fractionOfWasmPeak, undefined);
  assert.equal(rows[2]!.record.fractionOfPeak, 0.5);
  assert.deepEqual(wasmCeilingLines(rows), [
    'gemm: tfjs-wasm ran at 50.0% of the wasm peak, so a one-thread wasm row at 100% would be 2.00x tfjs-wasm',
  ]);
  const table = formatTable(rows);
  assert.match(table.split('\n')[0]!, /% wasm peak/);
  assert.match(table, /\| +80\.0% \|/);
});

test('a table without wasm rows has no wasm-peak column', () => {
  const rows = [row('native', 1, 1)];
  addPeakFractions(
    rows,
    () => 100e6,
    () => 200,
  );
  assert.doesNotMatch(formatTable(rows), /wasm peak/);
  assert.deepEqual(wasmCeilingLines(rows), []);
});
