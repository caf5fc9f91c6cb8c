// WebAssembly surface of the kernels (scripts/build-wasm.mjs): the entry points of entries.h
// behind an argument reader over a slot array the JavaScript side fills
// (src/kernels/wasm/wasm-backend.ts). Each kernel is exported as mln_<name> and returns 0, or
// 1 (TypeError) / 2 (RangeError) with the message at mln_error().
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "entries.h"
#include "kernels.h"

#define MLN_EXPORT(name) extern "C" __attribute__((export_name(name)))

// The module links no C++ runtime (no exceptions here): allocation goes straight to malloc,
// and running out of memory traps rather than throwing.
void* operator new(size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) __builtin_trap();
  return p;
}
void* operator new[](size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace {

using namespace mln;

// One argument: a number, or an array in the module's memory.
struct Slot {
  double num;
  uint32_t ptr;  // byte offset
  uint32_t len;  // items
  int32_t type;  // Type below
  int32_t pad;
};

enum Type : int32_t { T_NONE = 0, T_NUMBER = 1, T_F32 = 2, T_I32 = 3, T_F64 = 4, T_OTHER = 5 };

constexpr size_t kMaxArgs = 16;
Slot g_slots[kMaxArgs];
char g_error[256];

struct Args {
  const char* kernel;
  bool ok = true;
  int error = 0;

  explicit Args(const char* name) : kernel(name) {}

  bool fail(int kind, const char* msg) {
    if (ok) {
      std::snprintf(g_error, sizeof g_error, "wasm %s: %s", kernel, msg);
      error = kind;
    }
    ok = false;
    return false;
  }
  bool fail_range(const char* msg) { return fail(2, msg); }

  const Slot& s(size_t i) const { return g_slots[i < kMaxArgs ? i : kMaxArgs - 1]; }

  bool typed(size_t i, const char* what, int32_t want) {
    if (!ok) return false;
    char msg[240];
    const int32_t t = s(i).type;
    if (t == want) return true;
    if (t == T_F64)
      std::snprintf(msg, sizeof msg,
                    "%s is a Float64Array, but the wasm backend computes in float32 only "
                    "(supportsFloat64 is false; use the 'js' backend for float64)",
                    what);
    else
      std::snprintf(msg, sizeof msg, "%s must be %s", what, want == T_I32 ? "an Int32Array" : "a Float32Array");
    return fail(1, msg);
  }

  template <class T>
  T* array(size_t i, const char* what, int32_t type, double need, size_t* out_len) {
    if (!typed(i, what, type)) return nullptr;
    const size_t len = s(i).len;
    if ((double)len < need) {
      char msg[200];
      std::snprintf(msg, sizeof msg, "%s has %zu items, needs %.0f", what, len, need);
      fail_range(msg);
      return nullptr;
    }
    if (out_len) *out_len = len;
    return reinterpret_cast<T*>(static_cast<uintptr_t>(s(i).ptr));
  }

  float* f32(size_t i, const char* what, double need) { return array<float>(i, what, T_F32, need, nullptr); }
  int32_t* i32(size_t i, const char* what, double need, size_t* len) {
    return array<int32_t>(i, what, T_I32, need, len);
  }
  size_t len_f32(size_t i, const char* what, float** data) {
    size_t len = 0;
    *data = array<float>(i, what, T_F32, 0, &len);
    return len;
  }
  bool is_i32(size_t i) const { return s(i).type == T_I32; }
  bool is_number(size_t i) const { return s(i).type == T_NUMBER; }
  bool is_nullish(size_t i) const { return s(i).type == T_NONE; }
  double num(size_t i, double fallback = NAN) const {
    return ok && s(i).type == T_NUMBER ? s(i).num : fallback;
  }
  bool flag(size_t i) const { return num(i, 0) != 0; }
  uint32_t u32(size_t i) const {
    const double v = num(i, 0);
    return (uint32_t)(int64_t)v;
  }
  long dim(size_t i, const char* what) {
    const double v = num(i);
    if (!ok) return 0;
    if (!(v >= 0) || v != std::floor(v) || v > 1e15) {
      char msg[200];
      std::snprintf(msg, sizeof msg, "%s must be a non-negative integer, got %g", what, v);
      fail_range(msg);
      return 0;
    }
    return (long)v;
  }
};

// The code lists as JSON: {"unary":["linear",...],...}.
const char* op_names_json() {
  static char buf[2048];
  if (buf[0]) return buf;
  size_t n = 0;
  auto put = [&](const char* s) {
    const size_t l = std::strlen(s);
    if (n + l + 1 < sizeof buf) std::memcpy(buf + n, s, l), n += l;
  };
  bool first_list = true;
  auto list = [&](const char* key, const char* const* names, size_t count) {
    put(first_list ? "{\"" : ",\"");
    first_list = false;
    put(key);
    put("\":[");
    for (size_t i = 0; i < count; i++) {
      put(i ? ",\"" : "\"");
      put(names[i]);
      put("\"");
    }
    put("]");
  };
#define MLN_NAME(code, name) #name,
  static const char* const unary[] = {MLN_UNARY_OPS(MLN_NAME)};
  static const char* const binary[] = {MLN_BINARY_OPS(MLN_NAME)};
  static const char* const reduce[] = {MLN_REDUCE_OPS(MLN_NAME)};
  static const char* const epilogue[] = {MLN_EPILOGUES(MLN_NAME)};
  static const char* const optimizer[] = {MLN_OPTIMIZERS(MLN_NAME)};
  static const char* const fill_mode[] = {MLN_FILL_MODES(MLN_NAME)};
  static const char* const interpolation[] = {MLN_INTERPOLATIONS(MLN_NAME)};
#undef MLN_NAME
  list("unary", unary, sizeof unary / sizeof *unary);
  list("binary", binary, sizeof binary / sizeof *binary);
  list("reduce", reduce, sizeof reduce / sizeof *reduce);
  list("epilogue", epilogue, sizeof epilogue / sizeof *epilogue);
  list("optimizer", optimizer, sizeof optimizer / sizeof *optimizer);
  list("fillMode", fill_mode, sizeof fill_mode / sizeof *fill_mode);
  list("interpolation", interpolation, sizeof interpolation / sizeof *interpolation);
  put("}");
  buf[n] = 0;
  return buf;
}

}  // namespace

MLN_EXPORT("mln_slots") Slot* mln_slots() { return g_slots; }
MLN_EXPORT("mln_error") const char* mln_error() { return g_error; }
MLN_EXPORT("mln_op_names") const char* mln_op_names() { return op_names_json(); }
MLN_EXPORT("mln_isa") const char* mln_isa() { return kt().name; }
MLN_EXPORT("mln_alloc") void* mln_alloc(uint32_t bytes) { return std::aligned_alloc(16, (bytes + 15) / 16 * 16); }
MLN_EXPORT("mln_free") void mln_free(void* p) { std::free(p); }

#define MLN_KERNEL(name)                  \
  MLN_EXPORT("mln_" #name) int mln_##name() { \
    Args a(#name);                        \
    entry::name(a);                       \
    return a.ok ? 0 : a.error;            \
  }
MLN_KERNELS(MLN_KERNEL)
#undef MLN_KERNEL
