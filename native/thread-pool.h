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

// Most parts a kernel splits work into when the split changes its arithmetic (partial sums,
// GEMM shapes). Fixed, never derived from the thread count: results must be bit-identical at
// any thread count, so the pool only decides who runs each part, not where parts begin.
constexpr int kFixedParts = 16;

// Parts of at least `grain` items (at most kFixedParts, at least 1), from n alone.
inline int fixed_parts(size_t n, size_t grain) {
  const size_t want = grain ? n / grain : n;
  return (int)(want < 1 ? 1 : want > (size_t)kFixedParts ? kFixedParts : want);
}

}  // namespace mln
