// Node-API surface of mnist_lab_native: the kernel entry points of entries.h behind an
// argument reader over napi values. Typed arrays are used in place through
// napi_get_typedarray_info (no copies); every length is checked, so a wrong call throws instead
// of corrupting memory.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#if defined(_WIN32)
#include <windows.h>
#else
#include <dlfcn.h>
#endif

#include "arg-reader.h"
#include "entries.h"
#include "gemm.h"
#include "kernels.h"
#include "thread-pool.h"

namespace {

using namespace mln;

constexpr size_t kMaxArgs = 16;

// Reads a call's arguments (napi values, typed arrays used in place); the checks are
// ArgReader's, shared with the wasm surface.
struct Args : ArgReader<Args> {
  napi_env env;
  size_t argc = kMaxArgs;
  napi_value argv[kMaxArgs];

  Args(napi_env e, napi_callback_info info, const char* name) : ArgReader("native", name), env(e) {
    if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) ok = false;
  }
  // Arguments assembled by the caller (argc, argv filled in afterwards).
  Args(napi_env e, const char* name) : ArgReader("native", name), env(e), argc(0) {}

  napi_value arg(size_t i) {
    if (i < argc) return argv[i];
    napi_value u;
    napi_get_undefined(env, &u);
    return u;
  }

  ArgArray array(size_t i, void** data, size_t* len) {
    napi_typedarray_type type;
    if (napi_get_typedarray_info(env, arg(i), &type, len, data, nullptr, nullptr) != napi_ok)
      return ArgArray::none;
    switch (type) {
      case napi_float32_array: return ArgArray::f32;
      case napi_int32_array: return ArgArray::i32;
      case napi_float64_array: return ArgArray::f64;
      default: return ArgArray::other;
    }
  }

  bool number(size_t i, double* v) { return napi_get_value_double(env, arg(i), v) == napi_ok; }

  bool boolean(size_t i, bool* v) { return napi_get_value_bool(env, arg(i), v) == napi_ok; }

  bool nullish(size_t i) {
    napi_valuetype t;
    napi_typeof(env, arg(i), &t);
    return t == napi_null || t == napi_undefined;
  }

  void raise(bool type_error, const char* msg) {
    if (type_error) napi_throw_type_error(env, nullptr, msg);
    else napi_throw_range_error(env, nullptr, msg);
  }
};

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

napi_value number(napi_env env, double v) {
  napi_value r;
  napi_create_double(env, v, &r);
  return r;
}


// One napi function per kernel of entries.h; the kernel's name travels as the callback data.
template <void (*Entry)(Args&)>
napi_value Call(napi_env env, napi_callback_info info) {
  void* data = nullptr;
  size_t argc = 0;
  napi_get_cb_info(env, info, &argc, nullptr, nullptr, &data);
  Args A(env, info, static_cast<const char*>(data));
  if (A.ok) Entry(A);
  return A.ok ? undefined(env) : nullptr;
}

// applyUpdates(kind, h0..h5, params[], grads[], slots[][]): applyUpdate's checks for each
// parameter i (on kind, h, params[i], grads[i], slots[i]), then one threaded pass over all.
napi_value ApplyUpdates(napi_env env, napi_callback_info info) {
  const char* name = "applyUpdates";
  Args A(env, info, name);
  if (!A.ok) return nullptr;
  auto length = [&](napi_value list, const char* what, uint32_t* n) {
    bool is = false;
    napi_is_array(env, list, &is);
    if (is && napi_get_array_length(env, list, n) == napi_ok) return true;
    char msg[96];
    std::snprintf(msg, sizeof msg, "%s must be an array", what);
    return A.fail(true, msg);
  };
  uint32_t count = 0, ng = 0, ns = 0;
  if (!length(A.arg(7), "params", &count) || !length(A.arg(8), "grads", &ng) || !length(A.arg(9), "slots", &ns))
    return nullptr;
  if (ng != count || ns != count) {
    A.fail_range("params, grads and slots must have one entry per parameter");
    return nullptr;
  }
  std::vector<UpdateTarget> targets(count);
  int kind = 0;
  for (uint32_t j = 0; j < count; j++) {
    Args one(env, name);
    one.argc = 12;
    for (size_t i = 0; i < 7; i++) one.argv[i] = A.arg(i);
    napi_get_element(env, A.arg(7), j, &one.argv[7]);
    napi_get_element(env, A.arg(8), j, &one.argv[8]);
    napi_value slots;
    napi_get_element(env, A.arg(9), j, &slots);
    uint32_t nslots = 0;
    if (!length(slots, "slots[i]", &nslots)) return nullptr;
    if (nslots > 3) {
      A.fail_range("at most 3 slot arrays per parameter");
      return nullptr;
    }
    for (uint32_t i = 0; i < 3; i++) {
      if (i < nslots) napi_get_element(env, slots, i, &one.argv[9 + i]);
      else napi_get_null(env, &one.argv[9 + i]);
    }
    if (!entry::update_target(one, &kind, &targets[j])) return nullptr;
  }
  apply_updates(kind, targets.data(), targets.size());
  return undefined(env);
}

