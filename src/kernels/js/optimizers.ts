import type { FloatArray, OptimizerUpdate } from '../backend.js';
import { checkLength } from './check.js';

/**
 * Fused optimizer steps, one pass over the parameter. The formulas are Keras 3's
 * (keras/src/optimizers/{sgd,rmsprop,adam,adagrad,adadelta}.py) as restated in backend.ts;
 * each element is computed in doubles and its new state rounded once when stored.
 */

function slotsFor(update: OptimizerUpdate): string[] {
  switch (update.kind) {
    case 'sgd':
      return update.momentum !== 0 ? ['velocity'] : [];
    case 'rmsprop':
      return ['ms', ...(update.centered ? ['mg'] : []), ...(update.momentum > 0 ? ['mom'] : [])];
    case 'adam':
      return ['m', 'v', ...(update.amsgrad ? ['vhat'] : [])];
    case 'adagrad':
      return ['acc'];
    case 'adadelta':
      return ['ag', 'ad'];
  }
}

function checkSlots(
  update: OptimizerUpdate,
  param: FloatArray,
  grad: FloatArray,
  slots: FloatArray[],
): void {
  const kernel = `applyUpdate(${update.kind})`;
  checkLength(kernel, 'grad', grad, param.length);
  const names = slotsFor(update);
  if (slots.length !== names.length) {
    throw new RangeError(
      `${kernel}: expected slots [${names.join(', ')}], got ${slots.length} arrays`,
    );
  }
  names.forEach((name, i) => checkLength(kernel, `slot ${name}`, slots[i], param.length));
}

export function applyUpdate(
  update: OptimizerUpdate,
  param: FloatArray,
  grad: FloatArray,
  slots: FloatArray[],
): void {
  checkSlots(update, param, grad, slots);
  const n = param.length;
  switch (update.kind) {
    case 'sgd': {
      const { lr, momentum, nesterov } = update;
      if (momentum === 0) {
        for (let i = 0; i < n; i++) param[i] -= lr * grad[i];
        return;
      }
      const vel = slots[0];
      for (let i = 0; i < n; i++) {
        const g = grad[i];
        const v = momentum * vel[i] - lr * g;
        vel[i] = v;
        param[i] += nesterov ? momentum * v - lr * g : v;
      }
      return;
    }
    case 'rmsprop': {
      const { lr, rho, momentum, epsilon, centered } = update;
      const ms = slots[0];
      const mg = centered ? slots[1] : undefined;
      const mom = momentum > 0 ? slots[centered ? 2 : 1] : undefined;
      for (let i = 0; i < n; i++) {
        const g = grad[i];
        const s = rho * ms[i] + (1 - rho) * g * g;
        ms[i] = s;
        let denom = s + epsilon;
        if (mg) {
          const a = rho * mg[i] + (1 - rho) * g;
          mg[i] = a;
          denom = s - a * a + epsilon;
        }
        const inc = (lr * g) / Math.sqrt(denom);
        if (mom) {
          const m = momentum * mom[i] + inc;
          mom[i] = m;
          param[i] -= m;
        } else {
          param[i] -= inc;
        }
      }
      return;
    }
    case 'adam': {
      const { lr, beta1, beta2, epsilon, step, amsgrad } = update;
      if (!Number.isInteger(step) || step < 1) {
        throw new RangeError(`applyUpdate(adam): step is 1-based, got ${step}`);
      }
      const alpha = (lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
      const [m, v] = slots as [FloatArray, FloatArray];
      const vhat = amsgrad ? slots[2] : undefined;
      for (let i = 0; i < n; i++) {
        const g = grad[i];
        const mi = m[i] + (g - m[i]) * (1 - beta1);
        let vi = v[i] + (g * g - v[i]) * (1 - beta2);
        m[i] = mi;
        v[i] = vi;
        if (vhat) {
          vi = Math.max(vhat[i], vi);
          vhat[i] = vi;
        }
        param[i] -= (alpha * mi) / (Math.sqrt(vi) + epsilon);
      }
      return;
    }
    case 'adagrad': {
      const { lr, epsilon } = update;
      const acc = slots[0];
      for (let i = 0; i < n; i++) {
        const g = grad[i];
        const a = acc[i] + g * g;
        acc[i] = a;
        param[i] -= (lr * g) / Math.sqrt(a + epsilon);
      }
      return;
    }
    case 'adadelta': {
      const { lr, rho, epsilon } = update;
      const [ag, ad] = slots as [FloatArray, FloatArray];
      for (let i = 0; i < n; i++) {
        const g = grad[i];
        const a = rho * ag[i] + (1 - rho) * g * g;
        ag[i] = a;
        const d = (-Math.sqrt(ad[i] + epsilon) / Math.sqrt(a + epsilon)) * g;
        ad[i] = rho * ad[i] + (1 - rho) * d * d;
        param[i] += lr * d;
      }
      return;
    }
  }
}
