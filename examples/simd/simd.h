/* simd.h — a small float vector/matrix library with four backends.
 *
 * Backends (one translation unit each, compiled with its own -m flags):
 *   scalar  vec_scalar.c   plain C
 *   sse2    vec_sse2.c     -msse2           4 lanes
 *   avx2    vec_avx2.c     -mavx2 -mfma     8 lanes, masked tails, FMA
 *   avx512  vec_avx512.c   -mavx512f        16 lanes, masked tails, FMA
 * dispatch.c picks one at run time (AVX-512 -> AVX2 -> SSE2 -> scalar,
 * cpuid + XGETBV), or the one named by SIMD_BACKEND.  The kernels are
 * written once (vec_kernels.h) over each backend's vector primitives;
 * simd_ref.h is the scalar specification of the element-wise operations.
 * See README.md.
 *
 * Determinism contract (why every backend prints the same numbers):
 *
 *  D1. Element-wise operations (add ... swish) are bit-identical in every
 *      backend: each output element is computed by the same sequence of
 *      correctly rounded IEEE single operations (no FMA contraction: every
 *      TU is compiled with -ffp-contract=off, and the kernels never call an
 *      FMA), max/min follow the SSE rule "a > b ? a : b", and exp is the
 *      polynomial spelled out in simd_ref.h.  The scalar definitions in
 *      simd_ref.h are the specification; backend_equivalence checks every
 *      backend against them bit for bit.
 *
 *  D2. Reductions (sum, max, dot) use one canonical order in every backend:
 *      the input is padded with neutral elements to a multiple of 16, lane j
 *      (0..15) accumulates elements j, j+16, j+32, ... in order, then the 16
 *      lanes are combined by the fixed tree l[j] += l[j+8], l[j+4], l[j+2],
 *      l[j+1].  So sum and max are bit-identical across backends.
 *
 *  D3. dot, matvec and matmul use FMA in the avx2 and avx512 backends and
 *      mul+add elsewhere, so on inexact data they may differ in the last
 *      bits (both stay within gamma_n * sum|x_i*y_i|, gamma_n = n*u/(1-n*u),
 *      u = 2^-24, which backend_equivalence checks against a double
 *      reference).  The example programs therefore only print dot-type
 *      results computed from data whose products and partial sums are exact
 *      in float (small integers and dyadic rationals), where FMA and
 *      mul+add agree exactly; anything derived from them by correctly
 *      rounded operations (sqrt, division) is then identical too.
 *
 * No NaN support: inputs are assumed to be non-NaN.
 */
#ifndef SIMD_H
#define SIMD_H

#include <stddef.h>
#include <stdint.h>

/* The canonical reduction width of D2. */
#define SIMD_RED_LANES 16

struct simd_backend {
	const char *name;
	unsigned lanes; /* floats per vector register */

	/* reductions (D2, D3) */
	float (*sum)(const float *x, size_t n);
	float (*max)(const float *x, size_t n); /* -INFINITY when n == 0 */
	float (*dot)(const float *x, const float *y, size_t n);

	/* element-wise (D1); dst may alias an input */
	void (*add)(float *dst, const float *a, const float *b, size_t n);
	void (*sub)(float *dst, const float *a, const float *b, size_t n);
	void (*mul)(float *dst, const float *a, const float *b, size_t n);
	void (*scale)(float *dst, const float *a, float s, size_t n);  /* a*s */
	void (*shift)(float *dst, const float *a, float c, size_t n);  /* a+c */
	void (*relu)(float *dst, const float *a, size_t n);
	void (*leaky_relu)(float *dst, const float *a, float alpha, size_t n);
	void (*elu)(float *dst, const float *a, float alpha, size_t n);
	void (*exp)(float *dst, const float *a, size_t n);
	void (*sigmoid)(float *dst, const float *a, size_t n);
	void (*tanh)(float *dst, const float *a, size_t n);
	void (*gelu)(float *dst, const float *a, size_t n); /* tanh form */
	void (*swish)(float *dst, const float *a, size_t n);

