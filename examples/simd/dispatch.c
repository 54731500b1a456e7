/* dispatch.c — which backends this CPU and OS can run, and which one the
 * program uses (SIMD_BACKEND).  Compiled without -m flags: nothing here
 * executes an instruction the CPU might lack (cpuid and xgetbv are checked
 * first), so a bad choice ends in a one-line error and exit 2, never SIGILL.
 *
 * A backend is supported when the CPU reports the instructions (cpuid) AND
 * the OS saves the register state (XCR0, read with XGETBV once cpuid says
 * OSXSAVE):
 *   sse2    cpuid.1:edx.SSE2
 *   avx2    cpuid.1:ecx.{OSXSAVE,AVX,FMA}, cpuid.7.0:ebx.AVX2, XCR0 & 0x06
 *           (XMM and YMM state)
 *   avx512  cpuid.7.0:ebx.AVX512F, XCR0 & 0xE6 (XMM, YMM, opmask, ZMM_Hi256,
 *           Hi16_ZMM), besides OSXSAVE
 */
#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simd.h"

static const struct simd_backend *const tables[SIMD_NBACKENDS] = {
	&simd_backend_scalar, &simd_backend_sse2, &simd_backend_avx2, &simd_backend_avx512,
};

static const char *progname = "simd";

const char *simd_progname(void) { return progname; }

const struct simd_backend *simd_backend(enum simd_id id)
{
	return (unsigned)id < SIMD_NBACKENDS ? tables[id] : NULL;
}

static unsigned long long read_xcr0(void)
{
	unsigned lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((unsigned long long)hi << 32) | lo;
}

/* VALUE with anything unprintable replaced, at most 64 characters, so
 * that an error message stays one line. */
static const char *printable(const char *value)
{
	static char buf[68];
	size_t i = 0;
	for (; value[i] && i < 64; i++)
		buf[i] = (value[i] >= 0x20 && value[i] < 0x7f) ? value[i] : '?';
	if (value[i]) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

static void die2(const char *var, const char *value, const char *why)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s=%s: %s\n", progname, var, printable(value), why);
	exit(2);
}

static void detect(struct simd_features *f)
{
	unsigned a, b, c, d;
	memset(f, 0, sizeof *f);
	if (!__get_cpuid(1, &a, &b, &c, &d))
		return;
	f->sse2 = !!(d & bit_SSE2);
	f->osxsave = !!(c & bit_OSXSAVE);
	f->avx = !!(c & bit_AVX);
	f->fma = !!(c & bit_FMA);
	if (__get_cpuid_max(0, NULL) >= 7 && __get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		f->avx2 = !!(b & bit_AVX2);
		f->avx512f = !!(b & bit_AVX512F);
	}
	if (f->osxsave) {
		unsigned long long xcr0 = read_xcr0();
		f->os_xmm = (xcr0 & 0x2) == 0x2;
		f->os_ymm = (xcr0 & 0x6) == 0x6;
		f->os_zmm = (xcr0 & 0xE6) == 0xE6;
	}
}

/* SIMD_DISABLE=sse2,avx2,avx512: pretend the CPU lacks those (testing). */
static void apply_disable(struct simd_features *f)
{
	const char *env = getenv("SIMD_DISABLE");
	if (!env || !*env)
		return;
	char buf[256];
	if (strlen(env) >= sizeof buf)
		die2("SIMD_DISABLE", env, "too long");
	strcpy(buf, env);
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "sse2"))
			f->sse2 = 0;
		else if (!strcmp(tok, "avx2"))
			f->avx2 = 0;
		else if (!strcmp(tok, "avx512"))
			f->avx512f = 0;
		else
			die2("SIMD_DISABLE", env, "unknown feature (expected sse2, avx2 or avx512)");
	}
}

const struct simd_features *simd_features(void)
{
	static struct simd_features f;
	static int done;
	if (!done) {
		detect(&f);
		apply_disable(&f);
		done = 1;
	}
	return &f;
}

int simd_supported(enum simd_id id)
{
	const struct simd_features *f = simd_features();
	switch (id) {
	case SIMD_SCALAR:
		return 1;
	case SIMD_SSE2:
		return f->sse2;
	case SIMD_AVX2:
		return f->sse2 && f->osxsave && f->avx && f->fma && f->avx2 && f->os_ymm;
	case SIMD_AVX512:
		return f->sse2 && f->osxsave && f->avx512f && f->os_zmm;
	default:
		return 0;
	}
}

enum simd_id simd_best(void)
{
	static const enum simd_id order[] = {SIMD_AVX512, SIMD_AVX2, SIMD_SSE2};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (simd_supported(order[i]))
			return order[i];
	return SIMD_SCALAR;
}

const struct simd_backend *simd_init(const char *argv0)
{
	/* one write() per line wherever stdout goes (tty, pipe, file) */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argv0 && *argv0) {
		const char *slash = strrchr(argv0, '/');
		progname = slash ? slash + 1 : argv0;
	}
	(void)simd_features(); /* validates SIMD_DISABLE */

	const char *want = getenv("SIMD_BACKEND");
	if (!want || !*want || !strcmp(want, "auto"))
		return tables[simd_best()];
	for (int id = 0; id < SIMD_NBACKENDS; id++) {
		if (strcmp(want, tables[id]->name))
			continue;
		if (simd_supported((enum simd_id)id))
			return tables[id];
		char why[160] = "not supported by this CPU/OS (supported:";
		for (int s = 0; s < SIMD_NBACKENDS; s++)
			if (simd_supported((enum simd_id)s)) {
				strcat(why, " ");
				strcat(why, tables[s]->name);
			}
		strcat(why, ")");
		die2("SIMD_BACKEND", want, why);
	}
	die2("SIMD_BACKEND", want, "unknown backend (expected auto, scalar, sse2, avx2 or avx512)");
	return NULL;
}

void simd_bad_arg(const char *arg, const char *usage)
{
	fflush(stdout);
	fprintf(stderr, "%s: unknown argument '%s' (usage: %s)\n", progname, printable(arg),
		usage);
	exit(2);
}
