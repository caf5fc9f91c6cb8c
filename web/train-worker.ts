// The in-page training worker: the page stays free while the library trains here.
import type { Model } from '../src/models/index.js';
import { trainInPage, type InPageConfig, type InPageMessage } from './train-core.js';

const scope = self as unknown as {
  postMessage(m: InPageMessage): void;
  onmessage:
    ((e: MessageEvent<{ type: 'start'; config: InPageConfig } | { type: 'stop' }>) => void) | null;
};
let model: Model | null = null;

scope.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === 'stop') {
    if (model) model.stopTraining = true;
    return;
  }
  trainInPage(
    msg.config,
    (m) => scope.postMessage(m),
    (m) => (model = m),
  ).catch((err: Error) => scope.postMessage({ type: 'error', message: err.message }));
};
