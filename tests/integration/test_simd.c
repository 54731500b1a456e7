/* test_simd.c — the SIMD compute examples:
 * every program on every backend this CPU/OS supports exits 0 with stdout
 * identical to the scalar backend's apart from the `Backend:` line;
 * backend_equivalence passes; SIMD_BACKEND=bogus (or a backend the CPU
 * lacks) is a one-line error with exit 2; timings never reach stdout; and
 * stdout costs one write() per line whether it is a pipe or a file.
 *
 * The programs are found through $EXAMPLES_DIR (the Makefile exports
 * $(BUILD)/examples/simd). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

TestSuite(simd, .init = h_init, .fini = h_cleanup, .timeout = 180);

static const char *const programs[] = {
	"backend_detection", "matrix_operations", "activation_functions",
	"performance_demo",  "ml_similarity",     "backend_equivalence",
};
#define NPROGRAMS (sizeof programs / sizeof programs[0])

static const char *const backends[] = {"scalar", "sse2", "avx2", "avx512"};
#define NBACKENDS (sizeof backends / sizeof backends[0])

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static const char *examples_dir(void)
{
	const char *d = getenv("EXAMPLES_DIR");
	if (!d || !*d)
		cr_assert_fail("EXAMPLES_DIR is not set: it must name the directory of the built "
			       "SIMD examples (make exports EXAMPLES_DIR=$(BUILD)/examples/simd; "
			       "build them with `make examples`)");
	return d;
}

static const char *example(const char *name)
{
	const char *path = h_fmt("%s/%s", examples_dir(), name);
	cr_assert(access(path, X_OK) == 0,
		  "%s is not an executable file (EXAMPLES_DIR=%s; run `make examples`)", path,
		  examples_dir());
	return path;
}

/* NAME [ARG] with SIMD_BACKEND=BACKEND (NULL: unset) and EXTRA (NULL or
 * "NAME=VALUE") in a clean environment; stdout and stderr captured. */
static void run_example(const char *name, const char *backend, const char *extra,
			const char *arg, struct h_res *r)
{
	const char *env[3] = {NULL, NULL, NULL};
	size_t ne = 0;
	if (backend)
		env[ne++] = h_fmt("SIMD_BACKEND=%s", backend);
	if (extra)
		env[ne++] = extra;
	const char *path = example(name);
	struct h_cmd c = {
		.argv = arg ? H_ARGV(path, arg) : H_ARGV(path),
		.envp = h_clean_env(),
		.env_add = env,
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
		.timeout_ms = 60000,
	};
	h_run(&c, r);
	cr_assert(!r->timed_out, "%s (SIMD_BACKEND=%s): timed out", name,
		  backend ? backend : "(unset)");
	cr_assert_eq(r->exec_errno, 0, "%s: cannot execute", path);
}

/* TEXT without its "Backend: " lines; *name receives the value of the
 * only such line (the test fails unless there is exactly one). */
static const char *strip_backend(const char *prog, const char *text, const char **name)
{
	char *out = h_keep(malloc(strlen(text) + 1));
	cr_assert(out);
	size_t n = 0, found = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (!strncmp(p, "Backend: ", 9)) {
			found++;
			size_t vl = len - 9 - (nl ? 1 : 0);
			char *v = h_keep(malloc(vl + 1));
			cr_assert(v);
			memcpy(v, p + 9, vl);
			v[vl] = '\0';
			*name = v;
		} else {
			memcpy(out + n, p, len);
			n += len;
		}
		p += len;
	}
	out[n] = '\0';
	cr_assert_eq(found, 1, "%s: %zu 'Backend:' lines in its stdout (want exactly 1):\n%.2000s",
		     prog, found, text);
	return out;
}

/* The value of the stdout line starting with PREFIX (harness-owned). */
static const char *line_value(const char *text, const char *prefix)
{
	const char *p = strstr(text, prefix);
	cr_assert(p, "no '%s' line in:\n%.2000s", prefix, text);
	p += strlen(prefix);
	size_t len = strcspn(p, "\n");
	return h_fmt("%.*s", (int)len, p);
}

struct support {
	int ok[NBACKENDS];
	const char *autosel;
};

