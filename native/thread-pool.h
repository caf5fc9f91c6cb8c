// A persistent pool of worker threads. The calling thread takes part in every job, workers spin
// briefly after a job (kernels arrive back to back during training) and then sleep.
#pragma once

#include <cstddef>
#include <type_traits>

namespace mln {

using TaskFn = void (*)(void* ctx, int task, int thread);

// Threads in use, the caller included (>= 1).
int num_threads();
// Resizes the pool (clamped to [1, 256]); waits for a running job to finish first.
void set_num_threads(int n);
// Runs fn(ctx, task, thread) for every task in [0, ntasks). `thread` is in [0, num_threads()):
// 0 is the caller. Runs inline (thread 0) when nested inside a task, when another thread owns
// the pool, or when there is one task or one thread.
void parallel_run(int ntasks, TaskFn fn, void* ctx);

template <class F>
void parallel_for(int ntasks, F&& f) {
  using Fn = typename std::remove_reference<F>::type;
  parallel_run(
      ntasks, [](void* ctx, int task, int thread) { (*static_cast<Fn*>(ctx))(task, thread); },
      const_cast<void*>(static_cast<const void*>(&f)));
}

// Splits [0, n) into `parts` contiguous ranges; returns range i's start.
inline size_t split_point(size_t n, int parts, int i) { return n * (size_t)i / (size_t)parts; }

}  // namespace mln
