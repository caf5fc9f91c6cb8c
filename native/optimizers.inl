// Optimizers: one struct per kernel of src/kernels/optimizer-kernels.ts (same name, same
// formulas: Keras 3's), registered in the kernel table through MLN_OPTIMIZERS (kernels.h).
// Included by isa-kernels.inl inside its per-ISA namespace, after the SIMD helpers.
//
//   kFields: the update's fields in the order h holds them, as OPTIMIZER_FIELDS lists them (a
//     test reads these strings and compares).
//   plan(h, k, err, cap): h holds the update's fields in kFields order; checks them,
//     forms the step's constants k (in double, once per step) and returns how many slot arrays
//     the update needs, or -1 with a message in err.
//   run(p, g, s, i0, i1, k): one fused pass over [i0, i1); s holds the slot arrays in the
//     declared order, optional ones left out (then null).

// A step count must be a positive integer; false (and a message) otherwise.
inline bool step_ok(const char* kind, double step, char* err, size_t cap) {
  if (step >= 1 && step == std::floor(step)) return true;
  std::snprintf(err, cap, "%s's step is 1-based, got %g", kind, step);
  return false;
}

struct sgd {
  static constexpr const char* kFields = "lr, momentum, nesterov";
  static int plan(const double* h, double* k, char*, size_t) {
    k[0] = h[0], k[1] = h[1], k[2] = h[2];
    return h[1] != 0 ? 1 : 0;
  }
  static void run(float* p, const float* g, float* const* s, size_t i0, size_t i1, const double* k) {
    const float lr = (float)k[0], momentum = (float)k[1];
    const bool nesterov = k[2] != 0;
    float* v = s[0];
    const V LR = set1(lr), MO = set1(momentum);
    const size_t n = i1 - i0;
    p += i0, g += i0;
    if (!v) {
      map2(p, g, p, n, [&](V pv, V gv) { return fnmadd(LR, gv, pv); });
      return;
    }
    v += i0;
    size_t i = 0;
    for (; i + W <= n; i += W) {
      const V gv = load(g + i);
      const V nv = fnmadd(LR, gv, mul(MO, load(v + i)));
      store(v + i, nv);
      store(p + i, nesterov ? add(load(p + i), fnmadd(LR, gv, mul(MO, nv))) : add(load(p + i), nv));
    }
    for (; i < n; i++) {
      const float nv = momentum * v[i] - lr * g[i];
      v[i] = nv;
      p[i] = nesterov ? p[i] + (momentum * nv - lr * g[i]) : p[i] + nv;
    }
  }
};

struct rmsprop {  // slots ms, mg?, mom?
  static constexpr const char* kFields = "lr, rho, momentum, epsilon, centered";
  static int plan(const double* h, double* k, char*, size_t) {
    const bool centered = h[4] != 0, momentum = h[2] > 0;
    k[0] = h[0], k[1] = h[1], k[2] = 1.0 - h[1], k[3] = h[2], k[4] = h[3], k[5] = centered, k[6] = momentum;
    return 1 + centered + momentum;
  }
  static void run(float* p, const float* g, float* const* s, size_t i0, size_t i1, const double* k) {
    const float lr = (float)k[0], rho = (float)k[1], orho = (float)k[2], momentum = (float)k[3], eps = (float)k[4];
    float* ms = s[0];
    float* mg = k[5] != 0 ? s[1] : nullptr;
    float* mom = k[6] != 0 ? s[k[5] != 0 ? 2 : 1] : nullptr;
    const V RHO = set1(rho), ORHO = set1(orho), LR = set1(lr), MO = set1(momentum), EPS = set1(eps);
    size_t i = i0;
    for (; i + W <= i1; i += W) {
      const V gv = load(g + i);
      const V msv = fmadd(RHO, load(ms + i), mul(mul(ORHO, gv), gv));
      store(ms + i, msv);
      V denom;
      if (mg) {
        const V mgv = fmadd(RHO, load(mg + i), mul(ORHO, gv));
        store(mg + i, mgv);
        denom = add(fnmadd(mgv, mgv, msv), EPS);
      } else {
        denom = add(msv, EPS);
      }
      const V inc = div(mul(LR, gv), simd::sqrt(denom));
      if (mom) {
        const V mv = fmadd(MO, load(mom + i), inc);
        store(mom + i, mv);
        store(p + i, sub(load(p + i), mv));
      } else {
        store(p + i, sub(load(p + i), inc));
      }
    }
    for (; i < i1; i++) {
      const float gi = g[i];
      ms[i] = rho * ms[i] + orho * gi * gi;
      float denom;
      if (mg) {
        mg[i] = rho * mg[i] + orho * gi;
        denom = ms[i] - mg[i] * mg[i] + eps;
      } else {
        denom = ms[i] + eps;
      }
      const float inc = lr * gi / std::sqrt(denom);
      if (mom) {
        mom[i] = momentum * mom[i] + inc;
        p[i] -= mom[i];
      } else {
        p[i] -= inc;
      }
    }
  }
};

