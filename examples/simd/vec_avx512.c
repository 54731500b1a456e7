/* vec_avx512.c — 16 lanes, AVX-512F only (compiled with -mavx512f).
 * Tails use k-masks; FMA only in dot/matvec/matmul (simd.h, D3). */
#include <immintrin.h>
#include <stddef.h>

#define VW 16
typedef __m512 vf;

static inline vf v_zero(void) { return _mm512_setzero_ps(); }
static inline vf v_set1(float f) { return _mm512_set1_ps(f); }
static inline vf v_load(const float *p) { return _mm512_loadu_ps(p); }
static inline void v_store(float *p, vf v) { _mm512_storeu_ps(p, v); }
static inline vf v_add(vf a, vf b) { return _mm512_add_ps(a, b); }
static inline vf v_sub(vf a, vf b) { return _mm512_sub_ps(a, b); }
static inline vf v_mul(vf a, vf b) { return _mm512_mul_ps(a, b); }
static inline vf v_div(vf a, vf b) { return _mm512_div_ps(a, b); }
static inline vf v_max(vf a, vf b) { return _mm512_max_ps(a, b); }
static inline vf v_min(vf a, vf b) { return _mm512_min_ps(a, b); }
/* _mm512_xor_ps is AVX512DQ; the integer xor is AVX512F */
static inline vf v_neg(vf x)
{
	return _mm512_castsi512_ps(
		_mm512_xor_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u)));
}
static inline vf v_sel_gt(vf a, vf b, vf x, vf y)
{
	return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_GT_OQ), y, x);
}
static inline vf v_pow2i(vf n)
{
	__m512i e = _mm512_add_epi32(_mm512_cvttps_epi32(n), _mm512_set1_epi32(127));
	return _mm512_castsi512_ps(_mm512_slli_epi32(e, 23));
}
static inline vf v_fma(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }

#define V_HAVE_PART 1
static inline __mmask16 part_mask(size_t n)
{
	return n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u);
}
static inline vf v_load_part(const float *p, size_t n, float fill)
{
	return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), part_mask(n), p);
}
static inline void v_store_part(float *p, vf v, size_t n)
{
	_mm512_mask_storeu_ps(p, part_mask(n), v);
}

#define SIMD_TABLE simd_backend_avx512
#define SIMD_NAME "avx512"
#include "vec_kernels.h"
