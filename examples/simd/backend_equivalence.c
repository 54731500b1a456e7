/* backend_equivalence — every supported backend against a reference.
 *
 *  - Element-wise operations must be bit-exact against the float
 *    reference of simd_ref.h (the same operations in the same order, see
 *    simd.h D1), out of place and in place, at sizes that exercise every
 *    backend's tail; the elements after the output must stay untouched.
 *  - sum and dot must be within the bound |s - s_ref| <= g(n) * sum|t_i|
 *    of the double reference s_ref = sum t_i (t_i = x_i, or x_i*y_i for
 *    dot), where g(n) = gamma_n + n*2^-53 covers float summation in any
 *    order (gamma_n = n*u/(1-n*u), u = 2^-24; FMA only tightens it) plus
 *    the double reference's own rounding.  matvec (per row) and matmul
 *    (per element) use the same bound with n = the inner dimension.
 *  - max must equal the reference exactly; sum and max must be
 *    bit-identical to the scalar backend (the canonical order, D2), and so
 *    must dot, matvec and matmul on dyadic data, where they are exact (D3).
 *  - transpose must be exact.
 *  - The reference itself (exp polynomial, sigmoid, tanh, GELU, swish, elu)
 *    is checked against double-precision libm formulas.
 *
 * One PASS/FAIL line per check; exit status 1 if any check fails.  The
 * output does not depend on SIMD_BACKEND (all supported backends are
 * checked whichever is selected), except for the Backend line. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simd.h"
#include "simd_ref.h"

static const size_t sizes[] = {0,  1,  2,  3,  5,  7,   8,   9,    15,   16,   17,  31,
			       32, 33, 47, 63, 64, 65, 100, 127, 1000, 1023, 1025, 4099};
#define NSIZES (sizeof sizes / sizeof sizes[0])
#define NMAX 4099
#define GUARD 32
#define SENTINEL 0x7fc0deadu

static int nchecks, nfail;

/* Set while the checks of a backend this CPU lacks are walked through. */
static bool skipping;

static void report(const char *who, const char *op, const char *what, const char *fail_detail)
{
	if (skipping) {
		printf("[%-6s] %-11s %-44s %s\n", who, op, what, "SKIP (not supported by this CPU/OS)");
		return;
	}
	nchecks++;
	printf("[%-6s] %-11s %-44s %s\n", who, op, what, fail_detail ? "FAIL" : "PASS");
	if (fail_detail) {
		nfail++;
		printf("         %s\n", fail_detail);
	}
}

static uint32_t bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u;
}

