/* vec_avx2.c — 8 lanes, AVX2 + FMA (compiled with -mavx2 -mfma).
 * FMA is used only by dot/matvec/matmul (simd.h, D3); the element-wise
 * kernels use separate multiplies and adds so that they stay bit-identical
 * to the other backends (and -ffp-contract=off keeps the compiler from
 * fusing them). */
#include <immintrin.h>
#include <stddef.h>

#define VW 8
typedef __m256 vf;

static inline vf v_zero(void) { return _mm256_setzero_ps(); }
static inline vf v_set1(float f) { return _mm256_set1_ps(f); }
static inline vf v_load(const float *p) { return _mm256_loadu_ps(p); }
static inline void v_store(float *p, vf v) { _mm256_storeu_ps(p, v); }
static inline vf v_add(vf a, vf b) { return _mm256_add_ps(a, b); }
static inline vf v_sub(vf a, vf b) { return _mm256_sub_ps(a, b); }
static inline vf v_mul(vf a, vf b) { return _mm256_mul_ps(a, b); }
static inline vf v_div(vf a, vf b) { return _mm256_div_ps(a, b); }
static inline vf v_max(vf a, vf b) { return _mm256_max_ps(a, b); }
static inline vf v_min(vf a, vf b) { return _mm256_min_ps(a, b); }
static inline vf v_neg(vf x) { return _mm256_xor_ps(x, _mm256_set1_ps(-0.0f)); }
static inline vf v_sel_gt(vf a, vf b, vf x, vf y)
{
	return _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, b, _CMP_GT_OQ));
}
static inline vf v_pow2i(vf n)
{
	__m256i e = _mm256_add_epi32(_mm256_cvttps_epi32(n), _mm256_set1_epi32(127));
	return _mm256_castsi256_ps(_mm256_slli_epi32(e, 23));
}
static inline vf v_fma(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }

/* tails through AVX masked loads/stores (lanes >= n are not touched) */
#define V_HAVE_PART 1
static inline __m256i part_mask(size_t n)
{
	const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
	return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), idx);
}
static inline vf v_load_part(const float *p, size_t n, float fill)
{
	__m256i m = part_mask(n);
	vf v = _mm256_maskload_ps(p, m);
	return _mm256_blendv_ps(_mm256_set1_ps(fill), v, _mm256_castsi256_ps(m));
}
static inline void v_store_part(float *p, vf v, size_t n)
{
	_mm256_maskstore_ps(p, part_mask(n), v);
}

#define SIMD_TABLE simd_backend_avx2
#define SIMD_NAME "avx2"
#include "vec_kernels.h"
