/* vec_kernels.h — the kernels, written once over a small set of vector
 * primitives.  Included (once) by each backend translation unit after it
 * defines, for its own register type:
 *
 *   VW                 lanes per vector (1, 4, 8 or 16)
 *   vf                 the vector type
 *   v_zero() v_set1(f) v_load(p) v_store(p, v)
 *   v_add v_sub v_mul v_div(a, b)      correctly rounded, lane-wise
 *   v_max(a, b) = a > b ? a : b, v_min(a, b) = a < b ? a : b
 *   v_neg(x)           sign bit flipped
 *   v_sel_gt(a, b, x, y) = a > b ? x : y
 *   v_pow2i(n)         2^n for integral n in [-126, 127]
 *   v_fma(a, b, c)     a*b + c: fused where the backend has FMA; used only
 *                      by dot, matvec and matmul (simd.h, D3)
 *   SIMD_TABLE, SIMD_NAME
 * and optionally V_HAVE_PART with v_load_part(p, n, fill) (n <= VW lanes
 * from p, the rest = fill) and v_store_part(p, v, n) (masked tails).
 *
 * Every element-wise kernel below is the vector transcription of the
 * corresponding ref_* function in simd_ref.h, operation for operation.
 */
#ifndef SIMD_TABLE
#error "define the backend primitives before including vec_kernels.h"
#endif

#include <math.h>

#include "simd.h"
#include "simd_ref.h"

#ifndef V_HAVE_PART
static inline vf v_load_part(const float *p, size_t n, float fill)
{
	float buf[VW];
	for (size_t i = 0; i < VW; i++)
		buf[i] = i < n ? p[i] : fill;
	return v_load(buf);
}

static inline void v_store_part(float *p, vf v, size_t n)
{
	float buf[VW];
	v_store(buf, v);
	for (size_t i = 0; i < n; i++)
		p[i] = buf[i];
}
#endif

/* ---- element-wise math (D1) ---------------------------------------- */

static inline vf k_exp(vf x)
{
	x = v_min(v_max(x, v_set1(SIMD_EXP_LO)), v_set1(SIMD_EXP_HI));
	vf t = v_mul(x, v_set1(SIMD_LOG2E));
	vf n = v_sub(v_add(t, v_set1(SIMD_ROUND_MAGIC)), v_set1(SIMD_ROUND_MAGIC));
	vf r = v_sub(x, v_mul(n, v_set1(SIMD_LN2_HI)));
	r = v_sub(r, v_mul(n, v_set1(SIMD_LN2_LO)));
	vf p = v_set1(SIMD_EXP_C6);
	p = v_add(v_mul(p, r), v_set1(SIMD_EXP_C5));
	p = v_add(v_mul(p, r), v_set1(SIMD_EXP_C4));
	p = v_add(v_mul(p, r), v_set1(SIMD_EXP_C3));
	p = v_add(v_mul(p, r), v_set1(SIMD_EXP_C2));
	p = v_add(v_mul(p, r), v_set1(SIMD_EXP_C1));
	p = v_add(v_mul(p, r), v_set1(SIMD_EXP_C0));
	return v_mul(p, v_pow2i(n));
}

static inline vf k_sigmoid(vf x)
{
	vf one = v_set1(1.0f);
	return v_div(one, v_add(one, k_exp(v_neg(x))));
}

static inline vf k_tanh(vf x)
{
	vf one = v_set1(1.0f);
	return v_sub(one, v_div(v_set1(2.0f), v_add(k_exp(v_add(x, x)), one)));
}

static inline vf k_gelu(vf x)
{
	vf x3 = v_mul(v_mul(x, x), x);
	vf inner = v_add(x, v_mul(v_set1(SIMD_GELU_K), x3));
	vf th = k_tanh(v_mul(v_set1(SIMD_GELU_S), inner));
	return v_mul(v_mul(v_set1(0.5f), x), v_add(v_set1(1.0f), th));
}

/* A loop over n elements: full vectors, then one partial vector. */
#define EW_LOOP(EXPR)                                                   \
	size_t i = 0;                                                   \
	for (; i + VW <= n; i += VW) {                                  \
		EW_LOAD(v_load);                                        \
		v_store(dst + i, (EXPR));                               \
	}                                                               \
	if (i < n) {                                                    \
		EW_LOAD(EW_PART);                                       \
		v_store_part(dst + i, (EXPR), n - i);                   \
	}

