/* performance_demo — dot, sum, max, add and mul at several sizes, with
 * awkward tails (1, 3, 7, 15, 17, 33, 1023, 4097, 65537 ...).
 *
 * stdout: the results on the selected backend, which are the same on every
 * backend: the data are multiples of 1/4 in [-1.5, 1.5] and of 1/2 in
 * [-2.5, 2.5] (products: multiples of 1/8 of magnitude <= 3.75, so every
 * partial sum of up to 65537 of them is a multiple of 1/8 below 2^18, i.e.
 * fits in 24 bits), so dot and sum are exact in any order and with or
 * without FMA, and are checked against a double reference; add/mul are
 * element-wise (bit-identical) and shown as FNV-1a checksums of their bits.
 *
 * --timing: additionally times every supported backend on stderr (never on
 * stdout, so stdout stays deterministic). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "simd.h"

static const size_t sizes[] = {1, 3, 7, 15, 16, 17, 31, 33, 100, 1000, 1023, 4097, 65537};
#define NSIZES (sizeof sizes / sizeof sizes[0])
#define NMAX 65537

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static volatile float sink;

static void timing(const float *x, const float *y, float *z)
{
	static const size_t tsizes[] = {1023, 65537};
	for (int id = 0; id < SIMD_NBACKENDS; id++) {
		if (!simd_supported((enum simd_id)id))
			continue;
		const struct simd_backend *t = simd_backend((enum simd_id)id);
		for (size_t s = 0; s < sizeof tsizes / sizeof tsizes[0]; s++) {
			size_t n = tsizes[s], reps = 20000000 / n;
			double t0, dt[5];
			t0 = now();
			for (size_t r = 0; r < reps; r++)
				sink = t->dot(x, y, n);
			dt[0] = now() - t0;
			t0 = now();
			for (size_t r = 0; r < reps; r++)
				sink = t->sum(x, n);
			dt[1] = now() - t0;
			t0 = now();
			for (size_t r = 0; r < reps; r++)
				sink = t->max(x, n);
			dt[2] = now() - t0;
			t0 = now();
			for (size_t r = 0; r < reps; r++)
				t->add(z, x, y, n);
			dt[3] = now() - t0;
			t0 = now();
			for (size_t r = 0; r < reps; r++)
				t->mul(z, x, y, n);
			dt[4] = now() - t0;
			fprintf(stderr,
				"timing %-7s n=%-6zu ns/element: dot %.3f sum %.3f max %.3f "
				"add %.3f mul %.3f\n",
				t->name, n, dt[0] * 1e9 / (double)(reps * n),
				dt[1] * 1e9 / (double)(reps * n), dt[2] * 1e9 / (double)(reps * n),
				dt[3] * 1e9 / (double)(reps * n), dt[4] * 1e9 / (double)(reps * n));
		}
	}
}

int main(int argc, char **argv)
{
	const struct simd_backend *b = simd_init(argv[0]);
	int want_timing = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--timing"))
			want_timing = 1;
		else
			simd_bad_arg(argv[i], "performance_demo [--timing]");
	}

	printf("Performance demo (results; timings only with --timing, on stderr)\n");
	printf("Backend: %s\n", b->name);

	float *x = simd_alloc(NMAX), *y = simd_alloc(NMAX), *z = simd_alloc(NMAX);
	for (size_t i = 0; i < NMAX; i++) {
		x[i] = (float)((int)((i * 7) % 13) - 6) / 4.0f;
		y[i] = (float)((int)((i * 5) % 11) - 5) / 2.0f;
	}

	int fail = 0;
	printf("%6s %14s %12s %6s %16s %16s %s\n", "n", "dot", "sum", "max", "add fnv1a",
	       "mul fnv1a", "check");
	for (size_t s = 0; s < NSIZES; s++) {
		size_t n = sizes[s];
		double rdot = 0, rsum = 0, rmax = -1e30;
		for (size_t i = 0; i < n; i++) {
			rdot += (double)x[i] * (double)y[i];
			rsum += (double)x[i];
			if ((double)x[i] > rmax)
				rmax = (double)x[i];
		}
		float d = b->dot(x, y, n), su = b->sum(x, n), mx = b->max(x, n);
		b->add(z, x, y, n);
		int ok = 1;
		for (size_t i = 0; i < n; i++)
			ok &= (double)z[i] == (double)x[i] + (double)y[i];
		unsigned long long hadd = (unsigned long long)simd_fnv_bits(z, n);
		b->mul(z, x, y, n);
		for (size_t i = 0; i < n; i++)
			ok &= (double)z[i] == (double)x[i] * (double)y[i];
		unsigned long long hmul = (unsigned long long)simd_fnv_bits(z, n);
		ok &= (double)d == rdot && (double)su == rsum && (double)mx == rmax;
		fail |= !ok;
		printf("%6zu %14.3f %12.2f %6.2f %016llx %016llx %s\n", n, (double)d, (double)su,
		       (double)mx, hadd, hmul, ok ? "exact" : "MISMATCH");
	}
	printf("Result: %s\n", fail ? "FAIL" : "PASS");

	if (want_timing)
		timing(x, y, z);
	free(x), free(y), free(z);
	return fail ? 1 : 0;
}
