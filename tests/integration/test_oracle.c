/* test_oracle.c — acceptance check 2: strace is the oracle.
 *
 * For each program, run it untraced, under `strace -f -o Y --` and under
 * `renacer-c -f -o X --` with the same controlled environment, stdin and
 * stdout, then require:
 *   - the same exit status in all three runs and the same stdout;
 *   - the same multiset of per-task (syscall, normalised result) sequences
 *     in X and Y (normalisation rules N1-N9 in harness.h).
 * On a difference the report names the first differing call of each task
 * with the raw lines of both traces around it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

TestSuite(oracle, .init = h_init, .fini = h_cleanup, .timeout = 120);

struct traced_run {
	struct h_res res;
	struct h_trace *trace;
	const char *path;
};

static void trace_with(const char *tracer, const char *label, const char *const *prog,
		       struct traced_run *tr)
{
	tr->path = h_tmp_path(h_fmt("%s.trace", label));
	const char *const *argv = h_argv_join(H_ARGV(tracer, "-f", "-o", tr->path, "--"), prog);
	struct h_cmd cmd = {
		.argv = argv,
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
		.timeout_ms = 20000,
	};
	h_run(&cmd, &tr->res);
	cr_assert(!tr->res.timed_out, "%s timed out: %s", label, h_argv_str(argv));
	size_t len;
	const char *text = h_read_file(tr->path, &len);
	cr_assert(text != NULL, "%s wrote no trace file %s (%s)\nstderr:\n%s", label, tr->path,
		  h_describe(&tr->res), tr->res.err);
	tr->trace = h_parse_trace(text, len);
}

/* Lines of TEXT sorted, joined again (for programs whose threads write
 * concurrently: the order of their lines is a race). */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *sorted_lines(const char *text, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	const char **v = h_keep(calloc(n + 2, sizeof *v));
	cr_assert(v != NULL, "out of memory");
	size_t k = 0;
	const char *s = text;
	while (s < text + len) {
		const char *e = memchr(s, '\n', (size_t)(text + len - s));
		size_t l = e ? (size_t)(e - s) : (size_t)(text + len - s);
		v[k++] = h_fmt("%.*s", (int)l, s);
		if (!e)
			break;
		s = e + 1;
	}
	qsort(v, k, sizeof *v, cmp_str);
	const char *out = "";
	for (size_t i = 0; i < k; i++)
		out = h_fmt("%s%s\n", out, v[i]);
	return out;
}

static void oracle_ex(const char *const *prog, bool unordered_stdout);

static void oracle(const char *const *prog)
{
	oracle_ex(prog, false);
}

static void oracle_ex(const char *const *prog, bool unordered_stdout)
{
	if (!h_have_strace())
		cr_skip_test("strace is not installed (the oracle)");
	h_require_renacer();
	const char *what = h_argv_str(prog);

	/* untraced first: also warms caches (pyc files, page cache) */
	struct h_res plain;
	struct h_cmd cmd = {
		.argv = prog,
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_run(&cmd, &plain);
	cr_assert(!plain.timed_out && !plain.exec_errno, "%s: %s", what, h_describe(&plain));

	struct traced_run s, r;
	trace_with("strace", "strace", prog, &s);
	trace_with(h_renacer(), "renacer", prog, &r);

	cr_assert(s.res.code == plain.code, "oracle broken: %s: untraced %s, under strace %s",
		  what, h_describe(&plain), h_describe(&s.res));
	cr_assert(r.res.code == plain.code,
		  "%s: exit status untraced %s, under renacer-c %s\nrenacer-c stderr:\n%s", what,
		  h_describe(&plain), h_describe(&r.res), r.res.err);
	bool out_same = r.res.out_len == plain.out_len &&
			!memcmp(r.res.out, plain.out, plain.out_len);
	if (unordered_stdout)
		out_same = !strcmp(sorted_lines(r.res.out, r.res.out_len),
				   sorted_lines(plain.out, plain.out_len));
	cr_assert(out_same, "%s: stdout differs: untraced %zu bytes, under renacer-c %zu bytes",
		  what, plain.out_len, r.res.out_len);

	const char *report;
	bool same = h_compare_traces(s.trace, "strace", r.trace, "renacer-c", &report);
	if (!same)
		fprintf(stderr, "oracle %s:\n%s\n(traces: %s %s; set H_KEEP_TMP=1 to keep them)\n", what, report, s.path, r.path);
	cr_assert(same, "%s: renacer-c's trace differs from strace's:\n%.6000s", what, report);
}

Test(oracle, bin_true)
{
	oracle(H_ARGV("/bin/true"));
}

Test(oracle, ls_root)
{
	oracle(H_ARGV("ls", "/"));
}

Test(oracle, cat_hostname)
{
	oracle(H_ARGV("cat", "/etc/hostname"));
}

Test(oracle, sh_failing_cat_exit3)
{
	oracle(H_ARGV("sh", "-c", "cat /nonexistent; exit 3"));
}

Test(oracle, python3_print)
{
	const char *py = h_which("python3");
	if (!py)
		cr_skip_test("python3 is not installed");
	oracle(H_ARGV(py, "-c", "print(1)"));
}

Test(oracle, threads4)
{
	oracle_ex(H_ARGV(h_fixture("threads4")), true);
}

Test(oracle, spawn)
{
	oracle(H_ARGV(h_fixture("spawn")));
}

Test(oracle, deterministic)
{
	oracle(H_ARGV(h_fixture("deterministic")));
}

Test(oracle, sigusr1)
{
	oracle(H_ARGV(h_fixture("sigusr1")));
}
