/* vec_scalar.c — the portable backend: one float per "vector".
 * Compiled without -m flags (and, like every backend, -ffp-contract=off). */
#include <stddef.h>
#include <stdint.h>

#include "simd_ref.h"

#define VW 1
typedef float vf;

static inline vf v_zero(void) { return 0.0f; }
static inline vf v_set1(float f) { return f; }
static inline vf v_load(const float *p) { return *p; }
static inline void v_store(float *p, vf v) { *p = v; }
static inline vf v_add(vf a, vf b) { return a + b; }
static inline vf v_sub(vf a, vf b) { return a - b; }
static inline vf v_mul(vf a, vf b) { return a * b; }
static inline vf v_div(vf a, vf b) { return a / b; }
static inline vf v_max(vf a, vf b) { return ref_max2(a, b); }
static inline vf v_min(vf a, vf b) { return ref_min2(a, b); }
static inline vf v_neg(vf x) { return -x; }
static inline vf v_sel_gt(vf a, vf b, vf x, vf y) { return a > b ? x : y; }
static inline vf v_pow2i(vf n) { return ref_pow2i(n); }
/* no FMA here: a rounded product, then a rounded sum */
static inline vf v_fma(vf a, vf b, vf c) { return a * b + c; }

#define SIMD_TABLE simd_backend_scalar
#define SIMD_NAME "scalar"
#include "vec_kernels.h"
