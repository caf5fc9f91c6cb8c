import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallbackParams, Logs } from './callback.js';
import { formatLogValue, ProgbarLogger, type ProgbarLoggerOptions } from './progbar-logger.js';

function params(over: Partial<CallbackParams> = {}): CallbackParams {
  return { epochs: 2, steps: 3, samples: 90, batchSize: 32, verbose: 1, metrics: [], ...over };
}

/** Runs epochs of `steps` batches, `stepMs` apart, and returns everything written. */
function simulate(
  options: ProgbarLoggerOptions,
  p: CallbackParams,
  stepMs: number,
  epochLogs: (e: number) => Logs,
): string[] {
  const out: string[] = [];
  let clock = 0;
  const bar = new ProgbarLogger({ write: (s) => out.push(s), now: () => clock, ...options });
  bar.setParams(p);
  bar.onTrainBegin();
  for (let e = 0; e < p.epochs; e++) {
    bar.onEpochBegin(e);
    for (let b = 0; b < p.steps; b++) {
      bar.onBatchBegin(b);
      clock += stepMs;
      bar.onBatchEnd(b, { loss: 1 / (b + 1), accuracy: 0.5 + b / 100 });
    }
    clock += 20; // validation
    bar.onEpochEnd(e, epochLogs(e));
  }
  bar.onTrainEnd();
  return out;
}

const logs = (e: number): Logs => ({
  loss: 0.3 - e / 10,
  accuracy: 0.9,
  val_loss: 0.25,
  val_accuracy: 0.000012,
});

describe('ProgbarLogger', () => {
  it('writes exactly one plain line per epoch when not a TTY', () => {
    const out = simulate({ isTTY: false }, params(), 400, logs);
    assert.deepEqual(out, [
      'Epoch 1/2 - 3/3 - 1s - 410ms/step - accuracy: 0.9000 - loss: 0.3000 - val_accuracy: 1.2000e-05 - val_loss: 0.2500\n',
      'Epoch 2/2 - 3/3 - 1s - 410ms/step - accuracy: 0.9000 - loss: 0.2000 - val_accuracy: 1.2000e-05 - val_loss: 0.2500\n',
    ]);
  });

  it('verbose 2 gives one line per epoch even on a TTY', () => {
    const out = simulate(
      { isTTY: true, verbose: 2 },
      params({ epochs: 1, steps: 1000 }),
      2,
      () => ({ loss: 2 }),
    );
    assert.equal(out.length, 1);
    assert.match(out[0]!, /^Epoch 1\/1 - 1000\/1000 - 2s - 2ms\/step - loss: 2\.0000\n$/);
  });

  it('draws a live bar on a TTY, redrawn in place at most every 100 ms', () => {
    const out = simulate({ isTTY: true, color: false }, params({ steps: 50 }), 10, logs);
    assert.equal(out[0], 'Epoch 1/2\n');
    const firstEpoch = out.slice(1, out.indexOf('Epoch 2/2\n'));
    // 50 steps of 10 ms: the first step, then one redraw per 100 ms, then the final line.
    assert.ok(firstEpoch.length >= 5 && firstEpoch.length <= 7, `${firstEpoch.length} writes`);
    assert.ok(firstEpoch.every((s) => s.startsWith('\r')));
    assert.match(
      firstEpoch[0]!,
      /^\r 1\/50 ─{20} 0s 10ms\/step - accuracy: 0\.5000 - loss: 1\.0000$/,
    );
    const last = firstEpoch[firstEpoch.length - 1]!;
    assert.equal(
      last,
      '\r50/50 ━━━━━━━━━━━━━━━━━━━━ 1s 10ms/step - accuracy: 0.9000 - loss: 0.3000 - val_accuracy: 1.2000e-05 - val_loss: 0.2500\n',
    );
    // Midway, the bar is partly filled and shows the time left.
    const mid = firstEpoch[2]!;
    assert.match(mid, /^\r\d\d\/50 ━+─+ 0s 10ms\/step/);
  });

  it('pads a shorter redraw so no stale characters remain', () => {
    const out: string[] = [];
    let clock = 0;
    const bar = new ProgbarLogger({
      write: (s) => out.push(s),
      isTTY: true,
      color: false,
      now: () => clock,
    });
    bar.setParams(params({ epochs: 1, steps: 2 }));
    bar.onEpochBegin(0);
    clock = 200;
    bar.onBatchEnd(0, { loss: 123.456789, accuracy: 0.5 });
    clock = 400;
    bar.onBatchEnd(1, { loss: 1 });
    assert.equal(out[1]!.length, out[0]!.length);
  });

  it('colours the live bar like Keras when asked', () => {
    const out = simulate({ isTTY: true, color: true }, params({ epochs: 1, steps: 2 }), 10, logs);
    assert.ok(out.some((s) => s.includes('\x1b[32m━') && s.includes('\x1b[1m')));
  });

  it('is silent at verbose 0', () => {
    assert.deepEqual(simulate({ verbose: 0 }, params(), 1, logs), []);
    assert.deepEqual(simulate({ isTTY: true }, params({ verbose: 0 }), 1, logs), []);
  });

  it('formats values as Keras does', () => {
    assert.equal(formatLogValue(0.3), '0.3000');
    assert.equal(formatLogValue(-2.5), '-2.5000');
    assert.equal(formatLogValue(1.23456e-5), '1.2346e-05');
    assert.equal(formatLogValue(0), '0.0000e+00');
    assert.equal(formatLogValue(NaN), 'nan');
    assert.equal(formatLogValue(-Infinity), '-inf');
  });
});
