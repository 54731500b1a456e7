/* ml_similarity — cosine similarity, L2 normalisation and k-nearest
 * neighbours over small "embeddings".
 *
 * The embeddings are multiples of 1/16 in [-2.5, 2.5] (dimension 19: a tail
 * on every vector backend), so every dot product and squared distance is
 * exact in float (products are multiples of 1/256 of magnitude <= 25, so
 * every partial sum is a multiple of 1/256 below 2^9: fewer than 24 bits),
 * and cosine = dot / (sqrt(dot_xx) * sqrt(dot_yy)) is then made of
 * correctly rounded operations on identical values: identical on every
 * backend (simd.h, D3).  The norm of a normalised vector is not exact; it
 * is 1 within ~2e-6 (gamma_19 plus the normalisation's rounding), so it is
 * printed with 4 decimals, which that error cannot change. */
#include <stdio.h>
#include <string.h>

#include "simd.h"

#define DIM 19
#define NITEMS 9
#define K 3

static const char *const names[NITEMS] = {"cat", "dog", "tiger", "car", "truck",
					  "bicycle", "apple", "banana", "cherry"};
static const char *const classes[3] = {"animal", "vehicle", "fruit"};

int main(int argc, char **argv)
{
	const struct simd_backend *b = simd_init(argv[0]);
	if (argc > 1)
		simd_bad_arg(argv[1], "ml_similarity");

	printf("ML similarity\n");
	printf("Backend: %s\n", b->name);

	/* three class centres, items = centre + small noise */
	float centre[3][DIM], emb[NITEMS][DIM];
	uint32_t seed = 2024;
	for (int c = 0; c < 3; c++)
		for (int d = 0; d < DIM; d++)
			centre[c][d] = simd_rand_dyadic(&seed, 2, 4);
	for (int i = 0; i < NITEMS; i++)
		for (int d = 0; d < DIM; d++)
			emb[i][d] = centre[i / 3][d] + simd_rand_dyadic(&seed, 1, 8) * 0.5f;

	printf("Cosine similarity (%d items, dimension %d):\n", NITEMS, DIM);
	printf("%-8s", "");
	for (int j = 0; j < NITEMS; j++)
		printf(" %8s", names[j]);
	printf("\n");
	for (int i = 0; i < NITEMS; i++) {
		printf("%-8s", names[i]);
		for (int j = 0; j < NITEMS; j++)
			printf(" %8.5f", (double)simd_cosine(b, emb[i], emb[j], DIM));
		printf("\n");
	}

	printf("Most similar item:\n");
	for (int i = 0; i < NITEMS; i++) {
		int best = -1;
		float bs = -2.0f;
		for (int j = 0; j < NITEMS; j++) {
			if (j == i)
				continue;
			float s = simd_cosine(b, emb[i], emb[j], DIM);
			if (s > bs)
				bs = s, best = j;
		}
		printf("  %-8s -> %-8s (cosine %.5f)\n", names[i], names[best], (double)bs);
	}

	float unit[DIM];
	float nrm = simd_l2_normalize(b, unit, emb[0], DIM);
	printf("L2 normalisation of '%s': norm before %.6f\n", names[0], (double)nrm);
	printf("  unit[0..5] =");
	for (int d = 0; d < 6; d++)
		printf(" %.6f", (double)unit[d]);
	printf("\n  norm after %.4f\n", (double)(b->dot(unit, unit, DIM)));

	/* k-NN: squared L2 distance = dot(q - e, q - e), exact */
	float queries[3][DIM];
	for (int q = 0; q < 3; q++)
		for (int d = 0; d < DIM; d++)
			queries[q][d] = centre[(q + 1) % 3][d] + simd_rand_dyadic(&seed, 1, 8) * 0.5f;
	printf("k-NN (k=%d, squared L2 distance):\n", K);
	for (int q = 0; q < 3; q++) {
		float dist[NITEMS], diff[DIM];
		for (int i = 0; i < NITEMS; i++) {
			b->sub(diff, queries[q], emb[i], DIM);
			dist[i] = b->dot(diff, diff, DIM);
		}
		int used[NITEMS] = {0}, votes[3] = {0};
		printf("  query %d:", q);
		for (int k = 0; k < K; k++) {
			int best = -1;
			for (int i = 0; i < NITEMS; i++) /* ties: lowest index */
				if (!used[i] && (best < 0 || dist[i] < dist[best]))
					best = i;
			used[best] = 1;
			votes[best / 3]++;
			printf(" %s(%.4f)", names[best], (double)dist[best]);
		}
		int cls = 0;
		for (int c = 1; c < 3; c++)
			if (votes[c] > votes[cls])
				cls = c;
		printf(" -> %s\n", classes[cls]);
	}
	return 0;
}
