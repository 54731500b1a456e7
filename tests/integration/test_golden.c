/* test_golden.c — `renacer-c diff` and the golden-trace gate (SPEC §9,
 * issue 6 acceptance 3-5), through the real binary:
 *  - two captures of the same example are equivalent (exit 0);
 *  - an example forced to each backend the CPU supports is equivalent to
 *    the others;
 *  - two different examples differ (exit 1);
 *  - the extra_writes fixture with --extra (three more write(2) calls)
 *    differs, and the report names the inserted writes and their source
 *    lines (text and JSON);
 *  - usage errors exit 2, missing or invalid traces exit 3;
 *  - scripts/gate.sh with a tightened copy of assertions/renacer.toml
 *    fails with exit 1 and a FAIL report.
 *
 * $RENACER_C is the binary, $EXAMPLES_DIR the SIMD examples, $FIXTURES_DIR
 * the fixtures; the repository root is the working directory. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

TestSuite(golden, .init = h_init, .fini = h_cleanup, .timeout = 240);

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static const char *examples_dir(void)
{
	const char *d = getenv("EXAMPLES_DIR");
	if (!d || !*d)
		cr_assert_fail("EXAMPLES_DIR is not set (make exports $(BUILD)/examples/simd)");
	return d;
}

static const char *example(const char *name)
{
	const char *path = h_fmt("%s/%s", examples_dir(), name);
	cr_assert(access(path, X_OK) == 0, "%s is not built (run `make examples`)", path);
	return path;
}

/* Trace ARGV (program and arguments) with renacer-c FLAGS... -o OUT,
 * program output to /dev/null, SIMD_BACKEND=BACKEND when non-NULL. */
static void capture(const char *out, const char *backend, bool source, const char *const *prog)
{
	h_require_renacer();
	const char *const *flags = source ? H_ARGV(h_renacer(), "-f", "-s", "--format", "json", "-o", out, "--")
					  : H_ARGV(h_renacer(), "-f", "--format", "json", "-o", out, "--");
	/* LeakSanitizer cannot run under ptrace (make asan builds the
	 * examples with ASan) */
	const char *env[3] = { "ASAN_OPTIONS=detect_leaks=0", backend ? h_fmt("SIMD_BACKEND=%s", backend) : NULL,
			       NULL };
	struct h_cmd c = {
		.argv = h_argv_join(flags, prog),
		.envp = h_clean_env(),
		.env_add = env,
		.out = H_IO_NULL,
		.err = H_IO_PIPE,
		.timeout_ms = 60000,
	};
	struct h_res r;
	h_run(&c, &r);
	cr_assert_eq(r.code, 0, "%s: %s\n%s", h_argv_str(c.argv), h_describe(&r), r.err);
}

/* renacer-c diff ARGS...: stdout and stderr captured. */
static void run_diff(const char *const *args, struct h_res *r)
{
	h_require_renacer();
	struct h_cmd c = {
		.argv = h_argv_join(H_ARGV(h_renacer(), "diff"), args),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
		.timeout_ms = 60000,
	};
	h_run(&c, r);
	cr_assert(!r->timed_out, "%s timed out", h_argv_str(c.argv));
}

static const char *capture_example(const char *name, const char *backend, const char *tag)
{
	const char *out = h_tmp_path(h_fmt("%s.%s.json", name, tag));
	capture(out, backend, false, H_ARGV(example(name)));
	return out;
}

/* The "Supported backends:" list of backend_detection, as a NULL-terminated
 * array of harness-owned strings. */
