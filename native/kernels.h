// Shared declarations: operation codes and the per-ISA kernel table the drivers dispatch through.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mln {

// The op codes. Each list names its members the way src/kernels/backend.ts declares them; the
// enums are generated from the lists, and the addon and the wasm module export the names so
// the TypeScript side maps names to codes at load (never by position). A test reads these
// lists and fails when one misses a member the TypeScript declaration has.
#define MLN_UNARY_OPS(X)                                                                          \
  X(U_LINEAR, linear) X(U_NEG, neg) X(U_ABS, abs) X(U_SIGN, sign) X(U_SQUARE, square)             \
  X(U_SQRT, sqrt) X(U_RSQRT, rsqrt) X(U_RECIPROCAL, reciprocal) X(U_EXP, exp) X(U_LOG, log)       \
  X(U_LOG1P, log1p) X(U_RELU, relu) X(U_RELU6, relu6) X(U_LEAKY_RELU, leaky_relu) X(U_ELU, elu)   \
  X(U_SIGMOID, sigmoid) X(U_TANH, tanh) X(U_SOFTPLUS, softplus) X(U_SOFTSIGN, softsign)           \
  X(U_GELU, gelu) X(U_SCALE, scale) X(U_ADD_SCALAR, add_scalar) X(U_POW_SCALAR, pow_scalar)       \
  X(U_CLIP, clip)

#define MLN_BINARY_OPS(X)                                                                         \
  X(B_ADD, add) X(B_SUB, sub) X(B_MUL, mul) X(B_DIV, div) X(B_POW, pow) X(B_MAXIMUM, maximum)     \
  X(B_MINIMUM, minimum) X(B_SQUARED_DIFFERENCE, squared_difference) X(B_GREATER, greater)         \
  X(B_GREATER_EQUAL, greater_equal) X(B_LESS, less) X(B_EQUAL, equal)

#define MLN_REDUCE_OPS(X) X(R_SUM, sum) X(R_MEAN, mean) X(R_MAX, max) X(R_MIN, min) X(R_PROD, prod)

// GEMM epilogues: the unary ops the GEMM may fuse (only those the ops use).
#define MLN_EPILOGUES(X) X(U_LINEAR, linear) X(U_RELU, relu)

#define MLN_OPTIMIZERS(X) X(O_SGD, sgd) X(O_RMSPROP, rmsprop) X(O_ADAM, adam) X(O_ADAGRAD, adagrad) X(O_ADADELTA, adadelta) \
  X(O_NADAM, nadam) X(O_ADAMAX, adamax) X(O_LION, lion)

// affineTransform's fill modes and interpolations (src/kernels/backend.ts FILL_MODES, INTERPOLATIONS).
#define MLN_FILL_MODES(X) X(F_REFLECT, reflect) X(F_WRAP, wrap) X(F_CONSTANT, constant) X(F_NEAREST, nearest)
#define MLN_INTERPOLATIONS(X) X(I_NEAREST, nearest) X(I_BILINEAR, bilinear)

#define MLN_ENUM_MEMBER(code, name) code,
enum UnaryOp : int { MLN_UNARY_OPS(MLN_ENUM_MEMBER) U_COUNT };
enum BinaryOp : int { MLN_BINARY_OPS(MLN_ENUM_MEMBER) B_COUNT };
enum ReduceOp : int { MLN_REDUCE_OPS(MLN_ENUM_MEMBER) R_COUNT };
enum OptimizerKind : int { MLN_OPTIMIZERS(MLN_ENUM_MEMBER) O_COUNT };
enum FillMode : int { MLN_FILL_MODES(MLN_ENUM_MEMBER) F_COUNT };
enum Interpolation : int { MLN_INTERPOLATIONS(MLN_ENUM_MEMBER) I_COUNT };
#undef MLN_ENUM_MEMBER