struct adam {  // slots m, v, vhat?
  static constexpr const char* kFields = "lr, beta1, beta2, epsilon, step, amsgrad";
  static int plan(const double* h, double* k, char* err, size_t cap) {
    if (!step_ok("adam", h[4], err, cap)) return -1;
    // The bias corrections fold into one step size.
    k[0] = h[0] * std::sqrt(1 - std::pow(h[2], h[4])) / (1 - std::pow(h[1], h[4]));
    k[1] = 1.0 - h[1], k[2] = 1.0 - h[2], k[3] = h[3];
    return h[5] != 0 ? 3 : 2;
  }
  static void run(float* p, const float* g, float* const* s, size_t i0, size_t i1, const double* k) {
    const float a = (float)k[0], ob1 = (float)k[1], ob2 = (float)k[2], eps = (float)k[3];
    float *m = s[0], *v = s[1], *vhat = s[2];
    const V A = set1(a), OB1 = set1(ob1), OB2 = set1(ob2), EPS = set1(eps);
    size_t i = i0;
    for (; i + W <= i1; i += W) {
      const V gv = load(g + i);
      V mv = load(m + i), vv = load(v + i);
      mv = fmadd(sub(gv, mv), OB1, mv);
      vv = fmadd(fmadd(gv, gv, neg(vv)), OB2, vv);  // v + (g*g - v) * (1 - b2)
      store(m + i, mv);
      store(v + i, vv);
      if (vhat) {
        vv = max(load(vhat + i), vv);
        store(vhat + i, vv);
      }
      store(p + i, sub(load(p + i), div(mul(A, mv), add(simd::sqrt(vv), EPS))));
    }
    for (; i < i1; i++) {
      const float gi = g[i];
      m[i] += (gi - m[i]) * ob1;
      v[i] += (gi * gi - v[i]) * ob2;
      float vv = v[i];
      if (vhat) {
        vhat[i] = std::max(vhat[i], vv);
        vv = vhat[i];
      }
      p[i] -= a * m[i] / (std::sqrt(vv) + eps);
    }
  }
};

struct adagrad {  // slots acc
  static constexpr const char* kFields = "lr, epsilon";
  static int plan(const double* h, double* k, char*, size_t) {
    k[0] = h[0], k[1] = h[1];
    return 1;
  }
  static void run(float* p, const float* g, float* const* s, size_t i0, size_t i1, const double* k) {
    const float lr = (float)k[0], eps = (float)k[1];
    float* acc = s[0];
    const V LR = set1(lr), EPS = set1(eps);
    size_t i = i0;
    for (; i + W <= i1; i += W) {
      const V gv = load(g + i);
      const V av = fmadd(gv, gv, load(acc + i));
      store(acc + i, av);
      store(p + i, sub(load(p + i), div(mul(LR, gv), simd::sqrt(add(av, EPS)))));
    }
    for (; i < i1; i++) {
      acc[i] += g[i] * g[i];
      p[i] -= lr * g[i] / std::sqrt(acc[i] + eps);
    }
  }
};

struct adadelta {  // slots ag, ad
  static constexpr const char* kFields = "lr, rho, epsilon";
  static int plan(const double* h, double* k, char*, size_t) {
    k[0] = h[0], k[1] = h[1], k[2] = 1.0 - h[1], k[3] = h[2];
    return 2;
  }
  static void run(float* p, const float* g, float* const* s, size_t i0, size_t i1, const double* k) {
    const float lr = (float)k[0], rho = (float)k[1], orho = (float)k[2], eps = (float)k[3];
    float *ag = s[0], *ad = s[1];
    const V LR = set1(lr), RHO = set1(rho), ORHO = set1(orho), EPS = set1(eps);
    size_t i = i0;
    for (; i + W <= i1; i += W) {
      const V gv = load(g + i);
      const V agv = fmadd(RHO, load(ag + i), mul(mul(ORHO, gv), gv));
      store(ag + i, agv);
      const V adv = load(ad + i);
      const V d = mul(neg(div(simd::sqrt(add(adv, EPS)), simd::sqrt(add(agv, EPS)))), gv);
      store(ad + i, fmadd(RHO, adv, mul(mul(ORHO, d), d)));
      store(p + i, fmadd(LR, d, load(p + i)));
    }
    for (; i < i1; i++) {
      const float gi = g[i];
      ag[i] = rho * ag[i] + orho * gi * gi;
      const float d = -std::sqrt(ad[i] + eps) / std::sqrt(ag[i] + eps) * gi;
      ad[i] = rho * ad[i] + orho * d * d;
      p[i] += lr * d;
    }
  }
};