static const char **supported_backends(size_t *n)
{
	struct h_res r;
	struct h_cmd c = {
		.argv = H_ARGV(example("backend_detection")),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_run(&c, &r);
	cr_assert_eq(r.code, 0, "backend_detection: %s", h_describe(&r));
	const char *line = strstr(r.out, "Supported backends:");
	cr_assert_not_null(line, "backend_detection printed no 'Supported backends:' line");
	line += strlen("Supported backends:");
	const char **list = h_keep(calloc(8, sizeof(*list)));
	cr_assert_not_null(list);
	*n = 0;
	while (*line && *line != '\n' && *n < 7) {
		while (*line == ' ')
			line++;
		size_t len = strcspn(line, " \n");
		if (!len)
			break;
		list[(*n)++] = h_fmt("%.*s", (int)len, line);
		line += len;
	}
	cr_assert_geq(*n, 1);
	return list;
}

/* ------------------------------------------------------------------ */
/* equivalence                                                         */

Test(golden, same_example_twice_is_equivalent)
{
	static const char *const names[] = { "backend_detection", "matrix_operations", "backend_equivalence" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *a = capture_example(names[i], NULL, "a");
		const char *b = capture_example(names[i], NULL, "b");
		struct h_res r;
		run_diff(H_ARGV(a, b), &r);
		cr_expect_eq(r.code, 0, "%s: diff of two captures exits %d:\n%s%s", names[i], r.code, r.out, r.err);
		cr_expect(strstr(r.out, "verdict:    EQUIVALENT") != NULL, "%s:\n%s", names[i], r.out);
		cr_expect(strstr(r.out, "similarity: 1.000000") != NULL, "%s:\n%s", names[i], r.out);
	}
}

Test(golden, every_backend_is_equivalent)
{
	size_t nb;
	const char **backends = supported_backends(&nb);
	static const char *const names[] = { "backend_detection", "matrix_operations", "activation_functions",
					     "performance_demo",  "ml_similarity",     "backend_equivalence" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *first = capture_example(names[i], backends[0], backends[0]);
		for (size_t j = 1; j < nb; j++) {
			const char *other = capture_example(names[i], backends[j], backends[j]);
			struct h_res r;
			run_diff(H_ARGV(first, other), &r);
			cr_expect_eq(r.code, 0, "%s: SIMD_BACKEND=%s vs %s: exit %d\n%s%s", names[i], backends[0],
				     backends[j], r.code, r.out, r.err);
		}
	}
}

Test(golden, different_examples_differ)
{
	const char *a = capture_example("backend_detection", NULL, "a");
	const char *b = capture_example("matrix_operations", NULL, "b");
	struct h_res r;
	run_diff(H_ARGV(a, b), &r);
	cr_expect_eq(r.code, 1, "exit %d\n%s%s", r.code, r.out, r.err);
	cr_expect(strstr(r.out, "NOT EQUIVALENT") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "@@ hunk 1 of") != NULL, "%s", r.out);
	/* the program itself is named in the first hunk */
	cr_expect(strstr(r.out, "matrix_operations") != NULL, "%s", r.out);
	/* JSON: valid shape, not equivalent */
	run_diff(H_ARGV("--format", "json", a, b), &r);
	cr_expect_eq(r.code, 1);
	cr_expect(strstr(r.out, "\"equivalent\":false") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\"hunks\":[{") != NULL, "%s", r.out);
}

/* ------------------------------------------------------------------ */
/* three extra writes                                                  */

/* Line numbers of the fixture's "extra N" writes, read from its source;
 * 0 when the source is not found from the working directory. */
static unsigned extra_line(int k)
{
	const char *src = h_read_file("tests/fixtures/extra_writes.c", NULL);
	if (!src)
		return 0;
	const char *needle = h_fmt("\"extra %d\\n\"", k);
	unsigned line = 1;
	for (const char *p = src; *p; p++) {
		if (*p == '\n')
			line++;
		else if (!strncmp(p, needle, strlen(needle)))
			return line;
	}
	return 0;
}

Test(golden, three_extra_writes_are_named_with_their_source_lines)
{
	const char *fx = h_fixture("extra_writes");
	const char *plain = h_tmp_path("plain.json"), *extra = h_tmp_path("extra.json");
	capture(plain, NULL, true, H_ARGV(fx));
	capture(extra, NULL, true, H_ARGV(fx, "--extra"));

	struct h_res r;
	run_diff(H_ARGV(plain, extra), &r);
	cr_assert_eq(r.code, 1, "exit %d\n%s%s", r.code, r.out, r.err);
	cr_expect(strstr(r.out, "NOT EQUIVALENT (1 differing hunk)") != NULL, "%s", r.out);
	for (int k = 1; k <= 3; k++) {
		unsigned line = extra_line(k);
		const char *want = line ? h_fmt("+ write(1, \"extra %d\\n\", 8) = 8  [extra_writes.c:%u in main]", k, line)
					: h_fmt("+ write(1, \"extra %d\\n\", 8) = 8  [extra_writes.c:", k);
		cr_expect(strstr(r.out, want) != NULL, "missing '%s' in:\n%s", want, r.out);
	}
	/* nothing else is reported as added or removed */
	size_t plus = 0, minus = 0;
	for (const char *p = r.out; (p = strchr(p, '\n')); p++) {
		plus += p[1] == '+';
		minus += p[1] == '-';
	}
	cr_expect_eq(plus, 3, "%s", r.out);
	cr_expect_eq(minus, 0, "%s", r.out);

	/* the same in JSON */
	run_diff(H_ARGV("--format", "json", plain, extra), &r);
	cr_assert_eq(r.code, 1);
	cr_expect(strstr(r.out, "\"total_hunks\":1,") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\"golden_count\":0,") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\"new_count\":3,") != NULL, "%s", r.out);
	unsigned l1 = extra_line(1);
	if (l1)
		cr_expect(strstr(r.out, h_fmt("\"line\":%u,\"function\":\"main\"", l1)) != NULL, "%s", r.out);

	/* a generous tolerance accepts it; the reverse direction names removals */
	run_diff(H_ARGV("--tolerance", "0.5", plain, extra), &r);
	cr_expect_eq(r.code, 0, "%s", r.out);
	cr_expect(strstr(r.out, "verdict:    EQUIVALENT (1 differing hunk)") != NULL, "%s", r.out);
	run_diff(H_ARGV(extra, plain), &r);
	cr_expect_eq(r.code, 1);
	cr_expect(strstr(r.out, "- write(1, \"extra 2\\n\", 8) = 8") != NULL, "%s", r.out);
}

