// Picks the kernel table at load: the best level the CPU supports, lowered (never raised) by
// MNIST_LAB_ISA=avx512|avx2|generic.
#include <cmath>
#include <cstdlib>
#if defined(_WIN32)
#include <malloc.h>
#endif
#include <cstring>
#include <string>

#include "kernels.h"

namespace mln {
namespace {

bool cpu_has(const char* level) {
#if defined(MLN_HAVE_X86_ISAS) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  if (std::strcmp(level, "avx512") == 0)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma");
  if (std::strcmp(level, "avx2") == 0) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return std::strcmp(level, "generic") == 0;
}

const KernelTable* table_for(const char* level) {
  if (!cpu_has(level)) return nullptr;
#if defined(MLN_HAVE_X86_ISAS)
  if (std::strcmp(level, "avx512") == 0) return avx512::table();
  if (std::strcmp(level, "avx2") == 0) return avx2::table();
#endif
  if (std::strcmp(level, "generic") == 0) return generic::table();
  return nullptr;
}

const char* const kLevels[] = {"avx512", "avx2", "generic"};

const KernelTable* pick() {
  const char* env = std::getenv("MNIST_LAB_ISA");
  int cap = 0;  // index into kLevels of the highest level allowed
  if (env && *env) {
    for (int i = 0; i < 3; i++)
      if (std::strcmp(env, kLevels[i]) == 0) cap = i;
  }
  for (int i = cap; i < 3; i++)
    if (const KernelTable* t = table_for(kLevels[i])) return t;
  return generic::table();
}

const KernelTable* g_table = nullptr;

}  // namespace

const KernelTable& kt() {
  if (!g_table) g_table = pick();
  return *g_table;
}

bool set_isa(const char* name) {
  const KernelTable* t = table_for(name);
  if (!t) return false;
  g_table = t;
  return true;
}

const KernelTable* isa_table(const char* name) { return table_for(name); }

const char* isa_name() { return kt().name; }

const char* supported_isas() {
  static std::string s;
  if (s.empty()) {
    for (const char* l : kLevels)
      if (cpu_has(l)) s += s.empty() ? l : std::string(",") + l;
  }
  return s.c_str();
}

float* alloc_floats(size_t n) {
  const size_t bytes = (n ? n : 1) * sizeof(float);
#if defined(_WIN32)
  return static_cast<float*>(_aligned_malloc(bytes, 64));
#else
  void* p = nullptr;
  return posix_memalign(&p, 64, bytes) == 0 ? static_cast<float*>(p) : nullptr;
#endif
}

void free_floats(float* p) {
#if defined(_WIN32)
  _aligned_free(p);
#else
  std::free(p);
#endif
}

double js_pow(double a, double b) {
  if (std::isnan(b)) return NAN;
  if (std::fabs(a) == 1.0 && std::isinf(b)) return NAN;
  return std::pow(a, b);
}

}  // namespace mln