#define EW_PART(p) v_load_part((p), n - i, 0.0f)

#define EW_UNARY(fname, EXPR)                                           \
	static void fname(float *dst, const float *a, size_t n)         \
	{                                                               \
		EW_LOOP(EXPR)                                           \
	}
#define EW_UNARY_P(fname, EXPR)                                         \
	static void fname(float *dst, const float *a, float s, size_t n) \
	{                                                               \
		vf sv = v_set1(s);                                      \
		EW_LOOP(EXPR)                                           \
	}
#define EW_BINARY(fname, EXPR)                                                     \
	static void fname(float *dst, const float *a, const float *b, size_t n)    \
	{                                                                          \
		EW_LOOP(EXPR)                                                      \
	}

#define EW_LOAD(LD) vf x = LD(a + i)
EW_UNARY(k_relu_n, v_max(x, v_zero()))
EW_UNARY(k_exp_n, k_exp(x))
EW_UNARY(k_sigmoid_n, k_sigmoid(x))
EW_UNARY(k_tanh_n, k_tanh(x))
EW_UNARY(k_gelu_n, k_gelu(x))
EW_UNARY(k_swish_n, v_mul(x, k_sigmoid(x)))
EW_UNARY_P(k_scale_n, v_mul(x, sv))
EW_UNARY_P(k_shift_n, v_add(x, sv))
EW_UNARY_P(k_leaky_n, v_sel_gt(x, v_zero(), x, v_mul(sv, x)))
EW_UNARY_P(k_elu_n, v_sel_gt(x, v_zero(), x, v_mul(sv, v_sub(k_exp(x), v_set1(1.0f)))))
#undef EW_LOAD

#define EW_LOAD(LD) vf x = LD(a + i), y = LD(b + i)
EW_BINARY(k_add_n, v_add(x, y))
EW_BINARY(k_sub_n, v_sub(x, y))
EW_BINARY(k_mul_n, v_mul(x, y))
#undef EW_LOAD

/* ---- reductions in the canonical order (D2) ------------------------ */

#define NACC (SIMD_RED_LANES / VW)

static float tree_sum(float *l)
{
	for (size_t w = SIMD_RED_LANES / 2; w > 0; w /= 2)
		for (size_t j = 0; j < w; j++)
			l[j] = l[j] + l[j + w];
	return l[0];
}

static float tree_max(float *l)
{
	for (size_t w = SIMD_RED_LANES / 2; w > 0; w /= 2)
		for (size_t j = 0; j < w; j++)
			l[j] = ref_max2(l[j], l[j + w]);
	return l[0];
}

static inline size_t part_len(size_t rem, size_t off)
{
	return rem - off < VW ? rem - off : VW;
}

static float k_sum(const float *x, size_t n)
{
	vf acc[NACC];
	for (size_t k = 0; k < NACC; k++)
		acc[k] = v_zero();
	size_t i = 0;
	for (; i + SIMD_RED_LANES <= n; i += SIMD_RED_LANES)
		for (size_t k = 0; k < NACC; k++)
			acc[k] = v_add(acc[k], v_load(x + i + k * VW));
	/* the tail, padded with +0 (adding +0 to a lane never changes it:
	 * a lane starts at +0 and so is never -0) */
	for (size_t k = 0; k < NACC && i + k * VW < n; k++)
		acc[k] = v_add(acc[k], v_load_part(x + i + k * VW, part_len(n - i, k * VW), 0.0f));
	float l[SIMD_RED_LANES];
	for (size_t k = 0; k < NACC; k++)
		v_store(l + k * VW, acc[k]);
	return tree_sum(l);
}

static float k_max(const float *x, size_t n)
{
	vf acc[NACC];
	for (size_t k = 0; k < NACC; k++)
		acc[k] = v_set1(-INFINITY);
	size_t i = 0;
	for (; i + SIMD_RED_LANES <= n; i += SIMD_RED_LANES)
		for (size_t k = 0; k < NACC; k++)
			acc[k] = v_max(acc[k], v_load(x + i + k * VW));
	for (size_t k = 0; k < NACC && i + k * VW < n; k++)
		acc[k] = v_max(acc[k],
			       v_load_part(x + i + k * VW, part_len(n - i, k * VW), -INFINITY));
	float l[SIMD_RED_LANES];
	for (size_t k = 0; k < NACC; k++)
		v_store(l + k * VW, acc[k]);
	return tree_max(l);
}

