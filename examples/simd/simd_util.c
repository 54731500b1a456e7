/* simd_util.c — operations composed from the backend table, and helpers
 * shared by the example programs.  Backend-independent code: given
 * bit-identical table results it produces bit-identical results. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simd.h"

/* softmax(x) = exp(x - max) / sum(exp(x - max)); the sum is a canonical
 * reduction (D2), so this is bit-identical across backends. */
void simd_softmax(const struct simd_backend *b, float *dst, const float *x, size_t n)
{
	if (n == 0)
		return;
	float m = b->max(x, n);
	b->shift(dst, x, -m, n);
	b->exp(dst, dst, n);
	float s = b->sum(dst, n);
	b->scale(dst, dst, 1.0f / s, n);
}

/* log_softmax(x) = (x - max) - log(sum(exp(x - max))) */
void simd_log_softmax(const struct simd_backend *b, float *dst, const float *x, size_t n)
{
	if (n == 0)
		return;
	float *tmp = simd_alloc(n);
	float m = b->max(x, n);
	b->shift(dst, x, -m, n);
	b->exp(tmp, dst, n);
	float ls = logf(b->sum(tmp, n));
	b->shift(dst, dst, -ls, n);
	free(tmp);
}

float simd_l2_normalize(const struct simd_backend *b, float *dst, const float *x, size_t n)
{
	float nrm = sqrtf(b->dot(x, x, n));
	if (nrm == 0.0f) {
		if (dst != x)
			memmove(dst, x, n * sizeof *x);
		return nrm;
	}
	b->scale(dst, x, 1.0f / nrm, n);
	return nrm;
}

float simd_cosine(const struct simd_backend *b, const float *x, const float *y, size_t n)
{
	float nx = sqrtf(b->dot(x, x, n)), ny = sqrtf(b->dot(y, y, n));
	if (nx == 0.0f || ny == 0.0f)
		return 0.0f;
	return b->dot(x, y, n) / (nx * ny);
}

uint64_t simd_fnv_bits(const float *x, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		uint32_t bits;
		memcpy(&bits, &x[i], sizeof bits);
		for (int k = 0; k < 4; k++) {
			h ^= (bits >> (8 * k)) & 0xffu;
			h *= 0x100000001b3ull;
		}
	}
	return h;
}

double simd_gamma(size_t n)
{
	const double u = 0x1p-24;
	return (double)n * u / (1.0 - (double)n * u);
}

uint32_t simd_rand(uint32_t *state)
{
	uint32_t x = *state ? *state : 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

float simd_randf(uint32_t *state, float lo, float hi)
{
	double u = (double)(simd_rand(state) >> 8) * 0x1p-24;
	return (float)((double)lo + ((double)hi - (double)lo) * u);
}

float simd_rand_dyadic(uint32_t *state, int lim, int den)
{
	int span = 2 * lim * den + 1;
	int k = (int)(simd_rand(state) % (uint32_t)span) - lim * den;
	return (float)k / (float)den;
}

float *simd_alloc(size_t n)
{
	float *p = malloc((n ? n : 1) * sizeof *p);
	if (!p) {
		fprintf(stderr, "%s: out of memory (%zu floats)\n", simd_progname(), n);
		exit(1);
	}
	return p;
}
