/* test_reports.c — issue 11: what renacer-c reports must be true.
 *
 *  - --function-time names, for each function, the syscall that function
 *    made (80 functions: the table grows past its first allocations and
 *    the sort moves rows; a row's "slowest" name must move with it).
 *  - --assert and `renacer-c assert` end their report with the program's
 *    exit status or signal, and exit 4 when the program exited non-zero
 *    or was killed, unless the config's expect_exit says that status is
 *    expected.
 *  - A config with no enabled assertion is a configuration error (exit 5,
 *    one line), and so are expect_exit values of the wrong type or range.
 */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

TestSuite(reports, .init = h_init, .fini = h_cleanup, .timeout = 180);

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static const char *write_tmp(const char *name, const char *text)
{
	const char *p = h_tmp_path(name);
	h_write_file(p, text, strlen(text));
	return p;
}

/* The last line of S, without its newline (harness-owned). */
static const char *last_line(const char *s)
{
	size_t n = strlen(s);
	cr_assert(n && s[n - 1] == '\n', "does not end with a newline:\n%s", s);
	const char *start = s + n - 1;
	while (start > s && start[-1] != '\n')
		start--;
	return h_fmt("%.*s", (int)(s + n - 1 - start), start);
}

/* A config whose assertion passes for any small program. */
static const char *passing_config(const char *name, const char *top)
{
	return write_tmp(name, h_fmt("%s[[assertion]]\nname = \"time\"\ntype = \"total_time\"\nmax_time_ms = 60000\n",
				     top));
}

static const char *const exit3[] = {"sh", "-c", "exit 3", NULL};

/* `renacer-c --assert CFG -o TRACE -- CMD...`: the report alone is on
 * stderr (the trace goes to TRACE, a JSON file when JSON is true). */
static void live(const char *cfg, const char *trace, bool json, const char *const *cmd, struct h_res *r)
{
	const char *const *args = json ? H_ARGV("--assert", cfg, "--format", "json", "-o", trace, "--")
				       : H_ARGV("--assert", cfg, "-o", trace, "--");
	h_rc_run(h_argv_join(args, cmd), r, 60000, 1);
}

/* ------------------------------------------------------------------ */
/* --function-time                                                     */

/* What tests/fixtures/ft_many.c does: fn_K makes (K % 7) + 1 calls of
 * one syscall. */
#define FT_FUNCTIONS 80
static const char *ft_syscall(int k)
{
	static const char *const kinds[] = {"getppid", "getpid", "getuid", "write"};
	return kinds[k % 4];
}

/* Check one --function-time table: every fn_K appears once, naming its
 * own syscall and call count. */
static void check_ft_table(const char *text)
{
	const char *t = strstr(text, "syscall time by function (-s attribution)\n");
	cr_assert_not_null(t, "no --function-time table in:\n%.3000s", text);
	bool seen[FT_FUNCTIONS] = {false};
	int lineno = 0;
	for (const char *p = t; p && *p; lineno++) {
		const char *eol = strchr(p, '\n');
		const char *line = h_fmt("%.*s", (int)(eol ? eol - p : (long)strlen(p)), p);
		p = eol ? eol + 1 : NULL;
		if (lineno < 3)
			continue; /* title, header, rule */
		double pct, secs;
		unsigned long calls, slowest_us;
		char sc[64], fn[64];
		if (sscanf(line, "%lf %lf %lu %lu %63s %63s", &pct, &secs, &calls, &slowest_us, sc, fn) != 6)
			break; /* the end of the table */
		int k;
		char tail;
		if (sscanf(fn, "fn_%d%c", &k, &tail) != 1)
			continue; /* main, (no source location), ... */
		cr_assert(k >= 0 && k < FT_FUNCTIONS, "unexpected function: %s", line);
		cr_assert(!seen[k], "fn_%d has two rows:\n%s", k, t);
		seen[k] = true;
		cr_assert_str_eq(sc, ft_syscall(k), "fn_%d made only %s calls, but its row names %s:\n%s\n\n%s", k,
				 ft_syscall(k), sc, line, t);
		cr_assert_eq(calls, (unsigned long)(k % 7 + 1), "fn_%d: %lu calls, expected %d:\n%s", k, calls,
			     k % 7 + 1, line);
	}
	for (int k = 0; k < FT_FUNCTIONS; k++)
		cr_assert(seen[k], "fn_%d has no row:\n%s", k, t);
}