/* What backend_detection says this CPU/OS supports. */
static void get_support(struct support *s)
{
	struct h_res r;
	run_example("backend_detection", NULL, NULL, NULL, &r);
	cr_assert_eq(r.code, 0, "backend_detection: %s\nstderr:\n%s", h_describe(&r), r.err);
	const char *list = h_fmt(" %s ", line_value(r.out, "Supported backends:"));
	for (size_t i = 0; i < NBACKENDS; i++)
		s->ok[i] = strstr(list, h_fmt(" %s ", backends[i])) != NULL;
	s->autosel = line_value(r.out, "Auto-selected backend: ");
}

static int cpuinfo_has(const char *flag)
{
	char *info = h_read_file("/proc/cpuinfo", NULL);
	if (!info)
		return 0;
	const char *needle = h_fmt(" %s", flag);
	for (const char *p = info; (p = strstr(p, needle)); p++) {
		char after = p[strlen(needle)];
		if (after == ' ' || after == '\n')
			return 1;
	}
	return 0;
}

/* Exactly one line on stderr, starting with PREFIX; nothing on stdout. */
static void assert_one_line_error(const char *what, const struct h_res *r, const char *prefix)
{
	cr_assert_eq(r->code, 2, "%s: %s (want exit 2)\nstderr:\n%s", what, h_describe(r), r->err);
	cr_assert_eq(r->out_len, 0, "%s: wrote to stdout:\n%s", what, r->out);
	cr_assert(r->err_len > 0 && r->err[r->err_len - 1] == '\n' &&
			  memchr(r->err, '\n', r->err_len) == r->err + r->err_len - 1,
		  "%s: stderr is not exactly one line:\n%s", what, r->err);
	cr_assert(!strncmp(r->err, prefix, strlen(prefix)), "%s: stderr does not start with '%s':\n%s",
		  what, prefix, r->err);
}

/* Every backend gives the scalar backend's stdout, apart from its
 * Backend line; unsupported ones are refused cleanly. */
static void check_program(const char *prog)
{
	struct support sup;
	get_support(&sup);

	struct h_res ref;
	const char *name = NULL;
	run_example(prog, "scalar", NULL, NULL, &ref);
	cr_assert_eq(ref.code, 0, "%s on scalar: %s\nstdout:\n%.3000s\nstderr:\n%s", prog,
		     h_describe(&ref), ref.out, ref.err);
	cr_assert_eq(ref.err_len, 0, "%s on scalar wrote to stderr:\n%s", prog, ref.err);
	const char *want = strip_backend(prog, ref.out, &name);
	cr_assert_str_eq(name, "scalar", "%s: Backend line says '%s' under SIMD_BACKEND=scalar",
			 prog, name);

	static const char *const runs[] = {NULL, "auto", "sse2", "avx2", "avx512"};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		const char *be = runs[i];
		const char *label = be ? be : "(unset)";
		int supported = 1;
		for (size_t k = 0; k < NBACKENDS; k++)
			if (be && !strcmp(be, backends[k]))
				supported = sup.ok[k];
		struct h_res r;
		run_example(prog, be, NULL, NULL, &r);
		if (!supported) {
			cr_log_info("%s: backend %s not supported here: checking the refusal", prog,
				    be);
			assert_one_line_error(h_fmt("%s SIMD_BACKEND=%s", prog, be), &r,
					      h_fmt("%s: SIMD_BACKEND=%s: not supported", prog, be));
			continue;
		}
		cr_assert_eq(r.code, 0, "%s on %s: %s\nstdout:\n%.3000s\nstderr:\n%s", prog, label,
			     h_describe(&r), r.out, r.err);
		cr_assert_eq(r.err_len, 0, "%s on %s wrote to stderr:\n%s", prog, label, r.err);
		const char *got = strip_backend(prog, r.out, &name);
		const char *expect_name = (!be || !strcmp(be, "auto")) ? sup.autosel : be;
		cr_assert_str_eq(name, expect_name, "%s under SIMD_BACKEND=%s: Backend: %s (want %s)",
				 prog, label, name, expect_name);
		cr_assert_str_eq(got, want,
				 "%s: stdout on %s differs from scalar (apart from Backend:)\n"
				 "--- %s:\n%.3000s\n--- scalar:\n%.3000s",
				 prog, label, label, got, want);
	}
}

/* ------------------------------------------------------------------ */
/* tests                                                               */

Test(simd, examples_dir_is_set)
{
	for (size_t i = 0; i < NPROGRAMS; i++)
		(void)example(programs[i]);
}

