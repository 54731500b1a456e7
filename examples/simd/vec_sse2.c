/* vec_sse2.c — 4 lanes, SSE2 only (compiled with -msse2).  No FMA:
 * dot/matmul use a rounded multiply then a rounded add, like scalar. */
#include <emmintrin.h>
#include <stddef.h>

#define VW 4
typedef __m128 vf;

static inline vf v_zero(void) { return _mm_setzero_ps(); }
static inline vf v_set1(float f) { return _mm_set1_ps(f); }
static inline vf v_load(const float *p) { return _mm_loadu_ps(p); }
static inline void v_store(float *p, vf v) { _mm_storeu_ps(p, v); }
static inline vf v_add(vf a, vf b) { return _mm_add_ps(a, b); }
static inline vf v_sub(vf a, vf b) { return _mm_sub_ps(a, b); }
static inline vf v_mul(vf a, vf b) { return _mm_mul_ps(a, b); }
static inline vf v_div(vf a, vf b) { return _mm_div_ps(a, b); }
static inline vf v_max(vf a, vf b) { return _mm_max_ps(a, b); }
static inline vf v_min(vf a, vf b) { return _mm_min_ps(a, b); }
static inline vf v_neg(vf x) { return _mm_xor_ps(x, _mm_set1_ps(-0.0f)); }
static inline vf v_sel_gt(vf a, vf b, vf x, vf y)
{
	vf m = _mm_cmpgt_ps(a, b);
	return _mm_or_ps(_mm_and_ps(m, x), _mm_andnot_ps(m, y));
}
static inline vf v_pow2i(vf n)
{
	__m128i e = _mm_add_epi32(_mm_cvttps_epi32(n), _mm_set1_epi32(127));
	return _mm_castsi128_ps(_mm_slli_epi32(e, 23));
}
static inline vf v_fma(vf a, vf b, vf c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }

#define SIMD_TABLE simd_backend_sse2
#define SIMD_NAME "sse2"
#include "vec_kernels.h"
