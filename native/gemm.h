#pragma once

namespace mln {

struct GemmArgs {
  long m, n, k;
  const float* a;  // [m, k], or [k, m] with ta
  const float* b;  // [k, n], or [n, k] with tb
  float* c;        // [m, n]
  bool ta, tb;
  float alpha, beta;
  const float* bias;  // [n] or null
  int act;            // a UnaryOp code (linear, relu, sigmoid, tanh, elu, leaky_relu)
  float act_param;
};

// C = act(alpha op(A) op(B) + beta C + bias), threaded over blocks of C. Inside a pool task it
// runs on the calling thread only.
void gemm(const GemmArgs& g);

// Blocking parameters (for benchmarks and tests): depth of a k block, width of a B block.
void gemm_set_blocking(long kc, long nc);

}  // namespace mln