Test(simd, detection_matches_the_cpu)
{
	struct support s;
	get_support(&s);
	cr_assert(s.ok[0] && s.ok[1], "scalar and sse2 are always supported on x86_64");
	if (cpuinfo_has("avx512f")) {
		/* Linux lists avx512f only when it saves the ZMM state */
		cr_assert(s.ok[3], "/proc/cpuinfo has avx512f but avx512 is not supported");
		cr_assert_str_eq(s.autosel, "avx512");
	} else {
		cr_assert(!s.ok[3], "avx512 reported supported without avx512f in /proc/cpuinfo");
	}
	if (cpuinfo_has("avx2") && cpuinfo_has("fma"))
		cr_assert(s.ok[2], "/proc/cpuinfo has avx2 and fma but avx2 is not supported");
	else
		cr_assert(!s.ok[2]);

	struct h_res r;
	run_example("backend_detection", NULL, NULL, NULL, &r);
	cr_assert(strstr(r.out, "All supported backends agree: yes\n"), "%s", r.out);
	cr_assert(!strstr(r.out, "MISMATCH"), "%s", r.out);
}

Test(simd, backend_detection_on_every_backend) { check_program("backend_detection"); }
Test(simd, matrix_operations_on_every_backend) { check_program("matrix_operations"); }
Test(simd, activation_functions_on_every_backend) { check_program("activation_functions"); }
Test(simd, performance_demo_on_every_backend) { check_program("performance_demo"); }
Test(simd, ml_similarity_on_every_backend) { check_program("ml_similarity"); }
Test(simd, backend_equivalence_on_every_backend) { check_program("backend_equivalence"); }

Test(simd, backend_equivalence_passes)
{
	struct support s;
	get_support(&s);
	struct h_res r;
	run_example("backend_equivalence", NULL, NULL, NULL, &r);
	cr_assert_eq(r.code, 0, "backend_equivalence: %s\n%.6000s", h_describe(&r), r.out);
	cr_assert(strstr(r.out, "\nResult: PASS ("), "%.6000s", r.out);
	cr_assert(!strstr(r.out, " FAIL\n"), "%.6000s", r.out);
	/* every supported backend was checked */
	for (size_t i = 0; i < NBACKENDS; i++) {
		const char *tag = h_fmt("[%-6s] add ", backends[i]);
		if (s.ok[i])
			cr_assert(strstr(r.out, tag), "no checks for backend %s:\n%.6000s", backends[i],
				  r.out);
	}
	cr_assert(strstr(r.out, "[ref   ] exp "), "the reference itself is not checked");
}

Test(simd, bogus_backend_is_a_one_line_error_exit_2)
{
	for (size_t i = 0; i < NPROGRAMS; i++) {
		struct h_res r;
		run_example(programs[i], "bogus", NULL, NULL, &r);
		assert_one_line_error(h_fmt("%s SIMD_BACKEND=bogus", programs[i]), &r,
				      h_fmt("%s: SIMD_BACKEND=bogus: ", programs[i]));
	}
	/* a value with a newline still gives one line */
	struct h_res r;
	run_example("ml_similarity", "avx\n512", NULL, NULL, &r);
	assert_one_line_error("SIMD_BACKEND with a newline", &r, "ml_similarity: SIMD_BACKEND=");
}

/* SIMD_DISABLE emulates a CPU without the feature: choosing it is refused
 * (exit 2, never SIGILL) and auto falls back down the dispatch order. */