static float k_dot(const float *x, const float *y, size_t n)
{
	vf acc[NACC];
	for (size_t k = 0; k < NACC; k++)
		acc[k] = v_zero();
	size_t i = 0;
	for (; i + SIMD_RED_LANES <= n; i += SIMD_RED_LANES)
		for (size_t k = 0; k < NACC; k++)
			acc[k] = v_fma(v_load(x + i + k * VW), v_load(y + i + k * VW), acc[k]);
	for (size_t k = 0; k < NACC && i + k * VW < n; k++) {
		size_t m = part_len(n - i, k * VW);
		acc[k] = v_fma(v_load_part(x + i + k * VW, m, 0.0f),
			       v_load_part(y + i + k * VW, m, 0.0f), acc[k]);
	}
	float l[SIMD_RED_LANES];
	for (size_t k = 0; k < NACC; k++)
		v_store(l + k * VW, acc[k]);
	return tree_sum(l);
}

/* ---- matrices ------------------------------------------------------ */

static void k_matvec(float *y, const float *A, const float *x, size_t rows, size_t cols)
{
	for (size_t r = 0; r < rows; r++)
		y[r] = k_dot(A + r * cols, x, cols);
}

/* C[i][j] = sum over p = 0..k-1, in order, of A[i][p]*B[p][j], vectorised
 * over j (two registers at a time where the row is wide enough). */
static void k_matmul(float *C, const float *A, const float *B, size_t m, size_t k, size_t n)
{
	for (size_t i = 0; i < m; i++) {
		const float *arow = A + i * k;
		float *crow = C + i * n;
		size_t j = 0;
		for (; j + 2 * VW <= n; j += 2 * VW) {
			vf c0 = v_zero(), c1 = v_zero();
			for (size_t p = 0; p < k; p++) {
				vf av = v_set1(arow[p]);
				const float *brow = B + p * n + j;
				c0 = v_fma(av, v_load(brow), c0);
				c1 = v_fma(av, v_load(brow + VW), c1);
			}
			v_store(crow + j, c0);
			v_store(crow + j + VW, c1);
		}
		for (; j < n; j += VW) {
			size_t w = n - j < VW ? n - j : VW;
			vf c0 = v_zero();
			for (size_t p = 0; p < k; p++)
				c0 = v_fma(v_set1(arow[p]), v_load_part(B + p * n + j, w, 0.0f), c0);
			v_store_part(crow + j, c0, w);
		}
	}
}

/* Pure data movement (so trivially identical everywhere): 16x16 tiles. */
static void k_transpose(float *dst, const float *src, size_t rows, size_t cols)
{
	const size_t T = 16;
	for (size_t r0 = 0; r0 < rows; r0 += T)
		for (size_t c0 = 0; c0 < cols; c0 += T) {
			size_t r1 = r0 + T < rows ? r0 + T : rows;
			size_t c1 = c0 + T < cols ? c0 + T : cols;
			for (size_t r = r0; r < r1; r++)
				for (size_t c = c0; c < c1; c++)
					dst[c * rows + r] = src[r * cols + c];
		}
}

const struct simd_backend SIMD_TABLE = {
	.name = SIMD_NAME,
	.lanes = VW,
	.sum = k_sum,
	.max = k_max,
	.dot = k_dot,
	.add = k_add_n,
	.sub = k_sub_n,
	.mul = k_mul_n,
	.scale = k_scale_n,
	.shift = k_shift_n,
	.relu = k_relu_n,
	.leaky_relu = k_leaky_n,
	.elu = k_elu_n,
	.exp = k_exp_n,
	.sigmoid = k_sigmoid_n,
	.tanh = k_tanh_n,
	.gelu = k_gelu_n,
	.swish = k_swish_n,
	.matvec = k_matvec,
	.matmul = k_matmul,
	.transpose = k_transpose,
};