static float from_bits(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

/* ---- element-wise -------------------------------------------------- */

enum ew {
	EW_ADD, EW_SUB, EW_MUL, EW_SCALE, EW_SHIFT, EW_RELU, EW_LEAKY, EW_ELU,
	EW_EXP, EW_SIGMOID, EW_TANH, EW_GELU, EW_SWISH, EW_N
};
static const char *const ew_names[EW_N] = {
	"add", "sub", "mul", "scale", "shift", "relu", "leaky_relu", "elu",
	"exp", "sigmoid", "tanh", "gelu", "swish",
};

#define P_SCALE 0.37f
#define P_SHIFT -1.25f
#define P_LEAKY 0.01f
#define P_ELU 1.5f

static void ew_run(const struct simd_backend *t, enum ew op, float *d, const float *a,
		   const float *b, size_t n)
{
	switch (op) {
	case EW_ADD: t->add(d, a, b, n); break;
	case EW_SUB: t->sub(d, a, b, n); break;
	case EW_MUL: t->mul(d, a, b, n); break;
	case EW_SCALE: t->scale(d, a, P_SCALE, n); break;
	case EW_SHIFT: t->shift(d, a, P_SHIFT, n); break;
	case EW_RELU: t->relu(d, a, n); break;
	case EW_LEAKY: t->leaky_relu(d, a, P_LEAKY, n); break;
	case EW_ELU: t->elu(d, a, P_ELU, n); break;
	case EW_EXP: t->exp(d, a, n); break;
	case EW_SIGMOID: t->sigmoid(d, a, n); break;
	case EW_TANH: t->tanh(d, a, n); break;
	case EW_GELU: t->gelu(d, a, n); break;
	case EW_SWISH: t->swish(d, a, n); break;
	default: break;
	}
}

static float ew_ref(enum ew op, float a, float b)
{
	switch (op) {
	case EW_ADD: return a + b;
	case EW_SUB: return a - b;
	case EW_MUL: return a * b;
	case EW_SCALE: return a * P_SCALE;
	case EW_SHIFT: return a + P_SHIFT;
	case EW_RELU: return ref_relu(a);
	case EW_LEAKY: return ref_leaky_relu(a, P_LEAKY);
	case EW_ELU: return ref_elu(a, P_ELU);
	case EW_EXP: return ref_exp(a);
	case EW_SIGMOID: return ref_sigmoid(a);
	case EW_TANH: return ref_tanh(a);
	case EW_GELU: return ref_gelu(a);
	case EW_SWISH: return ref_swish(a);
	default: return 0;
	}
}

static float *xa, *xb, *out;
static char detail[256];

/* out[0..n) vs the reference, out[n..n+GUARD) untouched; 0 = ok */
static int ew_compare(enum ew op, size_t n, const char *how)
{
	for (size_t i = 0; i < n; i++) {
		float want = ew_ref(op, xa[i], xb[i]);
		if (bits(out[i]) != bits(want)) {
			snprintf(detail, sizeof detail,
				 "%s n=%zu i=%zu x=%.9g y=%.9g: got %.9g (0x%08x), want %.9g (0x%08x)",
				 how, n, i, (double)xa[i], (double)xb[i], (double)out[i],
				 bits(out[i]), (double)want, bits(want));
			return 1;
		}
	}
	for (size_t i = n; i < n + GUARD; i++)
		if (bits(out[i]) != SENTINEL) {
			snprintf(detail, sizeof detail, "%s n=%zu: wrote past the end (index %zu)",
				 how, n, i);
			return 1;
		}
	return 0;
}

static void check_elementwise(const struct simd_backend *t)
{
	char what[64];
	snprintf(what, sizeof what, "bit-exact vs float reference, %zu sizes", NSIZES);
	for (int op = 0; op < EW_N; op++) {
		int bad = 0;
		for (size_t s = 0; s < NSIZES && !bad; s++) {
			size_t n = sizes[s];
			for (size_t i = 0; i < n + GUARD; i++)
				out[i] = from_bits(SENTINEL);
			ew_run(t, (enum ew)op, out, xa, xb, n);
			bad = ew_compare((enum ew)op, n, "out-of-place");
			if (bad)
				break;
			/* in place: dst aliases the first input */
			memcpy(out, xa, n * sizeof *out);
			ew_run(t, (enum ew)op, out, out, xb, n);
			bad = ew_compare((enum ew)op, n, "in-place");
		}
		report(t->name, ew_names[op], what, bad ? detail : NULL);
	}
}

/* ---- reductions ---------------------------------------------------- */

static double bound(size_t n, double abs_sum)
{
	return (simd_gamma(n) + (double)n * 0x1p-53) * abs_sum;
}

static void check_reductions(const struct simd_backend *t, const float *dya, const float *dyb)
{
	const struct simd_backend *sc = simd_backend(SIMD_SCALAR);
	int bad_sum = 0, bad_dot = 0, bad_max = 0, bad_same = 0, bad_exact = 0;
	char d_sum[256] = "", d_dot[256] = "", d_max[256] = "", d_same[256] = "", d_exact[256] = "";
	for (size_t s = 0; s < NSIZES; s++) {
		size_t n = sizes[s];
		double rs = 0, ra = 0, rd = 0, rda = 0, rm = -INFINITY, ex = 0;
		for (size_t i = 0; i < n; i++) {
			rs += (double)xa[i];
			ra += fabs((double)xa[i]);
			double p = (double)xa[i] * (double)xb[i];
			rd += p;
			rda += fabs(p);
			rm = (double)xa[i] > rm ? (double)xa[i] : rm;
			ex += (double)dya[i] * (double)dyb[i];
		}
		float fs = t->sum(xa, n), fd = t->dot(xa, xb, n), fm = t->max(xa, n);
		if (!bad_sum && fabs((double)fs - rs) > bound(n, ra)) {
			bad_sum = 1;
			snprintf(d_sum, sizeof d_sum, "n=%zu: sum %.9g, reference %.17g, bound %.3g", n,
				 (double)fs, rs, bound(n, ra));
		}
		if (!bad_dot && fabs((double)fd - rd) > bound(n, rda)) {
			bad_dot = 1;
			snprintf(d_dot, sizeof d_dot, "n=%zu: dot %.9g, reference %.17g, bound %.3g", n,
				 (double)fd, rd, bound(n, rda));
		}
		if (!bad_max && (double)fm != rm) {
			bad_max = 1;
			snprintf(d_max, sizeof d_max, "n=%zu: max %.9g, reference %.9g", n, (double)fm, rm);
		}
		if (!bad_same && (bits(fs) != bits(sc->sum(xa, n)) || bits(fm) != bits(sc->max(xa, n)))) {
			bad_same = 1;
			snprintf(d_same, sizeof d_same, "n=%zu: sum %.9g / max %.9g, scalar %.9g / %.9g",
				 n, (double)fs, (double)fm, (double)sc->sum(xa, n),
				 (double)sc->max(xa, n));
		}
		float fe = t->dot(dya, dyb, n);
		if (!bad_exact && ((double)fe != ex || bits(fe) != bits(sc->dot(dya, dyb, n)))) {
			bad_exact = 1;
			snprintf(d_exact, sizeof d_exact, "n=%zu: dot %.9g, exact %.17g", n, (double)fe, ex);
		}
	}
	report(t->name, "sum", "within gamma_n*sum|x| of double, 24 sizes", bad_sum ? d_sum : NULL);
	report(t->name, "dot", "within gamma_n*sum|xy| of double, 24 sizes", bad_dot ? d_dot : NULL);
	report(t->name, "max", "equal to the reference, 24 sizes", bad_max ? d_max : NULL);
	report(t->name, "sum,max", "bit-identical to scalar (canonical order)", bad_same ? d_same : NULL);
	report(t->name, "dot", "dyadic data: exact, bit-identical to scalar", bad_exact ? d_exact : NULL);
}

/* ---- matrices ------------------------------------------------------ */

/* C = A*B (m x k times k x n) against double, per element; 0 = ok */
static int check_matmul_one(const struct simd_backend *t, size_t m, size_t k, size_t n,
			    const float *A, const float *B, char *why, size_t whylen)
{
	float *C = simd_alloc(m * n + GUARD);
	for (size_t i = 0; i < m * n + GUARD; i++)
		C[i] = from_bits(SENTINEL);
	t->matmul(C, A, B, m, k, n);
	int bad = 0;
	for (size_t i = 0; i < m && !bad; i++)
		for (size_t j = 0; j < n && !bad; j++) {
			double s = 0, a = 0;
			for (size_t p = 0; p < k; p++) {
				double v = (double)A[i * k + p] * (double)B[p * n + j];
				s += v;
				a += fabs(v);
			}
			if (fabs((double)C[i * n + j] - s) > bound(k, a)) {
				bad = 1;
				snprintf(why, whylen, "%zux%zux%zu C[%zu][%zu] = %.9g, reference %.17g",
					 m, k, n, i, j, (double)C[i * n + j], s);
			}
		}
	for (size_t i = m * n; i < m * n + GUARD && !bad; i++)
		if (bits(C[i]) != SENTINEL) {
			bad = 1;
			snprintf(why, whylen, "%zux%zux%zu: wrote past the end", m, k, n);
		}
	free(C);
	return bad;
}

static void check_matrices(const struct simd_backend *t, const float *dya, const float *dyb)
{
	const struct simd_backend *sc = simd_backend(SIMD_SCALAR);
	char why[256] = "";
	/* matmul: odd shapes and 128^3, random data within the bound */
	static const size_t shapes[][3] = {{1, 1, 1}, {3, 5, 7}, {33, 47, 29}, {17, 16, 65},
					   {128, 128, 128}};
	int bad = 0;
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0] && !bad; s++)
		bad = check_matmul_one(t, shapes[s][0], shapes[s][1], shapes[s][2], xa, xb, why,
				       sizeof why);
	report(t->name, "matmul", "within gamma_k*(|A||B|) of double, 5 shapes", bad ? why : NULL);

	/* matvec 37x53 */
	enum { R = 37, C = 53 };
	float y[R], ys[R];
	t->matvec(y, xa, xb, R, C);
	bad = 0;
	for (size_t r = 0; r < R && !bad; r++) {
		double s = 0, a = 0;
		for (size_t c = 0; c < C; c++) {
			double v = (double)xa[r * C + c] * (double)xb[c];
			s += v;
			a += fabs(v);
		}
		if (fabs((double)y[r] - s) > bound(C, a)) {
			bad = 1;
			snprintf(why, sizeof why, "row %zu: %.9g, reference %.17g", r, (double)y[r], s);
		}
	}
	report(t->name, "matvec", "37x53 within gamma_n*sum|a x| of double", bad ? why : NULL);

	/* dyadic: exact, so bit-identical to scalar */
	enum { D = 40 };
	float *P = simd_alloc(D * D), *Q = simd_alloc(D * D);
	t->matmul(P, dya, dyb, D, D, D);
	sc->matmul(Q, dya, dyb, D, D, D);
	t->matvec(y, dya, dyb, R, C);
	sc->matvec(ys, dya, dyb, R, C);
	bad = memcmp(P, Q, sizeof(float) * D * D) != 0 || memcmp(y, ys, sizeof y) != 0;
	report(t->name, "matmul,mv", "dyadic data: bit-identical to scalar",
	       bad ? "results differ from the scalar backend" : NULL);

	/* transpose 37x53 */
	float *T = simd_alloc(R * C + GUARD);
	for (size_t i = 0; i < R * C + GUARD; i++)
		T[i] = from_bits(SENTINEL);
	t->transpose(T, xa, R, C);
	bad = 0;
	for (size_t r = 0; r < R; r++)
		for (size_t c = 0; c < C; c++)
			bad |= bits(T[c * R + r]) != bits(xa[r * C + c]);
	for (size_t i = R * C; i < R * C + GUARD; i++)
		bad |= bits(T[i]) != SENTINEL;
	report(t->name, "transpose", "37x53 exact", bad ? "transpose differs" : NULL);
	free(P), free(Q), free(T);
}

