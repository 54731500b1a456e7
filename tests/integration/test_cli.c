/* test_cli.c — acceptance checks 3-7 of the tracer core and the text
 * grammar (docs/design.md, 'Text format'; the -c table is strace -c -w's), against $RENACER_C (strace is the oracle where a
 * behaviour is shared). */
#include <criterion/criterion.h>
#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

TestSuite(cli, .init = h_init, .fini = h_cleanup, .timeout = 120);

/* ------------------------------------------------------------------ */
/* helpers                                                             */

/* TOOL ARGS... with stdout/stderr captured, clean env */
static void run_tool(const char *tool, const char *const *args, struct h_res *r)
{
	struct h_cmd c = {
		.argv = h_argv_join(H_ARGV(tool), args),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_run(&c, r);
	cr_assert(!r->timed_out, "%s %s: timed out", tool, h_argv_str(args));
}

static void need_strace(void)
{
	if (!h_have_strace())
		cr_skip_test("strace is not installed (the oracle)");
}

static bool rx_match(const char *re, const char *s)
{
	regex_t rx;
	int e = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
	if (e) {
		char msg[256];
		regerror(e, &rx, msg, sizeof msg);
		cr_assert_fail("bad regex %s: %s", re, msg);
	}
	bool m = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return m;
}

/* The line of T (raw) for which PRED text occurs; NULL if none. */
static const struct h_line *find_line(const struct h_trace *t, const char *needle)
{
	for (size_t i = 0; i < t->nlines; i++)
		if (strstr(t->lines[i].raw, needle))
			return &t->lines[i];
	return NULL;
}

/* Sorted, de-duplicated list of syscall names in T, as one string. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *name_set(const struct h_trace *t)
{
	const char **v = h_keep(calloc(t->nlines + 1, sizeof *v));
	cr_assert(v != NULL);
	size_t n = 0;
	for (size_t i = 0; i < t->nlines; i++)
		if (t->lines[i].kind == H_LINE_CALL)
			v[n++] = t->lines[i].name;
	qsort(v, n, sizeof *v, cmp_str);
	const char *out = "";
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]))
			out = h_fmt("%s%s%s", out, *out ? " " : "", v[i]);
	return out;
}

/* Every CALL line with a result has its '=' at column 40 or, when the
 * call text is longer, one space after it. */
static void check_alignment(const struct h_trace *t, const char *what)
{
	size_t checked = 0;
	for (size_t i = 0; i < t->nlines; i++) {
		const struct h_line *L = &t->lines[i];
		if (L->kind != H_LINE_CALL || !L->result)
			continue;
		long want = L->call_len + 1 > 40 ? L->call_len + 1 : 40;
		cr_assert_eq(L->eq_col, want, "%s: line %d: '=' at column %ld, expected %ld:\n%s",
			     what, L->lineno, L->eq_col, want, L->raw);
		checked++;
	}
	cr_assert_gt(checked, 5, "%s: only %zu syscall lines", what, checked);
}

static const struct h_trace *trace_of(const char *path)
{
	return h_parse_trace_file(path);
}

/* ------------------------------------------------------------------ */
/* Acceptance 3: -c                                                    */

static void compare_summaries(const struct h_summary *want, const struct h_summary *got,
			      const char *what)
{
	const char *diff = "";
	for (size_t i = 0; i < want->nrows; i++) {
		const struct h_sumrow *w = &want->rows[i];
		const struct h_sumrow *g = h_summary_find(got, w->name);
		if (!g)
			diff = h_fmt("%s  %s: missing (strace: %lu calls, %lu errors)\n", diff, w->name,
				     w->calls, w->errors);
		else if (g->calls != w->calls || g->errors != w->errors)
			diff = h_fmt("%s  %s: %lu calls %lu errors, strace %lu calls %lu errors\n", diff,
				     w->name, g->calls, g->errors, w->calls, w->errors);
	}
	for (size_t i = 0; i < got->nrows; i++)
		if (!h_summary_find(want, got->rows[i].name))
			diff = h_fmt("%s  %s: not in strace's table (%lu calls)\n", diff,
				     got->rows[i].name, got->rows[i].calls);
	if (got->total.calls != want->total.calls || got->total.errors != want->total.errors)
		diff = h_fmt("%s  total: %lu calls %lu errors, strace %lu calls %lu errors\n", diff,
			     got->total.calls, got->total.errors, want->total.calls,
			     want->total.errors);
	cr_assert(!*diff, "%s: -c rows differ from strace -c -w:\n%s", what, diff);
}

Test(cli, summary_matches_strace_c_w)
{
	need_strace();
	const char *fix = h_fixture("deterministic");
	const char *so = h_tmp_path("strace.sum"), *ro = h_tmp_path("renacer.sum");
	struct h_res r;
	run_tool("strace", H_ARGV("-c", "-w", "-o", so, "--", fix), &r);
	cr_assert_eq(r.code, 0, "strace: %s", h_describe(&r));
	h_rc_run(H_ARGV("-c", "-o", ro, "--", fix), &r, 0, 0);
	cr_assert_eq(r.code, 0, "renacer-c -c: %s\n%s", h_describe(&r), r.err);

	const char *why;
	struct h_summary *want = h_parse_summary(h_slurp(so, NULL), &why);
	cr_assert(want != NULL, "strace's own table does not parse: %s", why);
	const char *text = h_slurp(ro, NULL);
	struct h_summary *got = h_parse_summary(text, &why);
	cr_assert(got != NULL, "renacer-c -c table: %s\n--- table ---\n%s", why, text);
	compare_summaries(want, got, "deterministic");

	/* the fixture's own calls, explicitly */
	const struct h_sumrow *g = h_summary_find(got, "getppid");
	cr_assert(g && g->calls == 10 && g->errors == 0, "getppid row wrong");
	g = h_summary_find(got, "openat");
	cr_assert(g && g->errors == 5, "openat should have 5 errors");
	cr_assert(h_summary_find(got, "execve"), "execve must be counted");
	/* -c alone prints no syscall lines */
	cr_assert_null(strstr(text, "getppid()"), "-c printed trace lines:\n%s", text);
}

Test(cli, summary_to_stderr_and_sorted_by_time)
{
	const char *fix = h_fixture("deterministic");
	struct h_res r;
	h_rc_run(H_ARGV("-c", "--", fix), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s", h_describe(&r));
	const char *why;
	struct h_summary *s = h_parse_summary(r.err, &why);
	cr_assert(s != NULL, "stderr has no valid table: %s\n%s", why, r.err);
	cr_assert_eq(r.out_len, 0, "-c wrote to stdout: %s", r.out);
	/* default sort: time, descending */
	for (size_t i = 1; i < s->nrows; i++)
		cr_assert(s->rows[i - 1].secs >= s->rows[i].secs,
			  "rows not sorted by time: %s before %s", s->rows[i - 1].name,
			  s->rows[i].name);
	unsigned long calls = 0, errors = 0;
	double pct = 0;
	for (size_t i = 0; i < s->nrows; i++) {
		calls += s->rows[i].calls;
		errors += s->rows[i].errors;
		pct += s->rows[i].pct;
	}
	cr_assert_eq(calls, s->total.calls);
	cr_assert_eq(errors, s->total.errors);
	cr_assert(s->total.pct == 100.0 || s->total.calls == 0, "total %% is %.2f",
		  s->total.pct);
	/* -w is implied: wall-clock latency, never the (zero) CPU time */
	cr_assert_gt(s->total.secs, 0.0, "total seconds is 0: -c must measure wall-clock time");
	cr_assert(pct > 99.0 && pct < 101.0, "percentages sum to %.2f", pct);
}

Test(cli, summary_sort_by_calls_and_name)
{
	const char *fix = h_fixture("deterministic");
	struct h_res r;
	const char *why;
	h_rc_run(H_ARGV("-c", "-S", "calls", "--", fix), &r, 0, 0);
	struct h_summary *s = h_parse_summary(r.err, &why);
	cr_assert(s != NULL, "-S calls: %s\n%s", why, r.err);
	for (size_t i = 1; i < s->nrows; i++)
		cr_assert(s->rows[i - 1].calls > s->rows[i].calls ||
				  (s->rows[i - 1].calls == s->rows[i].calls &&
				   strcmp(s->rows[i - 1].name, s->rows[i].name) < 0),
			  "-S calls: %s (%lu) before %s (%lu)", s->rows[i - 1].name,
			  s->rows[i - 1].calls, s->rows[i].name, s->rows[i].calls);
	h_rc_run(H_ARGV("-c", "-S", "name", "--", fix), &r, 0, 0);
	s = h_parse_summary(r.err, &why);
	cr_assert(s != NULL, "-S name: %s\n%s", why, r.err);
	for (size_t i = 1; i < s->nrows; i++)
		cr_assert(strcmp(s->rows[i - 1].name, s->rows[i].name) < 0, "-S name: %s before %s",
			  s->rows[i - 1].name, s->rows[i].name);
}

Test(cli, summary_of_an_empty_run)
{
	struct h_res r;
	h_rc_run(H_ARGV("-c", "-e", "trace=getppid", "--", "/bin/true"), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	const char *why;
	struct h_summary *s = h_parse_summary(r.err, &why);
	cr_assert(s != NULL, "empty -c run: %s\n%s", why, r.err);
	cr_assert_eq(s->nrows, 0);
	cr_assert_eq(s->total.calls, 0);
}

Test(cli, summary_with_C_also_traces)
{
	const char *fix = h_fixture("deterministic");
	const char *o = h_tmp_path("C.out");
	struct h_res r;
	h_rc_run(H_ARGV("-C", "-o", o, "--", fix), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s", h_describe(&r));
	const char *text = h_slurp(o, NULL);
	const char *why;
	cr_assert(h_parse_summary(text, &why) != NULL, "-C: %s\n%s", why, text);
	struct h_trace *t = h_parse_trace(text, strlen(text));
	cr_assert_eq(h_count_calls(t, "getppid"), 10, "-C should print the trace too");
}

/* ------------------------------------------------------------------ */
/* Acceptance 4: exit codes                                            */

Test(cli, exit_code_is_the_tracees)
{
	struct h_res r;
	h_rc_run(H_ARGV("-o", "/dev/null", "--", "sh", "-c", "exit 42"), &r, 0, 0);
	cr_assert_eq(r.code, 42, "sh -c 'exit 42' under renacer-c: %s\n%s", h_describe(&r),
		     r.err);
	h_rc_run(H_ARGV("-f", "-o", "/dev/null", "--", "sh", "-c", "exit 0"), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s", h_describe(&r));
	h_rc_run(H_ARGV("-c", "-o", "/dev/null", "--", "sh", "-c", "exit 7"), &r, 0, 0);
	cr_assert_eq(r.code, 7, "-c: %s", h_describe(&r));
}

static const char *last_exit_line(const struct h_trace *t)
{
	const char *last = NULL;
	for (size_t i = 0; i < t->nlines; i++)
		if (t->lines[i].kind == H_LINE_EXIT)
			last = t->lines[i].body;
	return last;
}

static void segv_case(int core_limit, bool want_core)
{
	need_strace();
	const char *fix = h_fixture("segv");
	const char *ro = h_tmp_path("r.trace"), *so = h_tmp_path("s.trace");
	const char *dir = h_tmpdir();
	struct h_res r, s;
	struct h_cmd c = {.argv = H_ARGV(h_renacer(), "-o", ro, "--", fix),
			  .envp = h_clean_env(),
			  .out = H_IO_PIPE,
			  .err = H_IO_PIPE,
			  .cwd = dir,
			  .core_limit = core_limit};
	h_require_renacer();
	h_run(&c, &r);
	struct h_cmd cs = c;
	cs.argv = H_ARGV("strace", "-o", so, "--", fix);
	h_run(&cs, &s);
	cr_assert_eq(s.code, 139, "strace: %s", h_describe(&s));
	cr_assert_eq(r.code, 139, "segv fixture under renacer-c: %s (want 139)\n%s",
		     h_describe(&r), r.err);
	cr_assert_str_eq(r.out, "about to crash\n");
	const char *rl = last_exit_line(trace_of(ro));
	const char *sl = last_exit_line(trace_of(so));
	cr_assert(rl && !strncmp(rl, "+++ killed by SIGSEGV", 21), "last +++ line: %s",
		  rl ? rl : "(none)");
	cr_assert(sl != NULL);
	cr_assert_str_eq(rl, sl, "renacer-c: \"%s\", strace: \"%s\"", rl, sl);
	if (want_core)
		cr_assert_str_eq(rl, "+++ killed by SIGSEGV (core dumped) +++");
	else
		cr_assert_str_eq(rl, "+++ killed by SIGSEGV +++");
	/* the SIGSEGV itself is reported */
	cr_assert(find_line(trace_of(ro), "--- SIGSEGV {si_signo=SIGSEGV"),
		  "no --- SIGSEGV line");
}

Test(cli, segv_exit_139_without_core)
{
	segv_case(1, false);
}

Test(cli, segv_exit_139_core_dumped)
{
	size_t len;
	const char *pat = h_read_file("/proc/sys/kernel/core_pattern", &len);
	/* with a pipe helper (systemd-coredump, apport), whether the kernel
	 * reports a dump depends on the helper: only a plain pattern, written
	 * relative to the tracee's cwd, is deterministic */
	if (!pat || pat[0] == '|' || pat[0] == '/')
		cr_skip_test("core_pattern is not a plain relative file name");
	segv_case(2, true);
}

Test(cli, command_not_found_is_127)
{
	struct h_res r;
	h_rc_run(H_ARGV("--", "/nonexistent/command"), &r, 0, 0);
	cr_assert_eq(r.code, 127, "%s\n%s", h_describe(&r), r.err);
	cr_assert(!strncmp(r.err, "renacer-c: ", 11), "message must start with 'renacer-c: ': %s",
		  r.err);
	h_rc_run(H_ARGV("--", "no-such-command-anywhere"), &r, 0, 0);
	cr_assert_eq(r.code, 127, "PATH search: %s\n%s", h_describe(&r), r.err);
	cr_assert(!strncmp(r.err, "renacer-c: ", 11), "%s", r.err);
}

Test(cli, not_executable_is_126)
{
	const char *f = h_tmp_path("notexec");
	h_write_file(f, "#!/bin/sh\nexit 0\n", 17);
	cr_assert_eq(chmod(f, 0644), 0);
	struct h_res r;
	h_rc_run(H_ARGV("--", f), &r, 0, 0);
	cr_assert_eq(r.code, 126, "%s\n%s", h_describe(&r), r.err);
	cr_assert(!strncmp(r.err, "renacer-c: ", 11), "%s", r.err);
}

Test(cli, usage_errors_are_2)
{
	struct h_res r;
	h_rc_run(H_ARGV(NULL), &r, 0, 0);
	cr_assert_eq(r.code, 2, "no arguments: %s\n%s", h_describe(&r), r.err);
	cr_assert(strstr(r.err, "renacer-c"), "usage message expected: %s", r.err);
	h_rc_run(H_ARGV("-e", "trace=bogus", "--", "/bin/true"), &r, 0, 0);
	cr_assert_eq(r.code, 2, "-e trace=bogus: %s\n%s", h_describe(&r), r.err);
	cr_assert(strstr(r.err, "bogus"), "message should name 'bogus': %s", r.err);
	cr_assert(!strncmp(r.err, "renacer-c: ", 11), "%s", r.err);
	h_rc_run(H_ARGV("--definitely-not-an-option", "--", "/bin/true"), &r, 0, 0);
	cr_assert_eq(r.code, 2, "unknown option: %s\n%s", h_describe(&r), r.err);
	h_rc_run(H_ARGV("-p", "notapid"), &r, 0, 0);
	cr_assert_eq(r.code, 2, "-p notapid: %s\n%s", h_describe(&r), r.err);
}

Test(cli, help_and_version_exit_0)
{
	struct h_res r;
	h_rc_run(H_ARGV("--help"), &r, 0, 0);
	cr_assert_eq(r.code, 0, "--help: %s", h_describe(&r));
	cr_assert(strstr(r.out, "-f") || strstr(r.err, "-f"), "help text lists options");
	h_rc_run(H_ARGV("--version"), &r, 0, 0);
	cr_assert_eq(r.code, 0, "--version: %s", h_describe(&r));
	cr_assert(strstr(r.out, "renacer-c"), "--version on stdout names the tool: %s", r.out);
}

/* ------------------------------------------------------------------ */
/* Acceptance 5: signals, threads, exec from a thread, attach          */

Test(cli, sigusr1_reaches_the_tracee)
{
	const char *fix = h_fixture("sigusr1");
	struct h_res plain, r;
	struct h_cmd c = {.argv = H_ARGV(fix), .out = H_IO_PIPE, .err = H_IO_PIPE};
	h_run(&c, &plain);
	cr_assert_eq(plain.code, 0);
	const char *o = h_tmp_path("t");
	h_rc_run(H_ARGV("-f", "-o", o, "--", fix), &r, 0, 0);
	cr_assert_eq(r.code, plain.code, "traced %s, untraced %s", h_describe(&r),
		     h_describe(&plain));
	cr_assert_str_eq(r.out, plain.out);
	const struct h_trace *t = trace_of(o);
	cr_assert(find_line(t, "--- SIGUSR1 {si_signo=SIGUSR1"), "no --- SIGUSR1 line");
	cr_assert_eq(h_count_calls(t, "kill"), 1);
	cr_assert_eq(h_count_calls(t, "rt_sigreturn"), 1);
	/* without -f and to stderr */
	h_rc_run(H_ARGV("--", fix), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s", h_describe(&r));
	cr_assert_str_eq(r.out, plain.out);
}

Test(cli, churn_exec_from_thread_finishes)
{
	const char *fix = h_fixture("churn");
	for (int i = 0; i < 3; i++) {
		const char *o = h_tmp_path(h_fmt("churn%d", i));
		struct h_res r;
		struct h_cmd c = {.argv = H_ARGV(h_renacer(), "-f", "-o", o, "--", fix),
				  .out = H_IO_PIPE,
				  .err = H_IO_PIPE,
				  .timeout_ms = 20000};
		h_require_renacer();
		h_run(&c, &r);
		cr_assert(!r.timed_out, "churn under renacer-c -f hung (run %d)", i);
		cr_assert_eq(r.code, 0, "churn run %d: %s\n%.2000s", i, h_describe(&r), r.err);
		const struct h_trace *t = trace_of(o);
		cr_assert_geq(h_count_calls(t, "execve"), 2, "run %d: the thread's execve is missing",
			      i);
		const char *last = last_exit_line(t);
		cr_assert(last && !strcmp(last, "+++ exited with 0 +++"),
			  "run %d: last line should be +++ exited with 0 +++, got %s", i,
			  last ? last : "(none)");
	}
}

static char proc_state(pid_t pid)
{
	char *st = h_read_file(h_fmt("/proc/%d/stat", (int)pid), NULL);
	if (!st)
		return '?';
	char *p = strrchr(st, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static long tracer_pid(pid_t pid)
{
	char *st = h_read_file(h_fmt("/proc/%d/status", (int)pid), NULL);
	if (!st)
		return -1;
	char *p = strstr(st, "TracerPid:");
	return p ? strtol(p + 10, NULL, 10) : -1;
}

static void attach_case(bool follow)
{
	h_require_renacer();
	char *scope = h_read_file("/proc/sys/kernel/yama/ptrace_scope", NULL);
	if (geteuid() != 0 && scope && atoi(scope) >= 1)
		cr_skip_test("ptrace_scope forbids attaching to a sibling without root");
	struct h_proc sl;
	struct h_cmd sc = {.argv = H_ARGV(h_fixture("sleeper")), .out = H_IO_PIPE};
	h_spawn(&sc, &sl);
	const char *line = h_read_line(&sl, 5000);
	pid_t pid = (pid_t)atoi(line);
	cr_assert_gt(pid, 0, "sleeper printed no pid: '%s'", line);

	const char *o = h_tmp_path("attach.trace");
	struct h_cmd tc = {
		.argv = follow ? H_ARGV(h_renacer(), "-f", "-p", h_fmt("%d", (int)pid), "-o", o)
			       : H_ARGV(h_renacer(), "-p", h_fmt("%d", (int)pid), "-o", o),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	struct h_proc tr;
	h_spawn(&tc, &tr);
	/* wait until the trace shows the sleeper's calls */
	bool seen = false;
	for (int i = 0; i < 100 && !seen; i++) {
		usleep(50 * 1000);
		char *text = h_read_file(o, NULL);
		seen = text && (strstr(text, "nanosleep") || strstr(text, "restart_syscall"));
	}
	cr_assert_eq(kill(tr.pid, SIGINT), 0);
	struct h_res tres;
	h_wait(&tr, 5000, &tres);
	char state = proc_state(pid);
	long tp = tracer_pid(pid);
	/* always clean the sleeper up, then judge */
	for (int i = 0; i < 20 && (state == 't' || state == 'T'); i++) {
		usleep(50 * 1000);
		state = proc_state(pid);
	}
	kill(pid, SIGTERM);
	struct h_res sres;
	h_wait(&sl, 5000, &sres);

	cr_assert(seen, "no nanosleep in the -p trace after 5 s:\n%s\nstderr: %s",
		  h_read_file(o, NULL) ? h_read_file(o, NULL) : "(no file)", tres.err);
	cr_assert(!tres.timed_out, "renacer-c -p did not exit within 5 s of SIGINT");
	cr_assert(state == 'S' || state == 'R', "sleeper state after detach: '%c' (want S or R)",
		  state);
	cr_assert_eq(tp, 0, "sleeper still traced (TracerPid %ld) after renacer-c exited", tp);
	cr_assert(!sres.timed_out && sres.code == 0,
		  "sleeper did not exit 0 on SIGTERM after detach: %s", h_describe(&sres));
}

Test(cli, attach_and_detach_on_sigint)
{
	attach_case(false);
}

Test(cli, attach_follow_and_detach_on_sigint)
{
	attach_case(true);
}

/* Launch the sleeper under renacer-c -o FILE; returns the sleeper's pid. */
static pid_t launch_sleeper(struct h_proc *tr, const char *o)
{
	h_require_renacer();
	struct h_cmd tc = {.argv = H_ARGV(h_renacer(), "-o", o, "--", h_fixture("sleeper")),
			   .out = H_IO_PIPE,
			   .err = H_IO_PIPE};
	h_spawn(&tc, tr);
	const char *line = h_read_line(tr, 5000);
	pid_t pid = (pid_t)atoi(line);
	if (pid <= 0) {
		kill(-tr->pid, SIGKILL);
		cr_assert_fail("sleeper printed no pid under renacer-c: '%s'", line);
	}
	usleep(200 * 1000);
	return pid;
}

static char settled_state(pid_t pid)
{
	char state = proc_state(pid);
	for (int i = 0; i < 20 && (state == 't' || state == 'T'); i++) {
		usleep(50 * 1000);
		state = proc_state(pid);
	}
	return state;
}

/* SIGTERM to a tracer that launched its tracee: it may finish at once
 * (detaching or killing the tracee) or, like `strace -o FILE PROG`, keep
 * tracing until the tracee ends.  Either way the tracee is never left
 * stopped and the trace file ends with a complete line. */
Test(cli, sigterm_to_tracer_leaves_no_stopped_tracee)
{
	const char *o = h_tmp_path("term.trace");
	struct h_proc tr;
	pid_t pid = launch_sleeper(&tr, o);
	cr_assert_eq(kill(tr.pid, SIGTERM), 0);
	bool exited = false;
	for (int i = 0; i < 60 && !exited; i++) {
		usleep(50 * 1000);
		char ts = proc_state(tr.pid);
		exited = ts == 'Z' || ts == '?';
	}
	struct h_res tres;
	char state = settled_state(pid);
	if (!exited) {
		/* still tracing: the tracee must be running, and ending it must
		 * end the tracer with its status */
		kill(pid, SIGTERM);
		h_wait(&tr, 5000, &tres);
		cr_assert(state == 'S' || state == 'R',
			  "tracer ignored SIGTERM and the tracee is in state '%c'", state);
		cr_assert(!tres.timed_out && tres.code == 0,
			  "after SIGTERM to tracer and tracee: renacer-c %s", h_describe(&tres));
		const char *text = h_slurp(o, NULL);
		cr_assert(strstr(text, "+++ exited with 0 +++"), "trace incomplete:\n%s", text);
		return;
	}
	h_wait(&tr, 3000, &tres);
	if (state != '?' && state != 'Z')
		kill(pid, SIGKILL);
	cr_assert(state != 't' && state != 'T',
		  "tracee left stopped ('%c') after the tracer exited on SIGTERM", state);
	size_t len;
	const char *text = h_slurp(o, &len);
	cr_assert(len > 0 && text[len - 1] == '\n', "trace file ends with a partial line");
	cr_assert(strstr(text, "nanosleep"), "trace lacks the sleeper's nanosleep calls");
}

/* The tracer dying (SIGKILL) never leaves a stopped tracee. */
Test(cli, sigkill_to_tracer_leaves_no_stopped_tracee)
{
	const char *o = h_tmp_path("kill.trace");
	struct h_proc tr;
	pid_t pid = launch_sleeper(&tr, o);
	cr_assert_eq(kill(tr.pid, SIGKILL), 0);
	/* judge before h_wait, which SIGKILLs what is left of the group */
	for (int i = 0; i < 40 && proc_state(tr.pid) != 'Z'; i++)
		usleep(25 * 1000);
	char state = settled_state(pid);
	struct h_res tres;
	h_wait(&tr, 3000, &tres);
	if (state != '?')
		kill(pid, SIGKILL);
	cr_assert(state != 't' && state != 'T',
		  "tracee left stopped ('%c') after the tracer was SIGKILLed", state);
}

Test(cli, trace_file_not_leaked_to_tracee)
{
	/* the -o file must be close-on-exec: the tracee sees the same fds */
	struct h_res plain, r;
	struct h_cmd c = {.argv = H_ARGV("ls", "/proc/self/fd"), .envp = h_clean_env(),
			  .out = H_IO_PIPE};
	h_run(&c, &plain);
	cr_assert_eq(plain.code, 0);
	h_rc_run(H_ARGV("-f", "-o", h_tmp_path("fd.trace"), "--", "ls", "/proc/self/fd"), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s", h_describe(&r));
	cr_assert_str_eq(r.out, plain.out, "open fds differ: traced [%s] untraced [%s]", r.out,
			 plain.out);
}

/* ------------------------------------------------------------------ */
/* Acceptance 6: no torn lines                                         */

Test(cli, concurrent_writes_give_complete_lines)
{
	const char *fix = h_fixture("concurrent_write");
	const char *o = h_tmp_path("cw.trace"), *data = h_tmp_path("cw.data");
	struct h_res r;
	h_rc_run(H_ARGV("-f", "-o", o, "--", fix, data), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	size_t len;
	const char *text = h_slurp(o, &len);
	const struct h_trace *t = h_parse_trace(text, len);
	size_t writes = 0;
	for (size_t i = 0; i < t->nlines; i++) {
		const struct h_line *L = &t->lines[i];
		const char *s = L->raw;
		/* Whole lines only: a call, its "<unfinished ...>" entry or its
		 * "<... NAME resumed>" rest (each one write), a signal or an exit. */
		bool ok = rx_match("^[0-9]+ +[a-z0-9_]+\\(.*\\) += [^=]*$", s) ||
			  rx_match("^[0-9]+ +[a-z0-9_]+\\(.* <unfinished \\.\\.\\.>$", s) ||
			  rx_match("^[0-9]+ +<\\.\\.\\. [a-z0-9_]+ resumed>.*\\) += [^=]*$", s) ||
			  rx_match("^[0-9]+ +(---|\\+\\+\\+) .* (---|\\+\\+\\+)$", s);
		cr_assert(ok, "line %d is not a complete line: \"%.300s\"", L->lineno, s);
		/* to a file with -f, strace's "PID  " prefix */
		cr_assert_null(strstr(s + 1, "[pid"), "line %d has an embedded prefix: %.300s",
			       L->lineno, s);
		cr_assert_null(strchr(s + 1, '\n'), "line %d: %.300s", L->lineno, s);
		const char *eq = strstr(s, " = ");
		cr_assert(!eq || !strstr(eq + 1, " = "), "line %d has two results: %.300s",
			  L->lineno, s);
		if (L->kind == H_LINE_CALL && !strcmp(L->name, "write")) {
			if (L->unfinished)
				cr_assert(strstr(s, "says hi\\n\", 17 <unfinished ...>"), "line %d: %s", L->lineno, s);
			else if (L->resumed)
				cr_assert(strstr(s, "<... write resumed>) "), "line %d: %s", L->lineno, s);
			else
				cr_assert(strstr(s, "says hi\\n\", 17) = 17"), "line %d: %s", L->lineno, s);
		}
	}
	/* Merged per task, every write is one call that returned 17. */
	for (size_t k = 0; k < t->ntasks; k++)
		for (size_t i = 0; i < t->tasks[k].ncalls; i++) {
			const struct h_call *c = &t->tasks[k].calls[i];
			if (strcmp(c->name, "write"))
				continue;
			writes++;
			cr_assert(c->result && !strcmp(c->result, "17"), "write at line %d: %s", c->lineno,
				  c->result ? c->result : "(never returned)");
		}
	cr_assert_eq(writes, 8000, "%zu write lines, want 8000", writes);
	/* the last byte is a newline: the file ends with a complete line */
	cr_assert(len > 0 && text[len - 1] == '\n', "trace does not end with a newline");
	size_t dlen;
	h_slurp(data, &dlen);
	cr_assert_eq(dlen, 8000 * 17, "fixture output damaged: %zu bytes", dlen);
}

/* ------------------------------------------------------------------ */
/* Acceptance 7: the tracee's stdout is untouched                      */

static void stdout_identical(const char *const *prog)
{
	struct h_res plain, a, b;
	struct h_cmd c = {.argv = prog, .envp = h_clean_env(), .out = H_IO_PIPE, .err = H_IO_PIPE};
	h_run(&c, &plain);
	cr_assert_eq(plain.code, 0);
	cr_assert_gt(plain.out_len, 100);
	h_rc_run(h_argv_join(H_ARGV("-o", "/dev/null", "--"), prog), &a, 0, 0);
	cr_assert_eq(a.code, 0, "%s", h_describe(&a));
	cr_assert(a.out_len == plain.out_len && !memcmp(a.out, plain.out, plain.out_len),
		  "%s: stdout differs with -o /dev/null (%zu vs %zu bytes)", h_argv_str(prog),
		  a.out_len, plain.out_len);
	h_rc_run(h_argv_join(H_ARGV("-f", "--"), prog), &b, 0, 0);
	cr_assert_eq(b.code, 0, "%s", h_describe(&b));
	cr_assert(b.out_len == plain.out_len && !memcmp(b.out, plain.out, plain.out_len),
		  "%s: stdout differs with the trace on stderr (%zu vs %zu bytes)",
		  h_argv_str(prog), b.out_len, plain.out_len);
	cr_assert_gt(b.err_len, 0, "no trace on stderr");
}

Test(cli, stdout_untouched_echo_fixture)
{
	stdout_identical(H_ARGV(h_fixture("echo_stdout")));
}

Test(cli, stdout_untouched_cat_binary)
{
	stdout_identical(H_ARGV("cat", h_fixture("echo_stdout")));
}

/* ------------------------------------------------------------------ */
/* Text format                                                         */

Test(cli, return_value_at_column_40)
{
	const char *o = h_tmp_path("echo.trace");
	struct h_res r;
	h_rc_run(H_ARGV("-o", o, "--", "/bin/echo", "hello"), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s", h_describe(&r));
	cr_assert_str_eq(r.out, "hello\n");
	const struct h_trace *t = trace_of(o);
	const struct h_line *w = find_line(t, "write(1,");
	cr_assert(w != NULL, "no write line");
	cr_assert_str_eq(w->raw, "write(1, \"hello\\n\", 6)                  = 6");
	const struct h_line *x = find_line(t, "exit_group(");
	cr_assert(x != NULL, "no exit_group line");
	cr_assert_str_eq(x->raw, "exit_group(0)                           = ?");
	cr_assert_str_eq(t->lines[t->nlines - 1].raw, "+++ exited with 0 +++");
	static const char first[] = "execve(\"/bin/echo\", [\"/bin/echo\", \"hello\"], ";
	cr_assert(!strncmp(t->lines[0].raw, first, strlen(first)), "first line: %s",
		  t->lines[0].raw);
	const struct h_line *e = find_line(t, "= -1 ENOENT");
	cr_assert(e && strstr(e->raw, "= -1 ENOENT (No such file or directory)"),
		  "errno line: %s", e ? e->raw : "(none)");
	check_alignment(t, "-o");
	for (size_t i = 0; i < t->nlines; i++)
		cr_assert_eq(t->lines[i].pid, 0, "single task without -f: no pid prefix: %s",
			     t->lines[i].raw);
}

Test(cli, pid_prefix_with_f)
{
	const char *o = h_tmp_path("f.trace");
	struct h_res r;
	h_rc_run(H_ARGV("-f", "-o", o, "--", h_fixture("spawn")), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s", h_describe(&r));
	const struct h_trace *t = trace_of(o);
	cr_assert_geq(t->ntasks, 4, "spawn has 4 processes, trace shows %zu", t->ntasks);
	for (size_t i = 0; i < t->nlines; i++) {
		const struct h_line *L = &t->lines[i];
		/* to a file, strace's prefix is the pid and blanks: "1234  " */
		cr_assert(!L->bracket_pid && L->pid > 0, "line %d lacks the 'PID ' prefix: %s", L->lineno, L->raw);
		const char *want = h_fmt("%-5ld ", L->pid);
		cr_assert(!strncmp(L->raw, want, strlen(want)), "line %d: prefix should be '%s': %s",
			  L->lineno, want, L->raw);
	}
	check_alignment(t, "-f");
}

Test(cli, durations_with_T)
{
	const char *o = h_tmp_path("T.trace");
	struct h_res r;
	h_rc_run(H_ARGV("-T", "-o", o, "--", "/bin/true"), &r, 0, 0);
	cr_assert_eq(r.code, 0);
	const struct h_trace *t = trace_of(o);
	size_t n = 0;
	for (size_t i = 0; i < t->nlines; i++) {
		const struct h_line *L = &t->lines[i];
		if (L->kind != H_LINE_CALL || !L->result || !strcmp(L->result, "?"))
			continue;
		cr_assert(L->dur && rx_match("^[0-9]+\\.[0-9]{6}$", L->dur),
			  "-T: line %d lacks ' <0.000123>': %s", L->lineno, L->raw);
		n++;
	}
	cr_assert_gt(n, 5);
}

static void check_ts(const char *flag, const char *re)
{
	const char *o = h_tmp_path("ts.trace");
	struct h_res r;
	h_rc_run(H_ARGV(flag, "-o", o, "--", "/bin/true"), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s: %s", flag, h_describe(&r));
	const struct h_trace *t = trace_of(o);
	size_t n = 0;
	for (size_t i = 0; i < t->nlines; i++) {
		const struct h_line *L = &t->lines[i];
		if (L->kind != H_LINE_CALL)
			continue;
		cr_assert(L->ts && rx_match(re, L->ts), "%s: line %d: bad or no timestamp: %s", flag,
			  L->lineno, L->raw);
		n++;
	}
	cr_assert_gt(n, 5, "%s: too few lines", flag);
}

Test(cli, timestamps)
{
	check_ts("-t", "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]$");
	check_ts("-tt", "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\\.[0-9]{6}$");
	check_ts("-ttt", "^[0-9]{9,}\\.[0-9]{6}$");
	check_ts("-r", "^[0-9]+\\.[0-9]{6}$");
}

Test(cli, paths_with_y)
{
	const char *o = h_tmp_path("y.trace");
	struct h_res r;
	h_rc_run(H_ARGV("-y", "-o", o, "--", "cat", "/etc/hostname"), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s", h_describe(&r));
	const struct h_trace *t = trace_of(o);
	const struct h_line *L = find_line(t, "read(3</etc/hostname>, ");
	cr_assert(L != NULL, "-y: no read(3</etc/hostname>, ...) line in:\n%s",
		  h_slurp(o, NULL));
	cr_assert(find_line(t, "close(3</etc/hostname>)"), "-y: close not decorated");
}

Test(cli, string_limit)
{
	const char *o = h_tmp_path("s.trace");
	struct h_res r;
	h_rc_run(H_ARGV("--string-limit", "4", "-o", o, "--", "/bin/echo", "hello"), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s", h_describe(&r));
	const struct h_line *L = find_line(trace_of(o), "write(1, ");
	cr_assert(L != NULL);
	cr_assert_str_eq(L->raw, "write(1, \"hell\"..., 6)                  = 6");
}

/* renacer-c and strace with the same filter flags: the same per-task
 * sequences (harness normalisation). */
static void filter_like_strace(const char *const *flags, const char *const *prog)
{
	need_strace();
	const char *so = h_tmp_path("f.strace"), *ro = h_tmp_path("f.renacer");
	struct h_res s, r;
	run_tool("strace", h_argv_join(h_argv_join(flags, H_ARGV("-f", "-o", so, "--")), prog),
		 &s);
	h_rc_run(h_argv_join(h_argv_join(flags, H_ARGV("-f", "-o", ro, "--")), prog), &r, 0, 0);
	cr_assert_eq(r.code, s.code, "%s: exit %s vs strace %s\n%s", h_argv_str(flags),
		     h_describe(&r), h_describe(&s), r.err);
	const struct h_trace *ts = trace_of(so), *tr = trace_of(ro);
	cr_assert_str_eq(name_set(tr), name_set(ts), "%s: syscall names differ",
			 h_argv_str(flags));
	const char *report;
	bool same = h_compare_traces(ts, "strace", tr, "renacer-c", &report);
	cr_assert(same, "%s %s:\n%.4000s", h_argv_str(flags), h_argv_str(prog), report);
}

Test(cli, trace_openat_only)
{
	filter_like_strace(H_ARGV("-e", "trace=openat"), H_ARGV("cat", "/etc/hostname"));
	const struct h_trace *t = trace_of(h_tmp_path("f.renacer"));
	cr_assert_str_eq(name_set(t), "openat");
}

Test(cli, trace_class_file)
{
	filter_like_strace(H_ARGV("-e", "trace=%file"), H_ARGV("ls", "/"));
}

Test(cli, trace_negation_and_list)
{
	filter_like_strace(H_ARGV("-e", "trace=!mmap,mprotect,munmap"), H_ARGV("/bin/true"));
	filter_like_strace(H_ARGV("-e", "trace=read,close"), H_ARGV("cat", "/etc/hostname"));
}

Test(cli, successful_only_z)
{
	filter_like_strace(H_ARGV("-z"), H_ARGV("sh", "-c", "cat /nonexistent; exit 3"));
	const struct h_trace *t = trace_of(h_tmp_path("f.renacer"));
	for (size_t i = 0; i < t->nlines; i++)
		cr_assert(!t->lines[i].result || strncmp(t->lines[i].result, "-1 ", 3),
			  "-z shows a failed call: %s", t->lines[i].raw);
}

Test(cli, failed_only_Z)
{
	filter_like_strace(H_ARGV("-Z"), H_ARGV("sh", "-c", "cat /nonexistent; exit 3"));
	const struct h_trace *t = trace_of(h_tmp_path("f.renacer"));
	size_t n = 0;
	for (size_t i = 0; i < t->nlines; i++)
		if (t->lines[i].kind == H_LINE_CALL) {
			cr_assert(t->lines[i].result && !strncmp(t->lines[i].result, "-1 ", 3),
				  "-Z shows a successful call: %s", t->lines[i].raw);
			n++;
		}
	cr_assert_gt(n, 0);
}

Test(cli, slower_than)
{
	const char *o = h_tmp_path("slow.trace");
	struct h_res r;
	h_rc_run(H_ARGV("--slower-than=1s", "-o", o, "--", "/bin/true"), &r, 0, 0);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	const struct h_trace *t = trace_of(o);
	for (size_t i = 0; i < t->nlines; i++)
		cr_assert_neq(t->lines[i].kind, H_LINE_CALL,
			      "--slower-than=1s printed a fast call: %s", t->lines[i].raw);

	/* -c still counts every call */
	const char *why;
	h_rc_run(H_ARGV("-c", "--", "/bin/true"), &r, 0, 0);
	struct h_summary *all = h_parse_summary(r.err, &why);
	cr_assert(all != NULL, "%s", why);
	h_rc_run(H_ARGV("-c", "--slower-than=1s", "--", "/bin/true"), &r, 0, 0);
	struct h_summary *slow = h_parse_summary(r.err, &why);
	cr_assert(slow != NULL, "-c --slower-than: %s\n%s", why, r.err);
	cr_assert_eq(slow->total.calls, all->total.calls,
		     "-c with --slower-than counted %lu calls, without %lu", slow->total.calls,
		     all->total.calls);
	cr_assert_gt(all->total.calls, 10);
}
