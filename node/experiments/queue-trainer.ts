// The process a queue worker trains each run in: the local sweep's worker (same run code, same
// messages), bound to the life of its parent.
import './exit-with-parent.js';
import './sweep-worker.js';
