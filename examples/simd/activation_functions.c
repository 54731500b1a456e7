/* activation_functions — relu, leaky relu, elu, sigmoid, tanh, GELU (tanh
 * form), swish, softmax and log-softmax.
 *
 * The element-wise functions are bit-identical across backends (simd.h,
 * D1); softmax's normalising sum is a canonical-order reduction (D2) and
 * log() is applied to it once in common code, so those are identical too.
 * 17 inputs: every vector backend runs its tail path. */
#include <stdio.h>

#include "simd.h"

#define N 17
#define NL 10

static void row(const char *name, const float *v, size_t n)
{
	printf("%-10s", name);
	for (size_t i = 0; i < n; i++)
		printf(" %10.6f", (double)v[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	const struct simd_backend *b = simd_init(argv[0]);
	if (argc > 1)
		simd_bad_arg(argv[1], "activation_functions");

	printf("Activation functions\n");
	printf("Backend: %s\n", b->name);

	float x[N];
	for (int i = 0; i < N; i++)
		x[i] = -4.0f + 0.5f * (float)i;

	float relu[N], leaky[N], elu[N], sig[N], th[N], gelu[N], swish[N], ex[N];
	b->relu(relu, x, N);
	b->leaky_relu(leaky, x, 0.01f, N);
	b->elu(elu, x, 1.0f, N);
	b->sigmoid(sig, x, N);
	b->tanh(th, x, N);
	b->gelu(gelu, x, N);
	b->swish(swish, x, N);
	b->exp(ex, x, N);

	printf("%-10s %10s %10s %10s %10s %10s %10s %10s %10s\n", "x", "relu", "leaky0.01",
	       "elu1", "sigmoid", "tanh", "gelu", "swish", "exp");
	for (int i = 0; i < N; i++)
		printf("%10.6f %10.6f %10.6f %10.6f %10.6f %10.6f %10.6f %10.6f %10.6f\n",
		       (double)x[i], (double)relu[i], (double)leaky[i], (double)elu[i],
		       (double)sig[i], (double)th[i], (double)gelu[i], (double)swish[i],
		       (double)ex[i]);

	const float logits[NL] = {1.0f, 2.0f, 0.5f, -1.0f, 3.0f, 0.0f, -2.5f, 1.5f, 2.5f, -0.5f};
	float sm[NL], lsm[NL];
	simd_softmax(b, sm, logits, NL);
	simd_log_softmax(b, lsm, logits, NL);
	row("logits", logits, NL);
	row("softmax", sm, NL);
	row("logsoftmax", lsm, NL);
	int am = 0;
	for (int i = 1; i < NL; i++)
		if (sm[i] > sm[am])
			am = i;
	printf("softmax sum = %.6f, argmax = %d\n", (double)b->sum(sm, NL), am);

	/* large logits: the max subtraction keeps exp in range */
	float big[NL];
	b->shift(big, logits, 1000.0f, NL);
	simd_softmax(b, sm, big, NL);
	row("softmax+1e3", sm, NL);
	return 0;
}