Test(reports, function_time_names_each_functions_own_syscall)
{
	const char *out = h_tmp_path("ft.txt");
	/* Several runs: timings differ, so the sort order does too. */
	for (int run = 0; run < 4; run++) {
		struct h_res r;
		h_rc_run(H_ARGV("--function-time", "-o", out, "--", h_fixture("ft_many")), &r, 60000, 1);
		cr_assert_eq(r.code, 0, "run %d: %s\nstderr:\n%.2000s", run, h_describe(&r), r.err);
		check_ft_table(h_slurp(out, NULL));
	}
}

/* ------------------------------------------------------------------ */
/* --assert: the program's end is part of the gate                     */

Test(reports, live_nonzero_exit_fails_the_gate)
{
	const char *cfg = passing_config("c.toml", "");
	struct h_res r;
	live(cfg, h_tmp_path("t.txt"), false, exit3, &r);
	cr_assert_eq(r.code, 4, "a program that exits 3 fails the gate: %s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(last_line(r.err), "Program: exit status 3, expected 0", "%s", r.err);
	cr_assert(strstr(r.err, "PASS  time: "), "%s", r.err);
	cr_assert(strstr(r.err, "\nResult: FAIL (1 passed, 0 failed, 0 warnings, 0 skipped)\n"), "%s", r.err);
}

Test(reports, live_expect_exit)
{
	struct h_res r;
	const char *cfg = passing_config("e3.toml", "# this tool exits 3 by design\nexpect_exit = 3\n\n");
	live(cfg, h_tmp_path("t.txt"), false, exit3, &r);
	cr_assert_eq(r.code, 0, "expect_exit = 3 accepts exit 3: %s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(last_line(r.err), "Program: exit status 3 (expected)", "%s", r.err);
	cr_assert(strstr(r.err, "\nResult: PASS (1 passed, 0 failed, 0 warnings, 0 skipped)\n"), "%s", r.err);

	/* ...and then exit 0 is the failure. */
	live(cfg, h_tmp_path("t.txt"), false, H_ARGV("true"), &r);
	cr_assert_eq(r.code, 4, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(last_line(r.err), "Program: exit status 0, expected 3", "%s", r.err);

	cfg = passing_config("e0.toml", "expect_exit = 0\n");
	live(cfg, h_tmp_path("t.txt"), false, H_ARGV("true"), &r);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(last_line(r.err), "Program: exit status 0", "%s", r.err);
	cr_assert(strstr(r.err, "\nResult: PASS (1 passed, 0 failed, 0 warnings, 0 skipped)\n"), "%s", r.err);

	/* A gating failure with an expected status is still 1. */
	cfg = write_tmp("f.toml", "expect_exit = 3\n[[assertion]]\nname = \"none\"\ntype = \"span_count\"\n"
				  "max_spans = 0\n");
	live(cfg, h_tmp_path("t.txt"), false, exit3, &r);
	cr_assert_eq(r.code, 1, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(last_line(r.err), "Program: exit status 3 (expected)", "%s", r.err);
}

Test(reports, live_killed_by_signal_names_it)
{
	const char *cfg = passing_config("c.toml", "");
	struct h_res r;
	live(cfg, h_tmp_path("t.txt"), false, H_ARGV(h_fixture("segv")), &r);
	cr_assert_eq(r.code, 4, "%s\n%s", h_describe(&r), r.err);
	const char *last = last_line(r.err);
	cr_assert(!strncmp(last, "Program: killed by SIGSEGV", 26), "%s", r.err);
	cr_assert(strstr(last, ", expected exit status 0"), "%s", r.err);
	cr_assert(strstr(r.err, "\nResult: FAIL ("), "%s", r.err);

	/* No exit status can expect a crash. */
	cfg = passing_config("e.toml", "expect_exit = 139\n");
	live(cfg, h_tmp_path("t.txt"), false, H_ARGV(h_fixture("segv")), &r);
	cr_assert_eq(r.code, 4, "%s\n%s", h_describe(&r), r.err);
	cr_assert(strstr(last_line(r.err), ", expected exit status 139"), "%s", r.err);
}

/* ------------------------------------------------------------------ */
/* `renacer-c assert` on saved traces                                  */

Test(reports, offline_assert_judges_the_recorded_exit_status)
{
	const char *cfg = passing_config("c.toml", "");
	const char *t3 = h_tmp_path("exit3.json");
	const char *tsegv = h_tmp_path("segv.json");
	const char *tok = h_tmp_path("ok.json");
	struct h_res r;
	/* Traces written by live --assert runs: same verdict offline. */
	live(cfg, t3, true, H_ARGV("sh", "-c", "sh -c 'exit 0'; exit 3"), &r);
	cr_assert_eq(r.code, 4, "%s\n%s", h_describe(&r), r.err);
	const char *live_last = last_line(r.err);
	live(cfg, tsegv, true, H_ARGV(h_fixture("segv")), &r);
	cr_assert_eq(r.code, 4, "%s\n%s", h_describe(&r), r.err);
	const char *live_segv = last_line(r.err);
	live(cfg, tok, true, H_ARGV("true"), &r);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);

	h_rc_run(H_ARGV("assert", "--config", cfg, t3), &r, 60000, 1);
	cr_assert_eq(r.code, 4, "offline, exit 3 fails too: %s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(last_line(r.err), "Program: exit status 3, expected 0", "%s", r.err);
	cr_assert_str_eq(last_line(r.err), live_last);

	h_rc_run(H_ARGV("assert", "--config", cfg, tsegv), &r, 60000, 1);
	cr_assert_eq(r.code, 4, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(last_line(r.err), live_segv, "%s", r.err);

	h_rc_run(H_ARGV("assert", "--config", cfg, tok), &r, 60000, 1);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(last_line(r.err), "Program: exit status 0", "%s", r.err);

	/* Several traces: one failed program fails the whole gate, and
	 * each is named. */
	h_rc_run(H_ARGV("assert", "--config", cfg, tok, t3), &r, 60000, 1);
	cr_assert_eq(r.code, 4, "%s\n%s", h_describe(&r), r.err);
	cr_assert(strstr(r.err, h_fmt("\nProgram: %s: exit status 0\nProgram: %s: exit status 3, expected 0\n", tok, t3)),
		  "%s", r.err);

	const char *cfg3 = passing_config("e3.toml", "expect_exit = 3\n");
	h_rc_run(H_ARGV("assert", "--config", cfg3, t3), &r, 60000, 1);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(last_line(r.err), "Program: exit status 3 (expected)", "%s", r.err);

	/* The machine formats say it too. */
	h_rc_run(H_ARGV("assert", "--config", cfg, "--format", "json", t3), &r, 60000, 1);
	cr_assert_eq(r.code, 4, "%s\n%s", h_describe(&r), r.err);
	cJSON *doc = cJSON_Parse(r.err);
	cr_assert_not_null(doc, "invalid JSON report:\n%s", r.err);
	cr_assert_eq(cJSON_GetObjectItem(doc, "exit_code")->valueint, 4);
	cr_assert_str_eq(cJSON_GetObjectItem(doc, "result")->valuestring, "FAIL");
	const cJSON *p = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "traces"), 0), "program");
	cr_assert_str_eq(cJSON_GetObjectItem(p, "status")->valuestring, "exited");
	cr_assert_eq(cJSON_GetObjectItem(p, "exit_code")->valueint, 3);
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(p, "ok")));
	cJSON_Delete(doc);

	h_rc_run(H_ARGV("assert", "--config", cfg, "--format", "junit", tsegv), &r, 60000, 1);
	cr_assert_eq(r.code, 4, "%s\n%s", h_describe(&r), r.err);
	cr_assert(strstr(r.err, "<testcase name=\"program exit status\" classname=\"renacer.program\">\n"
				"      <failure message=\"killed by SIGSEGV"),
		  "%s", r.err);

	h_rc_run(H_ARGV("assert", "--config", cfg, "--format", "github", t3), &r, 60000, 1);
	cr_assert_eq(r.code, 4, "%s\n%s", h_describe(&r), r.err);
	cr_assert(strstr(r.err, "::error title=program exit status::Program: exit status 3, expected 0\n"), "%s", r.err);
	cr_assert_str_eq(last_line(r.err), "Program: exit status 3, expected 0", "%s", r.err);
}

