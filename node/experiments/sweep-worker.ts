// A sweep worker process: started by runSweep with an IPC channel, trains the runs it is sent one
// at a time, and exits when the sweep disconnects (also when the sweep itself was killed).
import '../backend-setup.js';
import { getBackend } from '../../src/kernels/registry.js';
import type { RunTask, ThreadsMessage, WorkerMessage } from './sweep-messages.js';
import { runTask } from './run-task.js';

if (!process.send) {
  console.error('sweep-worker is started by `mnist-lab sweep`, not by hand.');
  process.exit(2);
}
const send = (m: WorkerMessage): void => {
  process.send!(m);
};

process.on('disconnect', () => process.exit(0));
process.on('message', (m: RunTask | ThreadsMessage) => {
  // Kernels run synchronously, so this lands between two of them.
  if (m.type === 'threads') return getBackend().setNumThreads(m.threads);
  const task = m;
  if (task.threads !== undefined) getBackend().setNumThreads(task.threads);
  void runTask(task, (epoch, logs, seconds) =>
    send({ type: 'epoch', id: task.run.id, epoch, logs, seconds }),
  ).then((record) => send({ type: 'done', record }));
});
send({ type: 'ready' });