// Constants an optimizer's plan may form for its step.
constexpr int kOptimizerConsts = 8;
// One optimizer (native/optimizers.inl). plan: checks the update's fields h (in the order of
// OPTIMIZER_FIELDS in src/kernels/optimizer-kernels.ts) and forms the step's constants k once;
// returns the number of slot arrays wanted, or -1 with a message in err. run: one fused pass
// over [i0, i1), slots in declared order (optional ones left out, then null).
struct OptimizerKernel {
  int (*plan)(const double* h, double* k, char* err, size_t cap);
  void (*run)(float* p, const float* g, float* const* s, size_t i0, size_t i1, const double* k);
};

struct ConvGeom {
  long n, inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft;
};

// Most filter rows (kH * kW * inC) the first-layer conv + pool filter kernel takes.
constexpr long kConvPoolMaxK = 64;

struct PoolGeom {
  long n, inH, inW, c, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft;
};

// Micro-kernel over a kc-deep A panel (rows lanes a step, sa floats apart: MR when packed; see
// ukernel in isa-kernels.inl for A's rows in place) and B panel (NR lanes a step, sb floats
// apart: NR when packed):
// C[r, 0..NR) = alpha * (A B)[r] + beta * C[r] + bias  for r < rows (rows is fixed per entry);
// beta == 0 never reads C; relu applies max(., 0) the way the js backend does (NaN kept).
// bpack (in_place tables only; else null): also write the B panel there, packed (kc x NR).
using MicroKernel = void (*)(long kc, const float* a, long sa, const float* b, long sb, float* bpack, float* c,
                             long ldc, float alpha, float beta, const float* bias, int relu);
// Packs `valid` lanes, kc steps deep, into ceil(valid / width) panels of kc x width (width: MR
// or NR) one after another, the last zero-padded.
// copy: lane j of step p is src[p * ld + j];  trans: lane j of step p is src[j * ld + p].
using PackFn = void (*)(const float* src, long ld, int valid, long kc, float* dst);

constexpr int kMaxMR = 16;

struct KernelTable {
  const char* name;
  int mr, nr;
  bool in_place;                         // micro-kernels honour sa, sb (else pack both operands)
  MicroKernel ukernel[kMaxMR + 1];       // indexed by the number of rows, 1..mr
  MicroKernel ukernel_rows[kMaxMR + 1];  // the same over A's rows in place (in_place only)
  PackFn pack_a_copy, pack_a_trans, pack_b_copy, pack_b_trans;

  // c[0..n) = act(alpha * acc + beta * c + bias) (beta == 0 ignores c; bias may be null).
  void (*epilogue_row)(float* c, const float* acc, long n, float alpha, float beta, const float* bias, int act,
                       float act_param);
  // Unpacked GEMM for rows [i0, i1), for skinny and tiny shapes. bt: op(B)^T as [n, k] rows
  // (dot products); null: axpy over the rows of b ([k, n], no transB).
  void (*gemm_small)(long i0, long i1, long m, long n, long k, const float* a, bool ta, const float* b,
                     const float* bt, float* c, float alpha, float beta, const float* bias, int act,
                     float act_param);

  // p1, p2 stay double so pow_scalar's exponent is exact; vector paths round them to float.
  void (*unary)(int op, const float* x, float* y, size_t n, double p1, double p2);
  void (*unary_grad)(int op, const float* x, const float* y, const float* dy, float* dx, size_t n, double p1,
                     double p2);
  // out[i] = a[i * sa] op b[i * sb], sa and sb in {0, 1}.
  void (*binary)(int op, const float* a, int sa, const float* b, int sb, float* out, size_t n);
  void (*add_inplace)(float* dst, const float* src, size_t n);

  void (*reduce)(int op, const float* x, long o0, long o1, long axis, long inner, float* out);
  // Partial of a contiguous run (sum/mean: sum, prod: product, max/min: NaN-propagating).
  double (*reduce_partial)(int op, const float* x, size_t n);

  // kind 0 softmax, 1 log-softmax.
  void (*softmax_rows)(int kind, const float* x, long r0, long r1, long cols, float* out);
  void (*softmax_grad_rows)(const float* y, const float* dy, long r0, long r1, long cols, float* dx);
  // labels: dense (float, rows x cols) or sparse (int32, rows).
  void (*softmax_xent_rows)(const float* logits, const float* dense, const int32_t* sparse, long r0, long r1,
                            long cols, float* loss, float* probs);
  void (*softmax_xent_grad_rows)(const float* probs, const float* dense, const int32_t* sparse, long r0, long r1,
                                 long cols, const float* scale, float scale_num, float* dlogits);