Test(simd, unsupported_backend_is_refused_and_auto_falls_back)
{
	struct h_res r;
	run_example("activation_functions", "avx512", "SIMD_DISABLE=avx512", NULL, &r);
	assert_one_line_error("avx512 disabled", &r,
			      "activation_functions: SIMD_BACKEND=avx512: not supported");

	struct support s;
	get_support(&s);
	struct h_res ref;
	const char *name = NULL;
	run_example("activation_functions", "scalar", NULL, NULL, &ref);
	const char *want = strip_backend("activation_functions", ref.out, &name);

	static const struct {
		const char *disable, *expect;
		int need;
	} cases[] = {
		{"SIMD_DISABLE=avx512", "avx2", 2},
		{"SIMD_DISABLE=avx512,avx2", "sse2", 1},
		{"SIMD_DISABLE=avx512,avx2,sse2", "scalar", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (!s.ok[cases[i].need])
			continue;
		run_example("activation_functions", "auto", cases[i].disable, NULL, &r);
		cr_assert_eq(r.code, 0, "%s: %s\n%s", cases[i].disable, h_describe(&r), r.err);
		const char *got = strip_backend("activation_functions", r.out, &name);
		cr_assert_str_eq(name, cases[i].expect, "%s: auto chose %s", cases[i].disable, name);
		cr_assert_str_eq(got, want);
	}

	run_example("backend_detection", NULL, "SIMD_DISABLE=avx9", NULL, &r);
	assert_one_line_error("SIMD_DISABLE=avx9", &r, "backend_detection: SIMD_DISABLE=avx9: ");
}

Test(simd, unknown_argument_is_a_one_line_error_exit_2)
{
	for (size_t i = 0; i < NPROGRAMS; i++) {
		struct h_res r;
		run_example(programs[i], NULL, NULL, "--bogus", &r);
		assert_one_line_error(h_fmt("%s --bogus", programs[i]), &r,
				      h_fmt("%s: unknown argument '--bogus'", programs[i]));
	}
}

Test(simd, timings_only_on_stderr_with_timing)
{
	struct support s;
	get_support(&s);
	struct h_res plain, timed;
	run_example("performance_demo", NULL, NULL, NULL, &plain);
	cr_assert_eq(plain.code, 0, "%s\n%s", h_describe(&plain), plain.err);
	cr_assert_eq(plain.err_len, 0, "timings on stderr without --timing:\n%s", plain.err);
	run_example("performance_demo", NULL, NULL, "--timing", &timed);
	cr_assert_eq(timed.code, 0, "%s\n%s", h_describe(&timed), timed.err);
	cr_assert_str_eq(timed.out, plain.out, "--timing changed stdout");
	cr_assert(strstr(plain.out, "Result: PASS\n"), "%s", plain.out);
	for (size_t i = 0; i < NBACKENDS; i++)
		if (s.ok[i])
			cr_assert(strstr(timed.err, h_fmt("timing %-7s n=", backends[i])),
				  "no timings for %s:\n%s", backends[i], timed.err);
}

/* Line-buffered stdout: the same number of write(1, ...) calls whether
 * stdout is a pipe or a regular file, one per line. */
Test(simd, one_write_per_line_to_pipe_or_file)
{
	if (!h_have_strace())
		cr_skip_test("strace is not installed");
	for (size_t i = 0; i < NPROGRAMS; i++) {
		const char *path = example(programs[i]);
		size_t counts[2], lines = 0;
		for (int mode = 0; mode < 2; mode++) {
			const char *trace = h_tmp_path(h_fmt("%s.%d.trace", programs[i], mode));
			const char *outf = h_tmp_path(h_fmt("%s.%d.out", programs[i], mode));
			struct h_cmd c = {
				.argv = H_ARGV(h_which("strace"), "-f", "-qq", "-e", "trace=write",
					       "-o", trace, path),
				.envp = h_clean_env(),
				/* LeakSanitizer cannot run under ptrace */
				.env_add = H_ARGV("ASAN_OPTIONS=detect_leaks=0"),
				.out = mode ? H_IO_FILE : H_IO_PIPE,
				.out_path = outf,
				.err = H_IO_PIPE,
				.timeout_ms = 60000,
			};
			struct h_res r;
			h_run(&c, &r);
			cr_assert_eq(r.code, 0, "strace %s: %s\n%s", programs[i], h_describe(&r),
				     r.err);
			struct h_trace *t = h_parse_trace_file(trace);
			counts[mode] = 0;
			for (size_t k = 0; k < t->nlines; k++)
				if (t->lines[k].kind == H_LINE_CALL && !strcmp(t->lines[k].name, "write") &&
				    !strncmp(t->lines[k].body, "write(1,", 8))
					counts[mode]++;
			if (mode == 0) {
				for (size_t k = 0; k < r.out_len; k++)
					lines += r.out[k] == '\n';
			}
		}
		cr_assert_eq(counts[0], counts[1], "%s: %zu writes to a pipe, %zu to a file",
			     programs[i], counts[0], counts[1]);
		cr_assert_eq(counts[0], lines, "%s: %zu writes for %zu lines", programs[i], counts[0],
			     lines);
	}
}