	/* matrices, row-major */
	/* y[i] = dot(A[i,:], x), A is rows x cols */
	void (*matvec)(float *y, const float *A, const float *x, size_t rows, size_t cols);
	/* C (m x n) = A (m x k) * B (k x n); C[i][j] sums p = 0..k-1 in order */
	void (*matmul)(float *C, const float *A, const float *B, size_t m, size_t k, size_t n);
	/* dst (cols x rows) = src (rows x cols)^T; no aliasing */
	void (*transpose)(float *dst, const float *src, size_t rows, size_t cols);
};

enum simd_id { SIMD_SCALAR, SIMD_SSE2, SIMD_AVX2, SIMD_AVX512, SIMD_NBACKENDS };

extern const struct simd_backend simd_backend_scalar;
extern const struct simd_backend simd_backend_sse2;
extern const struct simd_backend simd_backend_avx2;
extern const struct simd_backend simd_backend_avx512;

/* ---- dispatch.c ---------------------------------------------------- */

struct simd_features {
	int sse2, osxsave, avx, fma, avx2, avx512f; /* cpuid */
	int os_xmm, os_ymm, os_zmm;                 /* XCR0 (OS saves the state) */
};

/* The CPU's features, minus those named in $SIMD_DISABLE (a comma-separated
 * list of sse2, avx2, avx512: a testing aid that emulates a smaller CPU). */
const struct simd_features *simd_features(void);
/* The backend table for ID (whether or not it can run here). */
const struct simd_backend *simd_backend(enum simd_id id);
/* Whether this CPU and OS can run backend ID. */
int simd_supported(enum simd_id id);
/* The best supported backend (AVX-512 -> AVX2 -> SSE2 -> scalar). */
enum simd_id simd_best(void);

/* Program start: makes stdout line-buffered, reads SIMD_BACKEND
 * (auto|scalar|sse2|avx2|avx512; unset or empty = auto) and returns the
 * chosen backend.  An unknown or unsupported value prints one line
 * "PROG: SIMD_BACKEND=VALUE: reason" on stderr and exits 2. */
const struct simd_backend *simd_init(const char *argv0);
/* The program name simd_init saw (basename of argv[0]). */
const char *simd_progname(void);
/* "PROG: unknown argument 'ARG'" (plus usage) on stderr, exit 2. */
void simd_bad_arg(const char *arg, const char *usage) __attribute__((noreturn));

/* ---- simd_util.c: composite operations and helpers ----------------- */

/* softmax / log-softmax built from max, shift, exp, sum, scale */
void simd_softmax(const struct simd_backend *b, float *dst, const float *x, size_t n);
void simd_log_softmax(const struct simd_backend *b, float *dst, const float *x, size_t n);
/* dst = x / ||x||_2 (x unchanged if its norm is 0); returns the norm */
float simd_l2_normalize(const struct simd_backend *b, float *dst, const float *x, size_t n);
/* dot(a,b) / (||a|| * ||b||); 0 when either norm is 0 */
float simd_cosine(const struct simd_backend *b, const float *x, const float *y, size_t n);

/* FNV-1a over the bit patterns of X[0..n): a checksum of exact results. */
uint64_t simd_fnv_bits(const float *x, size_t n);
/* gamma_n = n*u / (1 - n*u) with u = 2^-24, the reduction error factor. */
double simd_gamma(size_t n);
/* Deterministic pseudo-random generator (xorshift32). */
uint32_t simd_rand(uint32_t *state);
/* Uniform in [lo, hi), full float mantissa. */
float simd_randf(uint32_t *state, float lo, float hi);
/* A random multiple of 1/den in [-lim, lim] (exact in float). */
float simd_rand_dyadic(uint32_t *state, int lim, int den);
/* malloc or die (one line on stderr, exit 1) */
float *simd_alloc(size_t n);

#endif