/* ------------------------------------------------------------------ */
/* usage and bad input                                                 */

Test(golden, usage_errors_exit_2)
{
	const char *const *cases[] = {
		(const char *const[]){ NULL },
		(const char *const[]){ "only_one.json", NULL },
		(const char *const[]){ "a.json", "b.json", "c.json", NULL },
		(const char *const[]){ "--tolerance", "abc", "a.json", "b.json", NULL },
		(const char *const[]){ "--tolerance", "1.5", "a.json", "b.json", NULL },
		(const char *const[]){ "--format", "xml", "a.json", "b.json", NULL },
		(const char *const[]){ "--bogus", "a.json", "b.json", NULL },
		(const char *const[]){ "a.json", "b.json", "--tolerance", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct h_res r;
		run_diff(cases[i], &r);
		cr_expect_eq(r.code, 2, "case %zu (%s): exit %d\n%s", i, h_argv_str(cases[i]), r.code, r.err);
		cr_expect(strstr(r.err, "usage: renacer-c diff") != NULL, "case %zu: %s", i, r.err);
		cr_expect_eq(r.out_len, 0, "case %zu printed on stdout: %s", i, r.out);
	}
	struct h_res r;
	run_diff(H_ARGV("--help"), &r);
	cr_expect_eq(r.code, 0);
	cr_expect(strstr(r.out, "--tolerance") != NULL);
}

Test(golden, unreadable_or_invalid_traces_exit_3)
{
	const char *good = capture_example("backend_detection", NULL, "a");
	const char *bad = h_tmp_path("bad.json");
	h_write_file(bad, "{\"syscalls\":[{\"name\":42}]}\n", 27);
	const char *garbage = h_tmp_path("garbage.json");
	h_write_file(garbage, "not json at all\n", 16);
	const char *missing = h_tmp_path("missing.json");
	const char *const *cases[] = {
		H_ARGV(missing, good), H_ARGV(good, missing), H_ARGV(good, bad), H_ARGV(garbage, good),
		H_ARGV(h_tmpdir(), good),
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct h_res r;
		run_diff(cases[i], &r);
		cr_expect_eq(r.code, 3, "case %zu: exit %d\n%s%s", i, r.code, r.out, r.err);
		cr_expect(strncmp(r.err, "renacer-c: diff: ", 17) == 0, "case %zu: %s", i, r.err);
		/* one line */
		cr_expect(r.err_len > 0 && strchr(r.err, '\n') == r.err + r.err_len - 1, "case %zu: %s", i, r.err);
	}
}

/* ------------------------------------------------------------------ */
/* the gate                                                            */

Test(golden, gate_fails_with_a_tightened_assertion_file)
{
	h_require_renacer();
	const char *script = "scripts/gate.sh";
	cr_assert(access(script, R_OK) == 0, "%s not found: the tests run from the repository root", script);
	size_t len;
	const char *toml = h_read_file("assertions/renacer.toml", &len);
	cr_assert_not_null(toml, "assertions/renacer.toml is missing");
	/* the same contract plus a span budget no program can meet */
	const char *tight = h_fmt("%s\n[[assertion]]\nname = \"gate_test_tightened_budget\"\n"
				  "type = \"span_count\"\nmax_spans = 1\nfail_on_violation = true\n",
				  toml);
	const char *cfg = h_tmp_path("tight.toml");
	h_write_file(cfg, tight, strlen(tight));

	const char *env[] = {
		h_fmt("GATE_CONFIG=%s", cfg),
		"GATE_NO_BUILD=1",
		h_fmt("RENACER=%s", h_renacer()),
		h_fmt("GATE_EXAMPLES_DIR=%s", examples_dir()),
		NULL,
	};
	struct h_cmd c = {
		.argv = H_ARGV("/bin/bash", script),
		.envp = h_clean_env(),
		.env_add = env,
		.out = H_IO_PIPE,
		.err = H_IO_STDOUT,
		.timeout_ms = 180000,
	};
	struct h_res r;
	h_run(&c, &r);
	cr_assert(!r.timed_out, "gate timed out");
	cr_expect_eq(r.code, 1, "gate exit %d:\n%s", r.code, r.out);
	cr_expect(strstr(r.out, "FAIL") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "gate_test_tightened_budget") != NULL, "the failing assertion is not named:\n%s",
		  r.out);
	cr_expect(strstr(r.out, "gate: FAIL") != NULL, "%s", r.out);
}
