/* simd_ref.h — the scalar specification of every element-wise operation.
 *
 * Each backend computes, for every element, exactly these operations in
 * exactly this order (IEEE single precision, round to nearest even, no FMA
 * contraction: compile with -ffp-contract=off).  That is what makes the
 * element-wise results bit-identical across backends (simd.h, D1), and
 * backend_equivalence checks each backend against these definitions.
 *
 * max/min are defined as the SSE/AVX instructions define them:
 * max(a, b) = a > b ? a : b, min(a, b) = a < b ? a : b.
 */
#ifndef SIMD_REF_H
#define SIMD_REF_H

#include <stdint.h>
#include <string.h>

/* exp: clamp to [-87, 88] (so the result is a finite normal float),
 * n = round_to_nearest_even(x * log2(e)) via the 1.5*2^23 trick (valid for
 * |t| < 2^22), Cody-Waite reduction r = x - n*ln2_hi - n*ln2_lo
 * (ln2_hi = 355/512 has 9 significant bits, so n*ln2_hi is exact),
 * e^r by the degree-6 Taylor polynomial in Horner form (|r| <= 0.35,
 * truncation error < 1.3e-7 relative), times 2^n built from the exponent
 * bits.  Relative error against exp() is below 1e-6 (checked by
 * backend_equivalence). */
#define SIMD_EXP_LO -87.0f
#define SIMD_EXP_HI 88.0f
#define SIMD_LOG2E 1.44269504088896341f
#define SIMD_ROUND_MAGIC 12582912.0f /* 1.5 * 2^23 */
#define SIMD_LN2_HI 0.693359375f
#define SIMD_LN2_LO -2.12194440e-4f
#define SIMD_EXP_C6 1.38888889e-3f /* 1/720 */
#define SIMD_EXP_C5 8.33333333e-3f /* 1/120 */
#define SIMD_EXP_C4 4.16666667e-2f /* 1/24 */
#define SIMD_EXP_C3 1.66666667e-1f /* 1/6 */
#define SIMD_EXP_C2 0.5f
#define SIMD_EXP_C1 1.0f
#define SIMD_EXP_C0 1.0f

/* GELU, tanh form: 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3))) */
#define SIMD_GELU_K 0.044715f
#define SIMD_GELU_S 0.797884561f /* sqrt(2/pi) */

static inline float ref_max2(float a, float b) { return a > b ? a : b; }
static inline float ref_min2(float a, float b) { return a < b ? a : b; }

/* 2^n for an integral n in [-126, 127] */
static inline float ref_pow2i(float n)
{
	uint32_t bits = (uint32_t)((int32_t)n + 127) << 23;
	float f;
	memcpy(&f, &bits, sizeof f);
	return f;
}

static inline float ref_exp(float x)
{
	x = ref_min2(ref_max2(x, SIMD_EXP_LO), SIMD_EXP_HI);
	float t = x * SIMD_LOG2E;
	float n = (t + SIMD_ROUND_MAGIC) - SIMD_ROUND_MAGIC;
	float r = x - n * SIMD_LN2_HI;
	r = r - n * SIMD_LN2_LO;
	float p = SIMD_EXP_C6;
	p = p * r + SIMD_EXP_C5;
	p = p * r + SIMD_EXP_C4;
	p = p * r + SIMD_EXP_C3;
	p = p * r + SIMD_EXP_C2;
	p = p * r + SIMD_EXP_C1;
	p = p * r + SIMD_EXP_C0;
	return p * ref_pow2i(n);
}

static inline float ref_relu(float x) { return ref_max2(x, 0.0f); }
static inline float ref_leaky_relu(float x, float alpha) { return x > 0.0f ? x : alpha * x; }
static inline float ref_elu(float x, float alpha)
{
	return x > 0.0f ? x : alpha * (ref_exp(x) - 1.0f);
}
static inline float ref_sigmoid(float x) { return 1.0f / (1.0f + ref_exp(-x)); }
/* tanh(x) = 1 - 2/(e^(2x) + 1) */
static inline float ref_tanh(float x) { return 1.0f - 2.0f / (ref_exp(x + x) + 1.0f); }
static inline float ref_gelu(float x)
{
	float x3 = (x * x) * x;
	float inner = x + SIMD_GELU_K * x3;
	float th = ref_tanh(SIMD_GELU_S * inner);
	return (0.5f * x) * (1.0f + th);
}
static inline float ref_swish(float x) { return x * ref_sigmoid(x); }

#endif