/* ---- the reference against double libm ---------------------------- */

static void check_reference(void)
{
	double e_exp = 0, e_sig = 0, e_tanh = 0, e_gelu = 0, e_swish = 0, e_elu = 0;
	for (int i = 0; i <= 175000; i++) { /* -87 .. 88 step 0.001 */
		float x = (float)(-87.0 + (double)i * 0.001);
		double xd = (double)x, r = exp(xd);
		double e = fabs((double)ref_exp(x) - r) / r;
		e_exp = e > e_exp ? e : e_exp;
	}
	for (int i = 0; i <= 40000; i++) { /* -20 .. 20 step 0.001 */
		float x = (float)(-20.0 + (double)i * 0.001);
		double xd = (double)x;
		double sg = 1.0 / (1.0 + exp(-xd));
		double th = tanh(xd);
		double ge = 0.5 * xd * (1.0 + tanh(sqrt(2.0 / M_PI) * (xd + 0.044715 * xd * xd * xd)));
		double sw = xd * sg;
		double el = xd > 0 ? xd : 1.5 * expm1(xd);
		double e;
		e = fabs((double)ref_sigmoid(x) - sg) / sg;
		e_sig = e > e_sig ? e : e_sig;
		e = fabs((double)ref_tanh(x) - th);
		e_tanh = e > e_tanh ? e : e_tanh;
		e = fabs((double)ref_gelu(x) - ge) / (1.0 + fabs(xd));
		e_gelu = e > e_gelu ? e : e_gelu;
		e = fabs((double)ref_swish(x) - sw) / (1.0 + fabs(xd));
		e_swish = e > e_swish ? e : e_swish;
		e = fabs((double)ref_elu(x, 1.5f) - el) / (1.0 + fabs(xd));
		e_elu = e > e_elu ? e : e_elu;
	}
	struct { const char *op, *what; double err, lim; } r[] = {
		{"exp", "rel err vs exp() on [-87,88] <= 1e-6", e_exp, 1e-6},
		{"sigmoid", "rel err vs double on [-20,20] <= 2e-6", e_sig, 2e-6},
		{"tanh", "abs err vs tanh() on [-20,20] <= 1e-6", e_tanh, 1e-6},
		{"gelu", "err/(1+|x|) vs double on [-20,20] <= 1e-6", e_gelu, 1e-6},
		{"swish", "err/(1+|x|) vs double on [-20,20] <= 1e-6", e_swish, 1e-6},
		{"elu", "err/(1+|x|) vs expm1() on [-20,20] <= 1e-6", e_elu, 1e-6},
	};
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
		char d[128];
		snprintf(d, sizeof d, "max error %.3g exceeds %.3g", r[i].err, r[i].lim);
		report("ref", r[i].op, r[i].what, r[i].err <= r[i].lim ? NULL : d);
	}
}

