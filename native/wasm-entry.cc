// WebAssembly surface of the kernels (scripts/build-wasm.mjs): the entry points of entries.h
// behind an argument reader over a slot array the JavaScript side fills
// (src/kernels/wasm/wasm-backend.ts). Each kernel is exported as mln_<name> and returns 0, or
// 1 (TypeError) / 2 (RangeError) with the message at mln_error().
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "arg-reader.h"
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
char g_error[320];

// Reads a call's arguments from the slots; the checks are ArgReader's, shared with the addon.
struct Args : ArgReader<Args> {
  int error = 0;  // 1: TypeError, 2: RangeError

  explicit Args(const char* name) : ArgReader("wasm", name) {}

  const Slot& s(size_t i) const { return g_slots[i < kMaxArgs ? i : kMaxArgs - 1]; }

  ArgArray array(size_t i, void** data, size_t* len) {
    *data = reinterpret_cast<void*>(static_cast<uintptr_t>(s(i).ptr));
    *len = s(i).len;
    switch (s(i).type) {
      case T_F32: return ArgArray::f32;
      case T_I32: return ArgArray::i32;
      case T_F64: return ArgArray::f64;
      case T_NONE: return ArgArray::none;
      default: return ArgArray::other;
    }
  }

  bool number(size_t i, double* v) {
    if (s(i).type != T_NUMBER) return false;
    *v = s(i).num;
    return true;
  }

  // Booleans travel as numbers (wasm-backend.ts).
  bool boolean(size_t, bool*) { return false; }

  bool nullish(size_t i) { return s(i).type == T_NONE; }

  void raise(bool type_error, const char* msg) {
    std::snprintf(g_error, sizeof g_error, "%s", msg);
    error = type_error ? 1 : 2;
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
// The register-resident multiply-add loop of bench/peak.ts: floating-point operations done.
MLN_EXPORT("mln_fma_peak") double mln_fma_peak(double iters) {
  float sink = 0;
  return kt().fma_peak((long)iters, &sink);
}

#define MLN_KERNEL(name)                  \
  MLN_EXPORT("mln_" #name) int mln_##name() { \
    Args a(#name);                        \
    entry::name(a);                       \
    return a.ok ? 0 : a.error;            \
  }
MLN_KERNELS(MLN_KERNEL)
#undef MLN_KERNEL
