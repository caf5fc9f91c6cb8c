// GEMM driver: BLIS-style blocking around the per-ISA packed micro-kernels (see run_packed),
// plus dot-product / axpy paths for skinny shapes where packing would be mostly padding. The
// first k slice applies beta, the last adds the bias and the activation while the tile is
// still in cache.
#include "gemm.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "kernels.h"
#include "thread-pool.h"

namespace mln {
namespace {

long g_kc = 384;  // k-slice depth: an A panel (kc x 12 floats = 18 KB) stays in L1
long g_nc = 512;  // B slab width: a task's share of a kc x nc slice stays in L2
// B stays in place (unpacked) for at most this many A panels, and only without a partial last
// panel (which each task would have to pack for itself): packing B, even in the micro-kernel's
// shadow, costs about as much as one panel's sweep over it, so only a few panels do better
// without the copy (measured at one thread, in place against packed as tasks go: 10x512x128
// with A^T 1.2x, 64x64x1600 1.05x; 37x45x61 0.64x with its partial panel).
constexpr long kBInPlaceMaxPanels = 6;
// Bytes of B a column group may span over all of k (half an L2 of 1 MB; measured at one thread,
// against whole 512-column slabs: 128x512x784 1.02x, 1024^3 1.02x).
constexpr long kGroupBytes = 512 * 1024;

struct Scratch {
  float* p = nullptr;
  size_t cap = 0;
  float* get(size_t n) {
    if (n > cap) {
      free_floats(p);
      cap = n + 64;
      p = alloc_floats(cap);
      if (!p) std::abort();  // out of memory: nothing sensible to compute into
    }
    return p;
  }
};

thread_local Scratch t_apack, t_bpack, t_bedge, t_ctrans;

// Runs f(task, thread) for task < ntasks: on the pool when threads > 1, else inline.
template <class F>
void for_tasks(int ntasks, int threads, F&& f) {
  if (threads <= 1 || ntasks <= 1) {
    for (int t = 0; t < ntasks; t++) f(t, 0);
    return;
  }
  parallel_for(ntasks, f);
}

// Per-panel packing states for B packed as tasks go (see run_packed).
enum : int { kUnpacked = 0, kPacking = 1, kPacked = 2 };
struct PackStates {
  std::atomic<int>* s = nullptr;  // like Scratch, kept for the thread's life
  size_t cap = 0;
  std::atomic<int>* reset(size_t n) {
    if (n > cap) {
      delete[] s;
      s = new std::atomic<int>[n];
      cap = n;
    }
    for (size_t i = 0; i < n; i++) s[i].store(kUnpacked, std::memory_order_relaxed);
    return s;
  }
};
thread_local PackStates t_states;

// The packed path, BLIS-style: per NC-wide slab of columns, tasks of one MR-row panel of A by a
// group of B's NR-wide panels, each looping over the KC-deep k slices itself (sweeping its B
// panels with the A slice in L1). B is packed (panels of a slice contiguous, so a sweep
// streams) and shared by all threads. Where the micro-kernels read operands in place
// (T.in_place), A's rows (or A^T's k steps) feed the broadcasts directly, unpacked; B stays
// unpacked when few A panels would reuse a packed copy, else the first task to reach a panel
// slice packs it while multiplying with it (another task reaching it meanwhile reads it in
// place), so no pass over B precedes the multiply-adds; elsewhere B is packed first, in
// parallel. The result is the same to the bit whichever copy a task reads (same multiply-adds
// in the same order). Tasks run group by group, so the threads share one group's B in cache at
// a time, and are claimed dynamically, so a thread that gets descheduled (the machine may be
// shared) takes fewer.
void run_packed(const KernelTable& T, const GemmArgs& g, int threads) {
  const long m = g.m, n = g.n, k = g.k;
  const int MR = T.mr, NR = T.nr;
  const long nkb = (k + g_kc - 1) / g_kc;
  const long kcb = (k + nkb - 1) / nkb;  // even slices: no thin last one
  const long mt = (m + MR - 1) / MR;
  const bool fused_relu = g.act == U_RELU;
  const bool post_act = g.act != U_LINEAR && !fused_relu;
  // A^T's k steps are m floats apart: a multiple of 128 (512 bytes) puts successive steps in
  // at most 8 of the L1's 64 sets, which its 8 to 12 ways cannot hold for a whole slice.
  const bool a_direct = T.in_place && (!g.ta || m % 128 != 0);
  const bool b_direct = T.in_place && !g.tb && mt <= kBInPlaceMaxPanels && n % NR == 0;
  const bool b_lazy = T.in_place && !g.tb && !b_direct;
  const long slab = b_direct ? n : g_nc;
  const long nc_max = std::min(slab, (n + NR - 1) / NR * NR);
  float* bp = b_direct ? nullptr : t_bpack.get((size_t)k * nc_max);
  const MicroKernel* uks = a_direct && !g.ta ? T.ukernel_rows : T.ukernel;

  for (long jc = 0; jc < n; jc += slab) {
    const long nc = std::min(slab, n - jc);
    const int npan = (int)((nc + NR - 1) / NR);
    // Slice kb of panel jp starts at bp + pc * nc_pad + jp * NR * kc.
    const long nc_pad = (long)npan * NR;
    std::atomic<int>* states = b_lazy ? t_states.reset((size_t)(nkb * npan)) : nullptr;
    if (!b_direct && !b_lazy) {
      // Each task packs a run of (slice, panel) units, a slice's panels in one call.
      const long total = (long)npan * nkb;
      const int pack_tasks = (int)std::min<long>(total, 2L * threads);
      for_tasks(pack_tasks, threads, [&](int t, int) {
        const long u1 = (long)split_point(total, pack_tasks, t + 1);
        for (long u = (long)split_point(total, pack_tasks, t); u < u1;) {
          const long kb = u / npan, jp = u % npan, jp1 = std::min<long>(npan, jp + u1 - u);
          const long pc = kb * kcb, kc = std::min(kcb, k - pc);
          const long j = jc + jp * NR;
          const int valid = (int)(std::min(jc + nc, jc + jp1 * NR) - j);
          float* dst = bp + pc * nc_pad + jp * NR * kc;
          if (g.tb) T.pack_b_trans(g.b + j * k + pc, k, valid, kc, dst);
          else T.pack_b_copy(g.b + pc * n + j, n, valid, kc, dst);
          u += jp1 - jp;
        }
      });
    }

    // Column groups: enough tasks to balance the threads; with A unpacked (more groups cost no
    // repacking), also narrow enough for a group's B over all of k to stay in L2 while the A
    // panels pass.
    long ns = threads <= 1 ? 1 : (8 * threads + mt - 1) / mt;
    if (a_direct) ns = std::max(ns, (long)npan * NR * k * (long)sizeof(float) / kGroupBytes + 1);
    ns = std::min<long>(npan, ns);
    for_tasks((int)(mt * ns), threads, [&](int t, int) {
      const long i = (t % mt) * MR;
      const int js = (int)(t / mt);
      const int rows = (int)std::min<long>(MR, m - i);
      const int jp0 = (int)split_point(npan, (int)ns, js), jp1 = (int)split_point(npan, (int)ns, js + 1);
      float* ap = a_direct ? nullptr : t_apack.get((size_t)kcb * MR);
      alignas(64) float tile[kMaxMR * 64];
      const MicroKernel uk = uks[rows];
      for (long kb = 0; kb < nkb; kb++) {
        const long pc = kb * kcb;
        const long kc = std::min(kcb, k - pc);
        const bool last = kb == nkb - 1;
        const float beta = kb == 0 ? g.beta : 1.0f;
        const float* as = ap;
        long sa = MR;
        if (a_direct) {
          as = g.ta ? g.a + pc * m + i : g.a + i * k + pc;
          sa = g.ta ? m : k;
        } else if (g.ta) {
          T.pack_a_copy(g.a + pc * m + i, m, rows, kc, ap);
        } else {
          T.pack_a_trans(g.a + i * k + pc, k, rows, kc, ap);
        }
        for (int jp = jp0; jp < jp1; jp++) {
          const long j = jc + (long)jp * NR;
          const int cols = (int)std::min<long>(NR, jc + nc - j);
          float* cp = g.c + i * n + j;
          // B's panel slice: packed (sb = NR), or in place (sb = n), maybe packed on the way.
          const float* bs = b_direct ? nullptr : bp + pc * nc_pad + (size_t)jp * NR * kc;
          long sb = NR;
          float* pack_to = nullptr;
          std::atomic<int>* state = states ? &states[kb * npan + jp] : nullptr;
          int st = state ? state->load(std::memory_order_acquire) : kPacked;
          if (b_direct || st != kPacked) {
            const bool claim = st == kUnpacked && state->compare_exchange_strong(st, kPacking);
            if (cols == NR) {
              pack_to = claim ? const_cast<float*>(bs) : nullptr;
              bs = g.b + pc * n + j;
              sb = n;
            } else {
              // A partial panel, zero-padded, for the micro-kernel's whole-vector loads.
              float* dst = claim ? const_cast<float*>(bs) : t_bedge.get((size_t)kcb * NR);
              T.pack_b_copy(g.b + pc * n + j, n, cols, kc, dst);
              bs = dst;
            }
            if (claim && cols < NR) state->store(kPacked, std::memory_order_release);
          }
          const float* bias = last && g.bias ? g.bias + j : nullptr;
          if (cols == NR) {
            uk(kc, as, sa, bs, sb, pack_to, cp, n, g.alpha, beta, bias, last && fused_relu);
            if (last && post_act)
              for (int r = 0; r < rows; r++) T.unary(g.act, cp + r * n, cp + r * n, NR, g.act_param, 0);
          } else {
            // Edge tile: compute into a scratch tile, then merge the valid columns.
            uk(kc, as, sa, bs, sb, nullptr, tile, NR, 1.0f, 0.0f, nullptr, 0);
            for (int r = 0; r < rows; r++)
              T.epilogue_row(cp + r * n, tile + r * NR, cols, g.alpha, beta, bias, last ? g.act : U_LINEAR,
                             g.act_param);
          }
          if (pack_to) state->store(kPacked, std::memory_order_release);
        }
      }
    });
  }
}

bool use_small_path(const GemmArgs& g) {
  if (g.k == 0 || g.m == 1 || g.n == 1) return true;  // nothing to block, or a matrix-vector product
  return (double)g.m * g.n * g.k < 4096.0;
}

// Cap on threads so each gets at least ~1 MFLOP: below that, waking a worker costs more.
int useful_threads(const GemmArgs& g) {
  const double flops = 2.0 * g.m * g.n * g.k;
  return (int)std::max(1.0, std::min((double)num_threads(), flops / 1e6));
}

}  // namespace

void gemm_set_blocking(long kc, long nc) {
  if (kc >= 8) g_kc = kc;
  if (nc >= 8) g_nc = nc;
}

void gemm(const GemmArgs& g) {
  if (g.m <= 0 || g.n <= 0) return;
  const KernelTable& T = kt();
  const int threads = useful_threads(g);

  // Narrow C with rows of A at hand (the 10-class output layer): dot products of A's rows
  // with op(B)'s columns beat packing panels that would be mostly padding.
  const bool narrow_dots = g.n <= T.nr / 2 && !g.ta;
  if (use_small_path(g) || narrow_dots) {
    const float* bt = nullptr;  // null: axpy form over B's rows
    if (g.tb || g.n == 1) {
      bt = g.b;  // [n, k] rows, or a [k, 1] column that is already contiguous
    } else if (g.n <= 16) {
      float* t = t_ctrans.get((size_t)g.n * g.k);
      for (long p = 0; p < g.k; p++)
        for (long j = 0; j < g.n; j++) t[j * g.k + p] = g.b[p * g.n + j];
      bt = t;
    }
    const int parts = (int)std::min<long>(threads, g.m);
    for_tasks(parts, parts, [&](int t, int) {
      const long i0 = (long)split_point(g.m, parts, t), i1 = (long)split_point(g.m, parts, t + 1);
      T.gemm_small(i0, i1, g.m, g.n, g.k, g.a, g.ta, g.b, bt, g.c, g.alpha, g.beta, g.bias, g.act, g.act_param);
    });
    return;
  }

  if (g.n <= T.nr / 2 && g.m > g.n) {
    // Narrow C (e.g. the 10-class output layer): a B panel would be mostly padding, so compute
    // C^T = op(B)^T op(A)^T, whose wide side is m, then merge it back through the epilogue.
    float* ct = t_ctrans.get((size_t)g.m * g.n);
    GemmArgs s = g;
    s.m = g.n, s.n = g.m;
    s.a = g.b, s.ta = !g.tb;
    s.b = g.a, s.tb = !g.ta;
    s.c = ct, s.alpha = 1.0f, s.beta = 0.0f, s.bias = nullptr, s.act = U_LINEAR;
    run_packed(T, s, threads);
    alignas(64) float acc[64];  // n <= NR / 2 <= 16
    for (long i = 0; i < g.m; i++) {
      for (long j = 0; j < g.n; j++) acc[j] = ct[(size_t)j * g.m + i];
      T.epilogue_row(g.c + i * g.n, acc, g.n, g.alpha, g.beta, g.bias, g.act, g.act_param);
    }
    return;
  }

  run_packed(T, g, threads);
}

}  // namespace mln