/* A trace without a launched command (renacer's own format, or an
 * attach-mode trace: no meta.command) has no program to judge: no
 * Program line, the assertions alone decide. */
Test(reports, offline_trace_without_a_program)
{
	const char *v1 = write_tmp("v1.json", "{\"version\":\"0.1.0\",\"format\":\"renacer-json-v1\",\"syscalls\":["
					       "{\"name\":\"getppid\",\"args\":[],\"result\":1,\"duration_us\":1}],"
					       "\"summary\":{\"total_syscalls\":1,\"total_time_us\":1,\"exit_code\":0}}\n");
	const char *attached = write_tmp(
		"attached.json",
		"{\"version\":\"0.1.0\",\"format\":\"renacer-json-v1\",\"schema\":2,\"meta\":{\"attached\":[4242]},"
		"\"syscalls\":[{\"name\":\"getppid\",\"result\":1,\"pid\":4242,\"ts_ns\":0,\"duration_ns\":1000}],"
		"\"processes\":[{\"pid\":4242,\"ppid\":1,\"exe\":\"/bin/x\",\"start_ns\":0,\"end_ns\":5000,"
		"\"exit_code\":3,\"signal\":null,\"utime_us\":0,\"stime_us\":0,\"maxrss_kb\":0}],"
		"\"summary\":{\"total_syscalls\":1,\"exit_code\":0}}\n");
	const char *cfg = passing_config("c.toml", "expect_exit = 3\n");
	struct h_res r;
	h_rc_run(H_ARGV("assert", "--config", cfg, v1, attached), &r, 60000, 1);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	cr_assert(!strncmp(last_line(r.err), "Result: PASS", 12), "%s", r.err);
	cr_assert_null(strstr(r.err, "Program:"), "%s", r.err);
}

