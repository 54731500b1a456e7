/* backend_detection — what the CPU and OS offer, which backend the
 * dispatcher picks, and the same small sum on every supported backend.
 * The sum's terms are multiples of 1/4, so it is exact in float whatever
 * the order (and the canonical order makes it bit-identical anyway). */
#include <stdio.h>

#include "simd.h"

#define N 37

static const char *yesno(int v) { return v ? "yes" : "no"; }

int main(int argc, char **argv)
{
	const struct simd_backend *b = simd_init(argv[0]);
	if (argc > 1)
		simd_bad_arg(argv[1], "backend_detection");

	const struct simd_features *f = simd_features();
	printf("SIMD backend detection\n");
	printf("Backend: %s\n", b->name);
	printf("CPU features (cpuid): sse2=%s osxsave=%s avx=%s fma=%s avx2=%s avx512f=%s\n",
	       yesno(f->sse2), yesno(f->osxsave), yesno(f->avx), yesno(f->fma), yesno(f->avx2), yesno(f->avx512f));
	printf("OS register state (XCR0): xmm=%s ymm=%s zmm=%s\n", yesno(f->os_xmm), yesno(f->os_ymm),
	       yesno(f->os_zmm));
	printf("Dispatch order: avx512 -> avx2 -> sse2 -> scalar\n");
	printf("Auto-selected backend: %s\n", simd_backend(simd_best())->name);
	printf("Supported backends:");
	for (int id = 0; id < SIMD_NBACKENDS; id++)
		if (simd_supported((enum simd_id)id))
			printf(" %s", simd_backend((enum simd_id)id)->name);
	printf("\n");

	float x[N];
	for (int i = 0; i < N; i++)
		x[i] = (float)(i + 1) / 4.0f;
	const double expect = (double)N * (N + 1) / 8.0;
	printf("Sum of k/4 for k = 1..%d (expected %.6f):\n", N, expect);
	int bad = 0;
	for (int id = 0; id < SIMD_NBACKENDS; id++) {
		const struct simd_backend *t = simd_backend((enum simd_id)id);
		if (!simd_supported((enum simd_id)id)) {
			printf("  %-7s lanes=%-2u  not supported here\n", t->name, t->lanes);
			continue;
		}
		float s = t->sum(x, N);
		bad |= (double)s != expect;
		printf("  %-7s lanes=%-2u  sum=%.6f  %s\n", t->name, t->lanes, (double)s,
		       (double)s == expect ? "ok" : "MISMATCH");
	}
	printf("All supported backends agree: %s\n", bad ? "no" : "yes");
	return bad ? 1 : 0;
}
