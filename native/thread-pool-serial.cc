// The thread pool for single-threaded targets (WebAssembly without threads): every task runs
// on the caller, in order, so results match a one-thread native run.
#include "thread-pool.h"

namespace mln {

int num_threads() { return 1; }
void set_num_threads(int) {}
void parallel_run(int ntasks, TaskFn fn, void* ctx) {
  for (int t = 0; t < ntasks; t++) fn(ctx, t, 0);
}

}  // namespace mln