// The op code lists of kernels.h as {unary: [...names], binary, reduce, epilogue, optimizer, ...}.
napi_value OpNames(napi_env env) {
  napi_value o, list, v;
  napi_create_object(env, &o);
  uint32_t i;
#define MLN_PUSH(code, name)                                       \
  napi_create_string_utf8(env, #name, NAPI_AUTO_LENGTH, &v); \
  napi_set_element(env, list, i++, v);
#define MLN_LIST(key, LIST)   \
  napi_create_array(env, &list); \
  i = 0;                         \
  LIST(MLN_PUSH)                 \
  napi_set_named_property(env, o, key, list);
  MLN_LIST("unary", MLN_UNARY_OPS)
  MLN_LIST("binary", MLN_BINARY_OPS)
  MLN_LIST("reduce", MLN_REDUCE_OPS)
  MLN_LIST("epilogue", MLN_EPILOGUES)
  MLN_LIST("optimizer", MLN_OPTIMIZERS)
  MLN_LIST("fillMode", MLN_FILL_MODES)
  MLN_LIST("interpolation", MLN_INTERPOLATIONS)
#undef MLN_LIST
#undef MLN_PUSH
  return o;
}

napi_value GetNumThreads(napi_env env, napi_callback_info) { return number(env, num_threads()); }

napi_value SetNumThreads(napi_env env, napi_callback_info info) {
  Args A(env, info, "setNumThreads");
  double n = A.num(0, 1);
  if (!(n >= 1)) n = 1;
  set_num_threads((int)std::fmin(n, 256));
  return undefined(env);
}

napi_value SetIsa(napi_env env, napi_callback_info info) {
  Args A(env, info, "setIsa");
  char name[32] = {};
  size_t len = 0;
  napi_value r;
  if (napi_get_value_string_utf8(env, A.arg(0), name, sizeof name, &len) != napi_ok) {
    napi_get_boolean(env, false, &r);
    return r;
  }
  napi_get_boolean(env, set_isa(name), &r);
  return r;
}

napi_value SetGemmBlocking(napi_env env, napi_callback_info info) {
  Args A(env, info, "setGemmBlocking");
  gemm_set_blocking((long)A.num(0, 0), (long)A.num(1, 0));
  return undefined(env);
}

// fmaPeak(isa, iters): the register-resident FMA loop of that level's table, `iters` iterations
// per task, 16 tasks per pool thread (so a thread that finishes early takes more); returns the
// floating-point operations done. For the benchmark's peak (bench/peak.ts); not a kernel.
napi_value FmaPeak(napi_env env, napi_callback_info info) {
  Args A(env, info, "fmaPeak");
  char name[32] = {};
  size_t len = 0;
  napi_get_value_string_utf8(env, A.arg(0), name, sizeof name, &len);
  const KernelTable* t = isa_table(name);
  const double iters = A.num(1, 0);
  if (!t) {
    A.fail_range("unknown or unsupported instruction-set level");
    return undefined(env);
  }
  if (!(iters >= 1 && iters <= 1e9)) {
    A.fail_range("iters must be in [1, 1e9]");
    return undefined(env);
  }
  const int tasks = 16 * num_threads();
  double flops[16 * 256] = {};
  float sink[16 * 256] = {};
  parallel_for(tasks, [&](int task, int) { flops[task] = t->fma_peak((long)iters, &sink[task]); });
  double total = 0;
  for (int i = 0; i < tasks; i++) total += flops[i];
  return number(env, total);
}

napi_value Info(napi_env env, napi_callback_info) {
  napi_value o, v;
  napi_create_object(env, &o);
  const KernelTable& T = kt();
  napi_create_string_utf8(env, T.name, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "isa", v);
  napi_set_named_property(env, o, "threads", number(env, num_threads()));
  napi_create_string_utf8(env, supported_isas(), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, o, "supported", v);
  napi_set_named_property(env, o, "mr", number(env, T.mr));
  napi_set_named_property(env, o, "nr", number(env, T.nr));
  return o;
}

// The thread pool's workers run code in this library for the life of the process. Node may
// unload an addon when the last environment using it (say, the only worker_thread) exits, so
// pin the library in memory once it is loaded.
void pin_library() {
  static bool pinned = false;
  if (pinned) return;
  pinned = true;
#if defined(_WIN32)
  HMODULE self;
  GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                     reinterpret_cast<LPCSTR>(&pin_library), &self);
#else
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&pin_library), &info) && info.dli_fname)
    dlopen(info.dli_fname, RTLD_NOW | RTLD_NODELETE);  // one extra reference, never released
#endif
}

}  // namespace

NAPI_MODULE_INIT() {
  pin_library();
  const napi_property_descriptor props[] = {
#define MLN_KERNEL(name) {#name, nullptr, Call<entry::name<Args>>, nullptr, nullptr, nullptr, napi_default, (void*)#name},
      MLN_KERNELS(MLN_KERNEL)
#undef MLN_KERNEL
      {"applyUpdates", nullptr, ApplyUpdates, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gatherRows", nullptr, Call<entry::gatherRows<Args>>, nullptr, nullptr, nullptr, napi_default,
       (void*)"gatherRows"},
      {"getNumThreads", nullptr, GetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setNumThreads", nullptr, SetNumThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setIsa", nullptr, SetIsa, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setGemmBlocking", nullptr, SetGemmBlocking, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fmaPeak", nullptr, FmaPeak, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"opNames", nullptr, nullptr, nullptr, nullptr, OpNames(env), napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
