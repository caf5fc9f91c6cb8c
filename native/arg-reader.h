// The argument checks of the kernel entry points (entries.h), written once for both surfaces:
// addon.cc reads napi values, wasm-entry.cc a slot array the JavaScript side fills. Each
// supplies four raw accessors and gets the same getters, checks and messages ("native gemm: a
// has 3 items, needs 12" / "wasm gemm: ..."). Every getter reports failure through raise() once
// and returns a null / zero value; entries stop at the first failure (ok is false).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace mln {

enum class ArgArray { none, f32, i32, f64, other };

// Derived provides:
//   ArgArray array(size_t i, void** data, size_t* len)  the argument as a typed array
//   bool number(size_t i, double* v)                    the argument as a number
//   bool boolean(size_t i, bool* v)                     a boolean (false: not one)
//   bool nullish(size_t i)                              null or undefined (or absent)
//   void raise(bool type_error, const char* message)    throws TypeError / RangeError
template <class Derived>
struct ArgReader {
  const char* surface;  // "native" or "wasm", the messages' first word
  const char* kernel;
  bool ok = true;

  ArgReader(const char* surface_name, const char* kernel_name) : surface(surface_name), kernel(kernel_name) {}

  Derived& self() { return static_cast<Derived&>(*this); }

  bool fail(bool type_error, const char* msg) {
    if (ok) {
      char buf[320];
      std::snprintf(buf, sizeof buf, "%s %s: %s", surface, kernel, msg);
      self().raise(type_error, buf);
    }
    ok = false;
    return false;
  }
  bool fail_range(const char* msg) { return fail(false, msg); }

  // A typed array of the wanted element type; a Float64Array gets its own explanation.
  bool typed(size_t i, const char* what, ArgArray want, void** data, size_t* len) {
    if (!ok) return false;
    const ArgArray t = self().array(i, data, len);
    if (t == want) return true;
    char msg[240];
    if (t == ArgArray::f64)
      std::snprintf(msg, sizeof msg,
                    "%s is a Float64Array, but the %s backend computes in float32 only "
                    "(supportsFloat64 is false; use the 'js' backend for float64)",
                    what, surface);
    else
      std::snprintf(msg, sizeof msg, "%s must be %s", what,
                    want == ArgArray::i32 ? "an Int32Array" : "a Float32Array");
    return fail(true, msg);
  }

  template <class T>
  T* array_of(size_t i, const char* what, ArgArray want, double need, size_t* out_len) {
    void* d = nullptr;
    size_t len = 0;
    if (!typed(i, what, want, &d, &len)) return nullptr;
    if ((double)len < need) {
      char msg[200];
      std::snprintf(msg, sizeof msg, "%s has %zu items, needs %.0f", what, len, need);
      fail_range(msg);
      return nullptr;
    }
    if (out_len) *out_len = len;
    return static_cast<T*>(d);
  }

  // A Float32Array with at least `need` items.
  float* f32(size_t i, const char* what, double need) {
    return array_of<float>(i, what, ArgArray::f32, need, nullptr);
  }
  int32_t* i32(size_t i, const char* what, double need, size_t* out_len = nullptr) {
    return array_of<int32_t>(i, what, ArgArray::i32, need, out_len);
  }
  // A Float32Array of any length: its length, and the data through *data.
  size_t len_f32(size_t i, const char* what, float** data) {
    size_t len = 0;
    *data = array_of<float>(i, what, ArgArray::f32, 0, &len);
    return len;
  }

  bool is_i32(size_t i) {
    void* d;
    size_t len;
    return self().array(i, &d, &len) == ArgArray::i32;
  }
  bool is_number(size_t i) {
    double v;
    return self().number(i, &v);
  }
  bool is_nullish(size_t i) { return self().nullish(i); }

  double num(size_t i, double fallback = NAN) {
    double v;
    return ok && self().number(i, &v) ? v : fallback;
  }
  // A boolean, or a number (non-zero is true).
  bool flag(size_t i) {
    if (!ok) return false;
    bool b;
    if (self().boolean(i, &b)) return b;
    return num(i, 0) != 0;
  }
  // ToUint32: wraps modulo 2^32, as JavaScript's >>> 0 (seeds).
  uint32_t u32(size_t i) {
    const double v = num(i, 0);
    if (!std::isfinite(v)) return 0;
    const double m = std::fmod(std::trunc(v), 4294967296.0);
    return (uint32_t)(m < 0 ? m + 4294967296.0 : m);
  }
  // A non-negative integer dimension.
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

}  // namespace mln