int main(int argc, char **argv)
{
	const struct simd_backend *b = simd_init(argv[0]);
	if (argc > 1)
		simd_bad_arg(argv[1], "backend_equivalence");

	printf("Backend equivalence (every supported backend against the reference)\n");
	printf("Backend: %s\n", b->name);

	/* random full-mantissa data in [-8, 8) with special values mixed in
	 * (signed zeros, tiny numbers, values beyond exp's clamp) */
	static const float special[] = {0.0f,  -0.0f, 1e-30f, -1e-30f, 100.0f, -100.0f, 88.7f,
					-87.5f, 20.0f, -20.0f, 1e-3f,  -1e-3f,  0.5f,   -0.5f};
	const size_t nsp = sizeof special / sizeof special[0];
	size_t cap = 128 * 128 + GUARD;
	xa = simd_alloc(cap), xb = simd_alloc(cap), out = simd_alloc(cap);
	float *dya = simd_alloc(cap), *dyb = simd_alloc(cap);
	uint32_t seed = 777;
	for (size_t i = 0; i < cap; i++) {
		xa[i] = simd_randf(&seed, -8.0f, 8.0f);
		xb[i] = simd_randf(&seed, -8.0f, 8.0f);
		dya[i] = simd_rand_dyadic(&seed, 2, 4);
		dyb[i] = simd_rand_dyadic(&seed, 2, 4);
	}
	for (size_t i = 0; i < nsp; i++) {
		xa[i] = special[i], xb[i] = special[nsp - 1 - i];
		xa[NMAX - 1 - i] = special[(i + 3) % nsp], xb[NMAX - 1 - i] = special[i];
		xa[37 + 3 * i] = special[(i + 5) % nsp];
	}

	check_reference();
	for (int id = 0; id < SIMD_NBACKENDS; id++) {
		const struct simd_backend *t = simd_backend((enum simd_id)id);
		/* A backend this CPU lacks still gets one SKIP line per check
		 * (its checks walked through with the scalar code under its
		 * name): the program's output and system calls have the same
		 * shape on every machine, so one golden trace fits them all. */
		struct simd_backend stand_in;
		skipping = !simd_supported((enum simd_id)id);
		if (skipping) {
			stand_in = *simd_backend(SIMD_SCALAR);
			stand_in.name = t->name;
			t = &stand_in;
		}
		check_elementwise(t);
		check_reductions(t, dya, dyb);
		check_matrices(t, dya, dyb);
		skipping = false;
	}
	free(xa), free(xb), free(out), free(dya), free(dyb);
	if (nfail)
		printf("Result: FAIL (%d of %d checks failed)\n", nfail, nchecks);
	else
		printf("Result: PASS (%d checks)\n", nchecks);
	return nfail ? 1 : 0;
}
