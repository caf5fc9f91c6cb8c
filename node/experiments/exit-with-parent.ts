// Imported first by a worker's trainer process: when its parent dies (even by SIGKILL, which
// leaves no chance to tidy up), the trainer dies too, within half a second, instead of training
// on as an orphan beside the worker that took its run over. A thread watches, because training
// keeps the main thread busy for whole epochs.
import { Worker } from 'node:worker_threads';

const watch = new Worker(
  `const { workerData: parent } = require('node:worker_threads');
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch (e) {
    if (e.code === 'ESRCH') process.kill(process.pid, 'SIGKILL');
  }
}, 500);`,
  { eval: true, workerData: process.ppid },
);
watch.unref();