  // threshold: mask[i] = (hash >> 8) >= threshold ? scale : 0.
  void (*dropout)(uint32_t seed, uint32_t threshold, float scale, float* mask, size_t i0, size_t i1);

  // Direct conv for few taps (kH * kW * inC small), over output pixels [r0, r1). wp is w with
  // its outC columns padded to ldw (a multiple of the vector width) with zeros.
  // bp: the bias padded to ldw (null: none); relu: then max(., 0) (NaN kept).
  void (*conv_direct)(const float* x, const float* wp, long ldw, const ConvGeom& g, size_t r0, size_t r1, float* y,
                      const float* bp, int relu);

  // dwp[(tap, c), 0..outC) += sum over the output pixels of samples [n0, n1) of x[pixel at tap, c] *
  // dy[pixel, :], for a geometry without pads whose taps all fall inside (the caller pads).
  // y (may be null): dy is masked by [y > 0] first (relu's backward); dbp (may be null, ldw
  // columns) += the column sums of the masked dy.
  void (*conv_valid_filter)(const float* x, const float* dy, const ConvGeom& g, long n0, long n1, float* dwp,
                            long ldw, const float* y, float* dbp);
  // dpre = dy * act'(y) over rows [r0, r1) of [rows, cols]; db (may be null) += column sums,
  // row by row.
  void (*epilogue_grad_rows)(int act, const float* y, const float* dy, long r0, long r1, long cols, float* dpre,
                             float* db);

  // argmax (may be null) indexes am_base + (n * inH + ih) * am_row + iw * C + c.
  void (*max_pool)(const float* x, const PoolGeom& g, float* y, int32_t* argmax, long n0, long n1, long am_row,
                   long am_base);
  bool (*conv_pool_filter)(const float* x, const float* dy, const float* y, const int32_t* argmax,
                           const ConvGeom& g, const PoolGeom& pg, bool relu, long n0, long n1, float* dwp, long ldw,
                           float* dbp);
  bool (*conv_pool_backward)(const float* x, const float* wt, const float* dy, const float* y, const int32_t* argmax,
                             const ConvGeom& g, const PoolGeom& pg, bool relu, long n0, long n1, float* dx,
                             float* dwt, float* db);
  // dx[argmax[o]] += dy[o] in order of o; stops at the first index outside [0, dx_len) and
  // returns its position (n when all are inside).
  size_t (*max_pool_scatter)(const float* dy, const int32_t* argmax, size_t n, float* dx, size_t dx_len);
  void (*avg_pool)(const float* x, const PoolGeom& g, float* y, long n0, long n1);
  void (*avg_pool_backward)(const float* dy, const PoolGeom& g, float* dx, long n0, long n1);

  // The optimizers, by code (MLN_OPTIMIZERS; see OptimizerKernel).
  OptimizerKernel optimizers[O_COUNT];

  // Benchmark only: a register-resident FMA loop of `iters` iterations; returns its flop count.
  double (*fma_peak)(long iters, float* sink);
};

namespace generic {
const KernelTable* table();
}
#if defined(MLN_HAVE_X86_ISAS)
namespace avx2 {
const KernelTable* table();
}
namespace avx512 {
const KernelTable* table();
}
#endif

// The active table (chosen at load, see dispatch.cc).
const KernelTable& kt();
// Names: "avx512", "avx2", "generic". Returns false if the level is unknown or unsupported here.
bool set_isa(const char* name);
// The table of a level by name, without switching to it; null if unknown or unsupported here.
const KernelTable* isa_table(const char* name);
const char* isa_name();
// Comma-separated levels this CPU and build support, best first.
const char* supported_isas();

// 64-byte aligned buffers (posix_memalign / _aligned_malloc); null on failure.
float* alloc_floats(size_t n);
void free_floats(float* p);

// JS's `**`: like C pow, except NaN exponents and (+-1) ** (+-Infinity) give NaN.
double js_pow(double a, double b);

}  // namespace mln