struct nadam {  // slots m, v
  static constexpr const char* kFields = "lr, beta1, beta2, epsilon, step, uProduct";
  static int plan(const double* h, double* k, char* err, size_t cap) {
    const double b1 = h[1], b2 = h[2], t = h[4], up = h[5];
    if (!step_ok("nadam", t, err, cap)) return -1;
    const double u = b1 * (1 - 0.5 * std::pow(0.96, t)), u_next = b1 * (1 - 0.5 * std::pow(0.96, t + 1));
    k[0] = h[0], k[1] = 1.0 - b1, k[2] = 1.0 - b2, k[3] = h[3];
    k[4] = u_next / (1 - up * u_next);  // weight of m in mhat
    k[5] = (1 - u) / (1 - up);          // weight of g in mhat
    k[6] = 1 - std::pow(b2, t);         // bias correction of v
    return 2;
  }
  static void run(float* p, const float* g, float* const* s, size_t i0, size_t i1, const double* k) {
    const float lr = (float)k[0], ob1 = (float)k[1], ob2 = (float)k[2], eps = (float)k[3];
    const float cm = (float)k[4], cg = (float)k[5], bc2 = (float)k[6];
    float *m = s[0], *v = s[1];
    const V LR = set1(lr), OB1 = set1(ob1), OB2 = set1(ob2), EPS = set1(eps), CM = set1(cm), CG = set1(cg),
            BC2 = set1(bc2);
    size_t i = i0;
    for (; i + W <= i1; i += W) {
      const V gv = load(g + i);
      V mv = load(m + i), vv = load(v + i);
      mv = fmadd(sub(gv, mv), OB1, mv);
      vv = fmadd(fmadd(gv, gv, neg(vv)), OB2, vv);
      store(m + i, mv);
      store(v + i, vv);
      const V mhat = fmadd(CM, mv, mul(CG, gv));
      store(p + i, sub(load(p + i), div(mul(LR, mhat), add(simd::sqrt(div(vv, BC2)), EPS))));
    }
    for (; i < i1; i++) {
      const float gi = g[i];
      m[i] += (gi - m[i]) * ob1;
      v[i] += (gi * gi - v[i]) * ob2;
      p[i] -= lr * (cm * m[i] + cg * gi) / (std::sqrt(v[i] / bc2) + eps);
    }
  }
};

struct adamax {  // slots m, u
  static constexpr const char* kFields = "lr, beta1, beta2, epsilon, step";
  static int plan(const double* h, double* k, char* err, size_t cap) {
    if (!step_ok("adamax", h[4], err, cap)) return -1;
    k[0] = h[0] / (1 - std::pow(h[1], h[4]));  // the bias correction folds into the step size
    k[1] = 1.0 - h[1], k[2] = h[2], k[3] = h[3];
    return 2;
  }
  static void run(float* p, const float* g, float* const* s, size_t i0, size_t i1, const double* k) {
    const float a = (float)k[0], ob1 = (float)k[1], b2 = (float)k[2], eps = (float)k[3];
    float *m = s[0], *u = s[1];
    const V A = set1(a), OB1 = set1(ob1), B2 = set1(b2), EPS = set1(eps);
    size_t i = i0;
    for (; i + W <= i1; i += W) {
      const V gv = load(g + i);
      const V mv = fmadd(sub(gv, load(m + i)), OB1, load(m + i));
      const V uv = max(mul(B2, load(u + i)), abs(gv));
      store(m + i, mv);
      store(u + i, uv);
      store(p + i, sub(load(p + i), div(mul(A, mv), add(uv, EPS))));
    }
    for (; i < i1; i++) {
      const float gi = g[i];
      m[i] += (gi - m[i]) * ob1;
      u[i] = std::max(b2 * u[i], std::fabs(gi));
      p[i] -= a * m[i] / (u[i] + eps);
    }
  }
};

struct lion {  // slots m
  static constexpr const char* kFields = "lr, beta1, beta2";
  static int plan(const double* h, double* k, char*, size_t) {
    k[0] = h[0], k[1] = h[1], k[2] = 1.0 - h[1], k[3] = h[2], k[4] = 1.0 - h[2];
    return 1;
  }
  static void run(float* p, const float* g, float* const* s, size_t i0, size_t i1, const double* k) {
    const float lr = (float)k[0], b1 = (float)k[1], ob1 = (float)k[2], b2 = (float)k[3], ob2 = (float)k[4];
    float* m = s[0];
    const V LR = set1(lr), B1 = set1(b1), OB1 = set1(ob1), B2 = set1(b2), OB2 = set1(ob2), one = set1(1.0f),
            z = zero();
    size_t i = i0;
    for (; i + W <= i1; i += W) {
      const V gv = load(g + i), mv = load(m + i);
      const V c = fmadd(B1, mv, mul(OB1, gv));
      // sign(c), 0 (and NaN) passed through as c.
      const V sg = select(gt(c, z), one, select(lt(c, z), set1(-1.0f), c));
      store(p + i, fnmadd(LR, sg, load(p + i)));
      store(m + i, fmadd(B2, mv, mul(OB2, gv)));
    }
    for (; i < i1; i++) {
      const float gi = g[i];
      const float c = b1 * m[i] + ob1 * gi;
      p[i] -= lr * (c > 0 ? 1.0f : c < 0 ? -1.0f : c);
      m[i] = b2 * m[i] + ob2 * gi;
    }
  }
};
