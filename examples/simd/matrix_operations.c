/* matrix_operations — small exact products, transpose, matvec, and 128x128
 * products checked against a double-precision reference.
 *
 * Everything printed is exact in float (small integers, multiples of 1/8),
 * so FMA and mul+add backends print the same digits (simd.h, D3).  The
 * inexact 128x128 product is only reported as PASS/FAIL against the bound
 * |C - C_ref| <= gamma_k * (|A| |B|) element-wise (k = 128). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "simd.h"

static void print_matrix(const char *title, const float *m, size_t rows, size_t cols)
{
	printf("%s (%zux%zu):\n", title, rows, cols);
	for (size_t r = 0; r < rows; r++) {
		printf(" ");
		for (size_t c = 0; c < cols; c++)
			printf(" %8.3f", (double)m[r * cols + c]);
		printf("\n");
	}
}

/* C = A*B in double, and |A|*|B| for the error bound */
static void ref_matmul(double *C, double *absC, const float *A, const float *B, size_t m,
		       size_t k, size_t n)
{
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			double s = 0, a = 0;
			for (size_t p = 0; p < k; p++) {
				double t = (double)A[i * k + p] * (double)B[p * n + j];
				s += t;
				a += fabs(t);
			}
			C[i * n + j] = s;
			absC[i * n + j] = a;
		}
}

int main(int argc, char **argv)
{
	const struct simd_backend *b = simd_init(argv[0]);
	if (argc > 1)
		simd_bad_arg(argv[1], "matrix_operations");
	int fail = 0;

	printf("Matrix operations\n");
	printf("Backend: %s\n", b->name);

	/* 2x3 * 3x2 */
	const float A[6] = {1, 2, 3, 4, 5, 6}, B[6] = {7, 8, 9, 10, 11, 12};
	float C[4];
	b->matmul(C, A, B, 2, 3, 2);
	print_matrix("A", A, 2, 3);
	print_matrix("B", B, 3, 2);
	print_matrix("A*B", C, 2, 2);

	/* 5x7 * 7x3 of multiples of 1/2 (odd sizes: every backend's tail) */
	float P[35], Q[21], R[15];
	for (int i = 0; i < 35; i++)
		P[i] = (float)((i * 5) % 9 - 4) / 2.0f;
	for (int i = 0; i < 21; i++)
		Q[i] = (float)((i * 7) % 11 - 5) / 2.0f;
	b->matmul(R, P, Q, 5, 7, 3);
	print_matrix("P", P, 5, 7);
	print_matrix("Q", Q, 7, 3);
	print_matrix("P*Q", R, 5, 3);

	/* transpose */
	float PT[35];
	b->transpose(PT, P, 5, 7);
	print_matrix("P^T", PT, 7, 5);

	/* matvec: P (5x7) times v */
	float v[7] = {1, -1, 0.5f, 2, -0.25f, 3, -2}, y[5];
	b->matvec(y, P, v, 5, 7);
	printf("v = [");
	for (int i = 0; i < 7; i++)
		printf(" %.3f", (double)v[i]);
	printf(" ]\n");
	printf("P*v = [");
	for (int i = 0; i < 5; i++)
		printf(" %.3f", (double)y[i]);
	printf(" ]\n");

	/* 128x128, exact: multiples of 1/8 in [-2, 2]; every product is a
	 * multiple of 1/64 of magnitude <= 4, so all partial sums (<= 512) are
	 * exact in float and C must equal the double reference exactly. */
	enum { M = 128 };
	float *X = simd_alloc(M * M), *Y = simd_alloc(M * M), *Z = simd_alloc(M * M);
	float *XT = simd_alloc(M * M), *YT = simd_alloc(M * M), *ZT = simd_alloc(M * M);
	float *W = simd_alloc(M * M);
	double *ref = malloc(sizeof(double) * M * M), *abs_ref = malloc(sizeof(double) * M * M);
	if (!ref || !abs_ref) {
		fprintf(stderr, "%s: out of memory\n", simd_progname());
		return 1;
	}
	uint32_t seed = 12345;
	for (int i = 0; i < M * M; i++) {
		X[i] = simd_rand_dyadic(&seed, 2, 8);
		Y[i] = simd_rand_dyadic(&seed, 2, 8);
	}
	b->matmul(Z, X, Y, M, M, M);
	ref_matmul(ref, abs_ref, X, Y, M, M, M);
	int exact = 1;
	double trace = 0;
	for (int i = 0; i < M * M; i++)
		exact &= (double)Z[i] == ref[i];
	for (int i = 0; i < M; i++)
		trace += (double)Z[i * M + i];
	printf("128x128 dyadic product: trace=%.6f fnv1a=%016llx\n", trace,
	       (unsigned long long)simd_fnv_bits(Z, M * M));
	printf("128x128 dyadic product equals the double reference exactly: %s\n",
	       exact ? "PASS" : "FAIL");
	fail |= !exact;

	/* (XY)^T == Y^T X^T, exactly */
	b->transpose(XT, X, M, M);
	b->transpose(YT, Y, M, M);
	b->transpose(ZT, Z, M, M);
	b->matmul(W, YT, XT, M, M, M);
	int tr_ok = 1;
	for (int i = 0; i < M * M; i++)
		tr_ok &= W[i] == ZT[i];
	printf("128x128 (X*Y)^T == Y^T * X^T: %s\n", tr_ok ? "PASS" : "FAIL");
	fail |= !tr_ok;

	/* 128x128, inexact: uniform in [-1, 1) with full mantissas */
	for (int i = 0; i < M * M; i++) {
		X[i] = simd_randf(&seed, -1.0f, 1.0f);
		Y[i] = simd_randf(&seed, -1.0f, 1.0f);
	}
	b->matmul(Z, X, Y, M, M, M);
	ref_matmul(ref, abs_ref, X, Y, M, M, M);
	const double g = simd_gamma(M) + M * 0x1p-53;
	int within = 1;
	for (int i = 0; i < M * M; i++)
		within &= fabs((double)Z[i] - ref[i]) <= g * abs_ref[i];
	printf("128x128 random product vs double reference, |err| <= gamma_128*(|X||Y|): %s\n",
	       within ? "PASS" : "FAIL");
	fail |= !within;

	free(X), free(Y), free(Z), free(XT), free(YT), free(ZT), free(W), free(ref), free(abs_ref);
	printf("Result: %s\n", fail ? "FAIL" : "PASS");
	return fail ? 1 : 0;
}