/* ------------------------------------------------------------------ */
/* configurations that cannot gate                                     */

static void expect_one_line_error(struct h_res *r, const char *msg)
{
	cr_assert_eq(r->code, 5, "expected exit 5 (%s), got %s\nstderr:\n%s", msg, h_describe(r), r->err);
	cr_assert_str_eq(r->err, h_fmt("renacer-c: %s\n", msg));
}

Test(reports, nothing_enabled_is_a_config_error)
{
	const char *trace = h_tmp_path("t.json");
	struct h_res r;
	h_rc_run(H_ARGV("--format", "json", "-o", trace, "--", "true"), &r, 60000, 1);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	const char *cfgs[] = {
		write_tmp("empty.toml", ""),
		write_tmp("comment.toml", "# to do\n"),
		write_tmp("only_expect.toml", "expect_exit = 0\n"),
		write_tmp("off.toml", "[[assertion]]\nname = \"a\"\ntype = \"total_time\"\nmax_time_ms = 1\nenabled = false\n"
				      "[[assertion]]\nname = \"b\"\ntype = \"span_count\"\nmax_spans = 1\nenabled = false\n"),
	};
	const char *marker = h_tmp_path("ran");
	for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		const char *msg = h_fmt("%s: no enabled assertions: a gate that checks nothing cannot pass", cfgs[i]);
		h_rc_run(H_ARGV("assert", "--config", cfgs[i], trace), &r, 60000, 1);
		expect_one_line_error(&r, msg);
		cr_assert_eq(r.out_len, 0);
		/* Live: the program never starts. */
		h_rc_run(H_ARGV("--assert", cfgs[i], "--", "sh", "-c", h_fmt("echo > '%s'", marker)), &r, 60000, 1);
		expect_one_line_error(&r, msg);
		cr_assert(access(marker, F_OK) != 0, "the program ran under a config that checks nothing");
	}
}

Test(reports, expect_exit_type_and_range_errors)
{
	const char *trace = h_tmp_path("t.json");
	struct h_res r;
	h_rc_run(H_ARGV("--format", "json", "-o", trace, "--", "true"), &r, 60000, 1);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	static const struct {
		const char *top, *msg;
	} bad[] = {
		{"expect_exit = \"3\"\n", "1:15: expect_exit: expected an integer (an exit status, 0 to 255), got string"},
		{"expect_exit = 3.5\n", "1:15: expect_exit: expected an integer (an exit status, 0 to 255), got float"},
		{"\nexpect_exit = false\n", "2:15: expect_exit: expected an integer (an exit status, 0 to 255), got boolean"},
		{"expect_exit = 256\n", "1:15: expect_exit: must be between 0 and 255, got 256"},
		{"expect_exit = -3\n", "1:15: expect_exit: must be between 0 and 255, got -3"},
		{"expect_exit=1000\n", "1:13: expect_exit: must be between 0 and 255, got 1000"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *cfg = passing_config("bad.toml", bad[i].top);
		const char *msg = h_fmt("%s:%s", cfg, bad[i].msg);
		h_rc_run(H_ARGV("assert", "--config", cfg, trace), &r, 60000, 1);
		expect_one_line_error(&r, msg);
		h_rc_run(H_ARGV("--assert", cfg, "--", "true"), &r, 60000, 1);
		expect_one_line_error(&r, msg);
	}
	/* After [[assertion]] it would belong to that table: say so. */
	const char *cfg = write_tmp("late.toml", "[[assertion]]\nname = \"t\"\ntype = \"total_time\"\nmax_time_ms = 1\n"
						 "expect_exit = 3\n");
	h_rc_run(H_ARGV("assert", "--config", cfg, trace), &r, 60000, 1);
	expect_one_line_error(&r, h_fmt("%s:5:1: unknown key 'expect_exit' for type total_time (expect_exit is a "
					"top-level key: write it before the first [[assertion]])",
					cfg));
}
