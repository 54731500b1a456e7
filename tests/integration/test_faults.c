/* test_faults.c — fault tests (renacer-c's reliability bar: see docs/design.md): the
 * tracer killed or interrupted at bad moments, awkward tracees (no stdio,
 * a huge argv, hostile file names, fork and thread storms, exec from a
 * thread, a blocked read), attach refusals, and output files that cannot
 * be written.  Every case is bounded by harness timeouts and takes at most
 * a few seconds. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include "harness.h"

TestSuite(faults, .init = h_init, .fini = h_cleanup, .timeout = 60);

/* ------------------------------------------------------------------ */
/* helpers                                                             */

/* Start renacer-c ARGS... in the background (own process group). */
static void rc_spawn(const char *const *args, struct h_proc *p)
{
	h_require_renacer();
	struct h_cmd c = {
		.argv = h_argv_join(H_ARGV(h_renacer()), args),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_spawn(&c, p);
	cr_assert_gt(p->pid, 0, "cannot start renacer-c");
}

/* State letter from /proc/PID/stat ('?' when the process is gone). */
static char proc_state(pid_t pid)
{
	char *st = h_read_file(h_fmt("/proc/%d/stat", (int)pid), NULL);
	if (!st)
		return '?';
	char *p = strrchr(st, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static char task_state(pid_t pid, const char *tid)
{
	char *st = h_read_file(h_fmt("/proc/%d/task/%s/stat", (int)pid, tid), NULL);
	if (!st)
		return '?';
	char *p = strrchr(st, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static long task_tracer(pid_t pid, const char *tid)
{
	char *st = h_read_file(h_fmt("/proc/%d/task/%s/status", (int)pid, tid), NULL);
	if (!st)
		return -1;
	char *p = strstr(st, "TracerPid:");
	return p ? strtol(p + 10, NULL, 10) : -1;
}

/* Dead for our purposes: reaped, or a zombie nobody has reaped yet. */
static bool is_gone(char state)
{
	return state == '?' || state == 'Z' || state == 'X' || state == 'x';
}

/* Wait (at most MS) until the tracer process has exited (it stays a zombie
 * until h_wait reaps it, so the test can judge its tracees before h_wait
 * kills whatever is left in the process group). */
static bool wait_exited(pid_t pid, int ms)
{
	for (int waited = 0; waited < ms; waited += 20) {
		if (is_gone(proc_state(pid)))
			return true;
		usleep(20 * 1000);
	}
	return is_gone(proc_state(pid));
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* A message is "one clear line": exactly one line, starting "renacer-c: ". */
static void assert_one_line(const char *err, const char *what)
{
	cr_assert(!strncmp(err, "renacer-c: ", 11), "%s: message must start with 'renacer-c: ':\n%s",
		  what, err);
	cr_assert_eq(count_lines(err), 1, "%s: expected exactly one line on stderr, got:\n%s",
		     what, err);
}

static const char *last_nonempty_line(const char *text)
{
	size_t len = strlen(text);
	while (len && text[len - 1] == '\n')
		len--;
	size_t b = len;
	while (b && text[b - 1] != '\n')
		b--;
	return h_fmt("%.*s", (int)(len - b), text + b);
}

/* The CALL line whose text contains CALL and whose result is RESULT. */
static const struct h_line *find_call(const struct h_trace *t, const char *call, const char *result)
{
	for (size_t i = 0; i < t->nlines; i++) {
		const struct h_line *L = &t->lines[i];
		if (L->kind == H_LINE_CALL && L->result && !strcmp(L->result, result) &&
		    strstr(L->raw, call))
			return L;
	}
	return NULL;
}

static bool file_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* No "PATH.tmp.*" left next to PATH. */
static void assert_no_tmp_leftovers(const char *path)
{
	glob_t g;
	int r = glob(h_fmt("%s.tmp.*", path), 0, NULL, &g);
	const char *first = r == 0 && g.gl_pathc ? h_fmt("%s", g.gl_pathv[0]) : "";
	if (r == 0)
		globfree(&g);
	cr_assert_eq(r, GLOB_NOMATCH, "temporary file left next to %s: %s", path, first);
}

static cJSON *parse_json_file(const char *path)
{
	const char *text = h_slurp(path, NULL);
	cJSON *doc = cJSON_Parse(text);
	cr_assert(doc != NULL, "%s is not valid JSON (near: %.200s)", path,
		  cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "?");
	return doc;
}

/* python3 -m json.tool PATH succeeds (skipped silently without python3). */
static void assert_python_json_ok(const char *path)
{
	const char *py = h_which("python3");
	if (!py)
		return;
	struct h_res r;
	struct h_cmd c = {.argv = H_ARGV(py, "-m", "json.tool", path),
			  .envp = h_clean_env(),
			  .out = H_IO_NULL,
			  .err = H_IO_PIPE,
			  .timeout_ms = 10000};
	h_run(&c, &r);
	cr_assert_eq(r.code, 0, "python3 -m json.tool %s: %s\n%s", path, h_describe(&r), r.err);
}

/* ------------------------------------------------------------------ */
/* 1. SIGKILL to the tracer in launch mode                              */

/* Under -f, a tree of children and grandchildren: when renacer-c dies by
 * SIGKILL, PTRACE_O_EXITKILL takes all of them with it; none is left
 * stopped or running. */
Test(faults, sigkill_tracer_kills_whole_followed_tree)
{
	const char *o = h_tmp_path("tree.trace");
	struct h_proc tr;
	rc_spawn(H_ARGV("-f", "-o", o, "--", h_fixture("fault_forktree")), &tr);
	const char *line = h_read_line(&tr, 5000);
	pid_t pids[16];
	int n = 0;
	for (const char *p = line; *p && *p != '\n' && n < 16;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		pids[n++] = (pid_t)v;
		p = end;
	}
	if (n != 7) {
		kill(-tr.pid, SIGKILL);
		cr_assert_fail("fault_forktree under renacer-c -f reported %d pids, want 7: '%s'", n,
			       line);
	}
	usleep(100 * 1000);
	cr_assert_eq(kill(tr.pid, SIGKILL), 0);
	/* everything must be gone within a second */
	char states[16];
	double deadline = h_now() + 1.0;
	bool all_gone;
	do {
		all_gone = true;
		for (int i = 0; i < n; i++) {
			states[i] = proc_state(pids[i]);
			if (!is_gone(states[i]))
				all_gone = false;
		}
		if (!all_gone)
			usleep(20 * 1000);
	} while (!all_gone && h_now() < deadline);
	const char *report = "";
	for (int i = 0; i < n; i++)
		report = h_fmt("%s %d:%c", report, (int)pids[i], states[i]);
	for (int i = 0; i < n; i++)
		if (!is_gone(states[i]))
			kill(pids[i], SIGKILL);
	struct h_res res;
	h_wait(&tr, 3000, &res);
	for (int i = 0; i < n; i++)
		cr_assert(states[i] != 't' && states[i] != 'T',
			  "a tracee was left stopped after SIGKILL to renacer-c (pid:state):%s",
			  report);
	cr_assert(all_gone,
		  "tracees still alive 1 s after SIGKILL to renacer-c -f (pid:state):%s "
		  "(PTRACE_O_EXITKILL should have killed them)",
		  report);
}

/* A structured trace never appears under its final name when the tracer
 * is killed before it could finish it. */
Test(faults, sigkill_tracer_leaves_no_json_under_final_name)
{
	const char *o = h_tmp_path("killed.json");
	struct h_proc tr;
	rc_spawn(H_ARGV("--format", "json", "-o", o, "--", h_fixture("sleeper")), &tr);
	const char *line = h_read_line(&tr, 5000);
	pid_t pid = (pid_t)atoi(line);
	if (pid <= 0) {
		kill(-tr.pid, SIGKILL);
		cr_assert_fail("sleeper printed no pid under renacer-c: '%s'", line);
	}
	usleep(200 * 1000);
	cr_assert_eq(kill(tr.pid, SIGKILL), 0);
	struct h_res res;
	h_wait(&tr, 3000, &res);
	cr_assert_not(file_exists(o), "a half-written JSON trace was left under its final name %s",
		      o);
}

/* ------------------------------------------------------------------ */
/* 2. Attach mode: SIGINT / SIGTERM / SIGHUP detach from all threads    */

#define MT_THREADS 5 /* fault_mtsleeper: leader + 4 */

static size_t distinct_pids(const struct h_trace *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->ntasks; i++)
		if (t->tasks[i].ncalls > 0)
			n++;
	return n;
}

/* Attach with -f -p PID, wait until all threads show up in the trace,
 * send SIG to renacer-c, and check it detached cleanly. */
static void attach_and_detach(pid_t pid, int sig, int round)
{
	const char *o = h_tmp_path(h_fmt("attach%d.trace", round));
	struct h_proc tr;
	rc_spawn(H_ARGV("-f", "-p", h_fmt("%d", (int)pid), "-o", o), &tr);
	size_t seen = 0;
	for (int i = 0; i < 100 && seen < MT_THREADS; i++) {
		usleep(50 * 1000);
		size_t len;
		char *text = h_read_file(o, &len);
		if (text)
			seen = distinct_pids(h_parse_trace(text, len));
	}
	cr_assert_eq(kill(tr.pid, sig), 0);
	struct h_res res;
	h_wait(&tr, 5000, &res);
	cr_assert(!res.timed_out, "round %d: renacer-c -f -p did not exit within 5 s of %s", round,
		  strsignal(sig));
	cr_assert_eq(seen, MT_THREADS,
		     "round %d: the -f -p trace shows %zu of the %d threads after 5 s\nstderr:\n%s",
		     round, seen, MT_THREADS, res.err);
	cr_assert_eq(res.code, 0, "round %d: renacer-c exited %s after %s (detach should exit 0)\n%s",
		     round, h_describe(&res), strsignal(sig), res.err);
	size_t len;
	const char *text = h_slurp(o, &len);
	cr_assert(len > 0 && text[len - 1] == '\n', "round %d: trace ends with a partial line",
		  round);

	/* every thread: running or sleeping, not traced any more */
	DIR *d = opendir(h_fmt("/proc/%d/task", (int)pid));
	cr_assert(d != NULL, "round %d: the attached process is gone after detach", round);
	int threads = 0;
	const char *bad = "";
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		threads++;
		char st = task_state(pid, de->d_name);
		for (int i = 0; i < 20 && (st == 't' || st == 'T'); i++) {
			usleep(25 * 1000);
			st = task_state(pid, de->d_name);
		}
		long tp = task_tracer(pid, de->d_name);
		if ((st != 'S' && st != 'R') || tp != 0)
			bad = h_fmt("%s tid %s: state '%c' TracerPid %ld;", bad, de->d_name, st, tp);
	}
	closedir(d);
	cr_assert(!*bad, "round %d: after %s, threads not running untraced:%s", round,
		  strsignal(sig), bad);
	cr_assert_eq(threads, MT_THREADS, "round %d: %d threads after detach, want %d", round,
		     threads, MT_THREADS);
}

static void attach_twice(int first, int second)
{
	h_require_renacer();
	struct h_proc sl;
	struct h_cmd sc = {.argv = H_ARGV(h_fixture("fault_mtsleeper")), .out = H_IO_PIPE};
	h_spawn(&sc, &sl);
	const char *line = h_read_line(&sl, 5000);
	pid_t pid = (pid_t)atoi(line);
	if (pid <= 0) {
		kill(-sl.pid, SIGKILL);
		cr_assert_fail("fault_mtsleeper printed no pid: '%s'", line);
	}
	attach_and_detach(pid, first, 1);
	/* it can be traced again */
	attach_and_detach(pid, second, 2);
	/* and still works as a whole: SIGTERM makes every thread finish */
	kill(pid, SIGTERM);
	struct h_res r;
	h_wait(&sl, 5000, &r);
	cr_assert(!r.timed_out && r.code == 0,
		  "fault_mtsleeper did not finish cleanly after two attach/detach rounds: %s",
		  h_describe(&r));
}

Test(faults, attach_mt_detach_on_sigint_then_again)
{
	attach_twice(SIGINT, SIGTERM);
}

Test(faults, attach_mt_detach_on_sigterm_then_again)
{
	attach_twice(SIGTERM, SIGHUP);
}

/* ------------------------------------------------------------------ */
/* 3. Awkward tracees                                                   */

Test(faults, tracee_without_stdio_fds)
{
	const char *o = h_tmp_path("nofd.trace"), *data = h_tmp_path("nofd.data");
	struct h_res r;
	h_rc_run(H_ARGV("-o", o, "--", h_fixture("fault_closefds"), data), &r, 10000, 0);
	cr_assert_eq(r.code, 0, "fault_closefds under renacer-c: %s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(h_slurp(data, NULL), "written with fd 0\n");
	const struct h_trace *t = h_parse_trace_file(o);
	cr_assert(find_call(t, h_fmt("openat(AT_FDCWD, \"%s\", O_WRONLY|O_CREAT|O_TRUNC, 0644)", data),
			    "0"),
		  "no openat(...) = 0 line in:\n%s", h_slurp(o, NULL));
	cr_assert(find_call(t, "write(0, \"written with fd 0\\n\", 18)", "18"),
		  "no write(0, ...) = 18 line in:\n%s", h_slurp(o, NULL));
	cr_assert_str_eq(last_nonempty_line(h_slurp(o, NULL)), "+++ exited with 0 +++");

	/* trace on the tracer's stderr: it never lands in the tracee's fd 0 */
	h_rc_run(H_ARGV("-f", "--", h_fixture("fault_closefds"), data), &r, 10000, 0);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	cr_assert_str_eq(h_slurp(data, NULL), "written with fd 0\n");
	cr_assert(strstr(r.err, "write(0, \"written with fd 0\\n\", 18)"),
		  "trace on stderr lacks the write:\n%.3000s", r.err);
}

static void check_big_execve(const char *o, const char *what)
{
	size_t len;
	const char *text = h_slurp(o, &len);
	const struct h_trace *t = h_parse_trace(text, len);
	cr_assert_gt(t->nlines, 0, "%s: empty trace", what);
	const struct h_line *L = &t->lines[0];
	cr_assert(L->kind == H_LINE_CALL && !strcmp(L->name, "execve"),
		  "%s: the first line is not the execve: %.300s", what, L->raw);
	cr_assert(!strncmp(L->raw, "execve(\"/bin/true\", [\"/bin/true\", ", 34),
		  "%s: execve line: %.300s", what, L->raw);
	cr_assert(strstr(L->raw, "..."), "%s: execve line not truncated with '...': %.300s", what,
		  L->raw);
	cr_assert_lt(strlen(L->raw), 4096, "%s: execve line is %zu bytes long", what,
		     strlen(L->raw));
	cr_assert(L->result && !strcmp(L->result, "0"), "%s: execve result: %.300s", what, L->raw);
	cr_assert_str_eq(last_nonempty_line(text), "+++ exited with 0 +++", "%s", what);
}

Test(faults, argv_of_100k_in_one_argument)
{
	size_t n = 100 * 1024;
	char *big = h_keep(malloc(n + 1));
	cr_assert(big != NULL);
	memset(big, 'a', n);
	big[n] = '\0';
	const char *o = h_tmp_path("bigarg.trace");
	struct h_res r;
	h_rc_run(H_ARGV("-o", o, "--", "/bin/true", big), &r, 10000, 0);
	cr_assert_eq(r.code, 0, "%s\n%.2000s", h_describe(&r), r.err);
	check_big_execve(o, "one 100 KB argument");
	cr_assert(strstr(h_slurp(o, NULL), "[\"/bin/true\", \"aaaaaaaa"),
		  "the long argument is not shown at all");
}

Test(faults, argv_of_100k_in_10000_arguments)
{
	enum { NARGS = 10000 };
	const char **argv = h_keep(calloc(NARGS + 5, sizeof *argv));
	cr_assert(argv != NULL);
	const char *o = h_tmp_path("manyargs.trace");
	size_t k = 0;
	argv[k++] = "-o";
	argv[k++] = o;
	argv[k++] = "--";
	argv[k++] = "/bin/true";
	char *store = h_keep(malloc(NARGS * 16));
	cr_assert(store != NULL);
	for (int i = 0; i < NARGS; i++) {
		char *s = store + i * 16;
		snprintf(s, 16, "arg%06d", i); /* 10 bytes with the NUL: 100 KB in all */
		argv[k++] = s;
	}
	argv[k] = NULL;
	struct h_res r;
	h_rc_run(argv, &r, 10000, 0);
	cr_assert_eq(r.code, 0, "%s\n%.2000s", h_describe(&r), r.err);
	check_big_execve(o, "10000 arguments");
}

/* Names as fault_names.c creates them, and as strace escapes them. */
static const char *const nasty_raw[] = {
	"line1\nline2",
	"say \"hi\"",
	"mix\n\"q\"\\b\t'x'",
};
static const char *const nasty_esc[] = {
	"\"line1\\nline2\"",
	"\"say \\\"hi\\\"\"",
	"\"mix\\n\\\"q\\\"\\\\b\\t'x'\"",
};
#define NNASTY (sizeof nasty_raw / sizeof nasty_raw[0])

Test(faults, file_names_with_newlines_and_quotes_text)
{
	const char *dir = h_tmp_path("names");
	cr_assert_eq(mkdir(dir, 0755), 0);
	const char *o = h_tmp_path("names.trace");
	struct h_res r;
	h_rc_run(H_ARGV("-f", "-o", o, "--", h_fixture("fault_names"), dir), &r, 10000, 0);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	size_t len;
	const char *text = h_slurp(o, &len);
	const struct h_trace *t = h_parse_trace(text, len);
	/* one line per syscall: nothing breaks a line in two */
	for (size_t i = 0; i < t->nlines; i++)
		cr_assert_neq(t->lines[i].kind, H_LINE_OTHER,
			      "line %d is not a syscall, signal or exit line: %.300s",
			      t->lines[i].lineno, t->lines[i].raw);
	cr_assert_eq(t->nlines, count_lines(text), "blank or broken lines in the trace");
	for (size_t i = 0; i < NNASTY; i++) {
		const char *want = h_fmt("openat(AT_FDCWD, %s, O_WRONLY|O_CREAT|O_TRUNC, 0644)",
					 nasty_esc[i]);
		cr_assert(find_call(t, want, "3"), "no line containing\n  %s = 3\nin:\n%.4000s", want,
			  text);
		cr_assert(file_exists(h_fmt("%s/%s", dir, nasty_raw[i])), "fixture did not create #%zu",
			  i);
	}
}

Test(faults, file_names_with_newlines_and_quotes_json)
{
	const char *dir = h_tmp_path("names");
	cr_assert_eq(mkdir(dir, 0755), 0);
	const char *o = h_tmp_path("names.json");
	struct h_res r;
	h_rc_run(H_ARGV("-f", "--format", "json", "-o", o, "--", h_fixture("fault_names"), dir), &r, 10000, 0);
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	assert_no_tmp_leftovers(o);
	assert_python_json_ok(o);
	cJSON *doc = parse_json_file(o);
	/* the streaming layout: every syscall record is one line on its own */
	const char *text = h_slurp(o, NULL);
	const char *p = strstr(text, "\"syscalls\":[\n");
	cr_assert(p != NULL, "no \"syscalls\":[ line");
	p = strchr(p, '\n') + 1;
	size_t records = 0;
	while (*p == '{') {
		const char *e = strchr(p, '\n');
		cr_assert(e != NULL);
		size_t l = (size_t)(e - p);
		if (l && p[l - 1] == ',')
			l--;
		char *rec = h_keep(strndup(p, l));
		cJSON *one = cJSON_Parse(rec);
		cr_assert(one != NULL, "syscall record is not a complete JSON line: %.300s", rec);
		cJSON_Delete(one);
		records++;
		p = e + 1;
	}
	cr_assert_gt(records, 10);
	/* the names, exact: the strace-escaped argument text, or the raw name */
	bool found[NNASTY] = {false};
	const cJSON *calls = cJSON_GetObjectItemCaseSensitive(doc, "syscalls");
	const cJSON *c;
	cJSON_ArrayForEach(c, calls)
	{
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(c, "name");
		if (!cJSON_IsString(name) || strcmp(name->valuestring, "openat"))
			continue;
		const cJSON *a;
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(c, "args"))
		{
			if (!cJSON_IsString(a))
				continue;
			for (size_t i = 0; i < NNASTY; i++)
				if (!strcmp(a->valuestring, nasty_esc[i]) ||
				    strstr(a->valuestring, nasty_raw[i]))
					found[i] = true;
		}
	}
	cJSON_Delete(doc);
	for (size_t i = 0; i < NNASTY; i++)
		cr_assert(found[i], "no openat record has the name #%zu (%s) in its args", i,
			  nasty_esc[i]);
}

static size_t count_exit_lines(const struct h_trace *t, const char *body, long except_pid)
{
	size_t n = 0;
	for (size_t i = 0; i < t->nlines; i++)
		if (t->lines[i].kind == H_LINE_EXIT && t->lines[i].pid != except_pid &&
		    !strcmp(t->lines[i].body, body))
			n++;
	return n;
}

Test(faults, two_hundred_short_lived_children)
{
	const char *o = h_tmp_path("fork200.trace");
	struct h_res r;
	h_rc_run(H_ARGV("-f", "-o", o, "--", h_fixture("fault_fork200")), &r, 20000 ? 20000 : 10000, 0);
	cr_assert_eq(r.code, 0, "%s\n%.2000s", h_describe(&r), r.err);
	const struct h_trace *t = h_parse_trace_file(o);
	cr_assert_gt(t->ntasks, 0);
	long leader = t->tasks[0].pid;
	size_t n = count_exit_lines(t, "+++ exited with 0 +++", leader);
	cr_assert_eq(n, 200, "%zu '+++ exited with 0 +++' lines for children, want 200", n);
	cr_assert_eq(t->ntasks, 201, "%zu tasks in the trace, want 201", t->ntasks);
	cr_assert(t->tasks[0].last_exit && !strcmp(t->tasks[0].last_exit, "+++ exited with 0 +++"),
		  "leader's last line: %s", t->tasks[0].last_exit ? t->tasks[0].last_exit : "(none)");
	cr_assert_str_eq(t->lines[t->nlines - 1].body, "+++ exited with 0 +++",
			 "the trace does not end with the leader's exit");
	cr_assert_eq(t->lines[t->nlines - 1].pid, leader);
}

Test(faults, sixty_four_threads_start_and_exit)
{
	const char *o = h_tmp_path("threads64.trace");
	struct h_res r;
	h_rc_run(H_ARGV("-f", "-o", o, "--", h_fixture("fault_threads64")), &r, 20000 ? 20000 : 10000, 0);
	cr_assert_eq(r.code, 0, "%s\n%.2000s", h_describe(&r), r.err);
	const struct h_trace *t = h_parse_trace_file(o);
	cr_assert_eq(t->ntasks, 65, "%zu tasks in the trace, want 65 (leader + 64 threads)",
		     t->ntasks);
	for (size_t i = 0; i < t->ntasks; i++)
		cr_assert(t->tasks[i].last_exit &&
				  !strcmp(t->tasks[i].last_exit, "+++ exited with 0 +++"),
			  "task %ld: last +++ line is %s", t->tasks[i].pid,
			  t->tasks[i].last_exit ? t->tasks[i].last_exit : "(none)");
	cr_assert_eq(count_exit_lines(t, "+++ exited with 0 +++", -1), 65);
}

Test(faults, execve_from_non_leader_thread)
{
	const char *o = h_tmp_path("texec.trace");
	struct h_res r;
	h_rc_run(H_ARGV("-f", "-o", o, "--", h_fixture("fault_thread_exec")), &r, 10000, 0);
	cr_assert_eq(r.code, 7, "exit code of the new image should propagate: %s\n%s",
		     h_describe(&r), r.err);
	size_t len;
	const char *text = h_slurp(o, &len);
	const struct h_trace *t = h_parse_trace(text, len);
	cr_assert_gt(t->ntasks, 1);
	long leader = t->tasks[0].pid;
	const struct h_line *sup = NULL;
	for (size_t i = 0; i < t->nlines; i++)
		if (t->lines[i].kind == H_LINE_EXIT &&
		    !strncmp(t->lines[i].body, "+++ superseded by execve in pid ", 32))
			sup = &t->lines[i];
	cr_assert(sup != NULL, "no '+++ superseded by execve in pid N +++' line:\n%.4000s", text);
	long former = strtol(sup->body + 32, NULL, 10);
	cr_assert_neq(former, leader, "superseded line names the leader: %s", sup->raw);
	bool known = false;
	for (size_t i = 0; i < t->ntasks; i++)
		if (t->tasks[i].pid == former)
			known = true;
	cr_assert(known, "pid %ld in '%s' is not a thread of the trace", former, sup->body);
	cr_assert_str_eq(sup->body, h_fmt("+++ superseded by execve in pid %ld +++", former));
	cr_assert_eq(sup->pid, leader, "the superseded line belongs to the leader: %s", sup->raw);
	const struct h_line *last = &t->lines[t->nlines - 1];
	cr_assert_str_eq(last->body, "+++ exited with 7 +++");
	cr_assert_eq(last->pid, leader);
	cr_assert(strstr(text, "\"exit7\"]"), "the thread's execve (argv with \"exit7\") is missing");
}

/* A tracee blocked in read(2) on a pipe; the tracer gets SIGINT. */
static pid_t start_pipe_reader(struct h_proc *tr, const char *o, const char *mode, bool follow)
{
	const char *fix = h_fixture("fault_pipe_read");
	const char *const *args =
		follow ? (mode ? H_ARGV("-f", "-o", o, "--", fix, mode) : H_ARGV("-f", "-o", o, "--", fix))
		       : (mode ? H_ARGV("-o", o, "--", fix, mode) : H_ARGV("-o", o, "--", fix));
	rc_spawn(args, tr);
	const char *line = h_read_line(tr, 5000);
	pid_t pid = (pid_t)atoi(line);
	if (pid <= 0) {
		kill(-tr->pid, SIGKILL);
		cr_assert_fail("fault_pipe_read printed no pid under renacer-c: '%s'", line);
	}
	/* wait until it sleeps inside read (syscall 0) */
	for (int i = 0; i < 150; i++) {
		char *sc = h_read_file(h_fmt("/proc/%d/syscall", (int)pid), NULL);
		if (proc_state(pid) == 'S' && sc && !strncmp(sc, "0 ", 2))
			return pid;
		usleep(20 * 1000);
	}
	kill(-tr->pid, SIGKILL);
	cr_assert_fail("fault_pipe_read never blocked in read (state '%c')", proc_state(pid));
	return -1;
}

static void finish_pipe_reader(struct h_proc *tr, pid_t pid, const char *o, int want_code,
			       const char *want_last)
{
	bool exited = wait_exited(tr->pid, 5000);
	char state = proc_state(pid);
	if (!is_gone(state))
		kill(pid, SIGKILL);
	struct h_res res;
	h_wait(tr, 3000, &res);
	cr_assert(exited, "renacer-c did not finish within 5 s of SIGINT (tracee state '%c')",
		  state);
	cr_assert(is_gone(state), "the tracee is still there (state '%c') after renacer-c exited",
		  state);
	size_t len;
	const char *text = h_slurp(o, &len);
	cr_assert(len > 0 && text[len - 1] == '\n', "trace ends with a partial line");
	const char *last = last_nonempty_line(text);
	if (want_last)
		cr_assert_str_eq(last, want_last, "last line of the trace");
	cr_assert(strstr(last, "+++ killed by SIG") && strstr(last, " +++"),
		  "last line is not a '+++ killed by SIG... +++' line: %s", last);
	if (want_code)
		cr_assert_eq(res.code, want_code, "renacer-c: %s (want %d)\n%s", h_describe(&res),
			     want_code, res.err);
	else
		cr_assert_geq(res.code, 128, "renacer-c: %s\n%s", h_describe(&res), res.err);
}

Test(faults, blocked_read_sigint_is_forwarded)
{
	const char *o = h_tmp_path("pipe.trace");
	struct h_proc tr;
	pid_t pid = start_pipe_reader(&tr, o, NULL, false);
	cr_assert_eq(kill(tr.pid, SIGINT), 0);
	finish_pipe_reader(&tr, pid, o, 130, "+++ killed by SIGINT +++");
}

Test(faults, blocked_read_ctrl_c_to_process_group)
{
	/* a terminal's ^C: the whole foreground group gets SIGINT */
	const char *o = h_tmp_path("pipe.trace");
	struct h_proc tr;
	pid_t pid = start_pipe_reader(&tr, o, NULL, true);
	cr_assert_eq(kill(-tr.pid, SIGINT), 0);
	finish_pipe_reader(&tr, pid, o, 130, h_fmt("%-5d +++ killed by SIGINT +++", (int)pid));
}

Test(faults, blocked_read_ignoring_sigint_second_sigint_kills)
{
	const char *o = h_tmp_path("pipe.trace");
	struct h_proc tr;
	pid_t pid = start_pipe_reader(&tr, o, "ignore", false);
	cr_assert_eq(kill(tr.pid, SIGINT), 0);
	usleep(300 * 1000);
	char st = proc_state(pid);
	if (!is_gone(st)) {
		cr_assert(st != 't' && st != 'T',
			  "after one SIGINT the tracee is left stopped (state '%c')", st);
		cr_assert(!is_gone(proc_state(tr.pid)),
			  "renacer-c exited but left its tracee running (state '%c')", st);
		cr_assert_eq(kill(tr.pid, SIGINT), 0);
	}
	finish_pipe_reader(&tr, pid, o, 0, NULL);
}

/* ------------------------------------------------------------------ */
/* 4. Processes that may not be traced                                  */

static void attach_refused(pid_t pid, const char *want, const char *what)
{
	struct h_res r;
	h_rc_run(H_ARGV("-p", h_fmt("%d", (int)pid)), &r, 5000, 0);
	cr_assert_eq(r.code, 1, "%s: renacer-c -p %d: %s (want 1)\n%s", what, (int)pid,
		     h_describe(&r), r.err);
	assert_one_line(r.err, what);
	cr_assert(strcasestr(r.err, want), "%s: message should say \"%s\": %s", what, want, r.err);
	cr_assert(strstr(r.err, h_fmt("%d", (int)pid)), "%s: message should name pid %d: %s", what,
		  (int)pid, r.err);
	h_rc_run(H_ARGV("-f", "-p", h_fmt("%d", (int)pid)), &r, 5000, 0);
	cr_assert_eq(r.code, 1, "%s: renacer-c -f -p %d: %s (want 1)\n%s", what, (int)pid,
		     h_describe(&r), r.err);
	assert_one_line(r.err, what);
}

/* Start fault_mtsleeper and return its pid. */
static pid_t start_mtsleeper(struct h_proc *sl)
{
	struct h_cmd sc = {.argv = H_ARGV(h_fixture("fault_mtsleeper")), .out = H_IO_PIPE};
	h_spawn(&sc, sl);
	const char *line = h_read_line(sl, 5000);
	pid_t pid = (pid_t)atoi(line);
	if (pid <= 0) {
		kill(-sl->pid, SIGKILL);
		cr_assert_fail("fault_mtsleeper printed no pid: '%s'", line);
	}
	return pid;
}

static bool wait_traced(pid_t pid, int ms)
{
	for (int waited = 0; waited < ms; waited += 20) {
		if (task_tracer(pid, h_fmt("%d", (int)pid)) > 0)
			return true;
		usleep(20 * 1000);
	}
	return false;
}

static void already_traced_by(const char *const *tracer_argv, const char *label)
{
	h_require_renacer();
	struct h_proc sl, other;
	pid_t pid = start_mtsleeper(&sl);
	struct h_cmd oc = {.argv = h_argv_join(tracer_argv, H_ARGV(h_fmt("%d", (int)pid))),
			   .envp = h_clean_env(),
			   .out = H_IO_NULL,
			   .err = H_IO_PIPE};
	h_spawn(&oc, &other);
	bool traced = wait_traced(pid, 5000);
	if (traced)
		usleep(100 * 1000); /* let it attach every thread */
	struct h_res r1, r2;
	h_rc_run(H_ARGV("-p", h_fmt("%d", (int)pid)), &r1, 5000, 0);
	h_rc_run(H_ARGV("-f", "-p", h_fmt("%d", (int)pid)), &r2, 5000, 0);
	kill(other.pid, SIGINT);
	struct h_res ores, sres;
	h_wait(&other, 5000, &ores);
	kill(pid, SIGTERM);
	h_wait(&sl, 5000, &sres);
	cr_assert(traced, "%s never attached to the fixture", label);
	cr_assert_eq(r1.code, 1, "-p on a process traced by %s: %s (want 1)\n%s", label,
		     h_describe(&r1), r1.err);
	assert_one_line(r1.err, h_fmt("-p on a process traced by %s", label));
	cr_assert(strstr(r1.err, "Operation not permitted") || strstr(r1.err, "EPERM") ||
			  strcasestr(r1.err, "already traced"),
		  "the message should say why (EPERM / already traced): %s", r1.err);
	cr_assert(strstr(r1.err, h_fmt("%d", (int)pid)), "message should name pid %d: %s",
		  (int)pid, r1.err);
	cr_assert_eq(r2.code, 1, "-f -p on a process traced by %s: %s (want 1)\n%s", label,
		     h_describe(&r2), r2.err);
	assert_one_line(r2.err, h_fmt("-f -p on a process traced by %s", label));
	/* the refused attempt did not disturb the first tracer's tracee */
	cr_assert(!sres.timed_out && sres.code == 0, "fixture after the refused attach: %s",
		  h_describe(&sres));
}

Test(faults, attach_refused_when_traced_by_another_renacer)
{
	h_require_renacer();
	already_traced_by(H_ARGV(h_renacer(), "-f", "-o", "/dev/null", "-p"), "renacer-c");
}

Test(faults, attach_refused_when_traced_by_strace)
{
	const char *st = h_which("strace");
	if (!st)
		cr_skip_test("strace is not installed");
	already_traced_by(H_ARGV(st, "-f", "-o", "/dev/null", "-p"), "strace");
}

Test(faults, attach_to_missing_pid)
{
	long max = 32768;
	char *pm = h_read_file("/proc/sys/kernel/pid_max", NULL);
	if (pm)
		max = strtol(pm, NULL, 10);
	pid_t pid = 0;
	for (long p = max - 1; p > 300; p--)
		if (kill((pid_t)p, 0) != 0 && errno == ESRCH) {
			pid = (pid_t)p;
			break;
		}
	cr_assert_gt(pid, 0, "no free pid found");
	attach_refused(pid, "no such process", "missing pid");
}

Test(faults, attach_to_itself)
{
	/* `exec renacer-c -p $$`: the tracer's pid is the one it is asked to trace */
	h_require_renacer();
	struct h_res r;
	struct h_cmd c = {.argv = H_ARGV("/bin/sh", "-c", "exec \"$0\" -p $$", h_renacer()),
			  .envp = h_clean_env(),
			  .out = H_IO_PIPE,
			  .err = H_IO_PIPE,
			  .timeout_ms = 5000};
	h_run(&c, &r);
	cr_assert(!r.timed_out, "renacer-c -p <itself> hung");
	cr_assert_eq(r.code, 1, "renacer-c -p <itself>: %s (want 1)\n%s", h_describe(&r), r.err);
	assert_one_line(r.err, "-p <itself>");
}

Test(faults, attach_to_kernel_thread)
{
	/* (not pid 1: that is whatever runs this machine, leave it alone) */
	DIR *d = opendir("/proc");
	cr_assert(d != NULL);
	pid_t kt = 0;
	struct dirent *de;
	while (!kt && (de = readdir(d)) != NULL) {
		char *end;
		long p = strtol(de->d_name, &end, 10);
		if (*end || p <= 1)
			continue;
		char *st = h_read_file(h_fmt("/proc/%ld/stat", p), NULL);
		char *q = st ? strrchr(st, ')') : NULL;
		if (!q)
			continue;
		/* after ") ": state ppid pgrp session tty_nr tpgid flags */
		unsigned long flags = 0;
		if (sscanf(q + 2, "%*c %*d %*d %*d %*d %*d %lu", &flags) == 1 &&
		    (flags & 0x00200000UL) /* PF_KTHREAD */)
			kt = (pid_t)p;
	}
	closedir(d);
	if (!kt)
		cr_skip_test("no kernel thread visible in /proc");
	struct h_res r;
	h_rc_run(H_ARGV("-p", h_fmt("%d", (int)kt)), &r, 5000, 0);
	cr_assert_eq(r.code, 1, "renacer-c -p <kernel thread %d>: %s (want 1)\n%s", (int)kt,
		     h_describe(&r), r.err);
	assert_one_line(r.err, "-p <kernel thread>");
}

/* An unprivileged user may not trace root's process: EPERM, said in one
 * line (with a word on kernel.yama.ptrace_scope where Yama is active). */
Test(faults, attach_refused_to_unprivileged_user)
{
	h_require_renacer();
	const char *setpriv = h_which("setpriv");
	if (geteuid() != 0 || !setpriv)
		cr_skip_test("needs root and setpriv(1) to run the tracer as another user");
	struct h_proc sl;
	pid_t pid = start_mtsleeper(&sl);
	struct h_res r, sres;
	struct h_cmd c = {.argv = H_ARGV(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
					 h_renacer(), "-f", "-p", h_fmt("%d", (int)pid)),
			  .envp = h_clean_env(),
			  .out = H_IO_PIPE,
			  .err = H_IO_PIPE,
			  .timeout_ms = 5000};
	h_run(&c, &r);
	kill(pid, SIGTERM);
	h_wait(&sl, 5000, &sres);
	cr_assert(!r.timed_out, "renacer-c -p as nobody hung");
	cr_assert_eq(r.code, 1, "renacer-c -p <root's process> as nobody: %s (want 1)\n%s",
		     h_describe(&r), r.err);
	assert_one_line(r.err, "-p as an unprivileged user");
	cr_assert(strstr(r.err, "Operation not permitted"), "the message should say EPERM: %s",
		  r.err);
	char *scope = h_read_file("/proc/sys/kernel/yama/ptrace_scope", NULL);
	if (scope && atoi(scope) >= 1)
		cr_assert(strstr(r.err, "ptrace_scope"),
			  "Yama is active (ptrace_scope %d): the message should mention "
			  "kernel.yama.ptrace_scope: %s",
			  atoi(scope), r.err);
	cr_assert(!sres.timed_out && sres.code == 0, "fixture after the refused attach: %s",
		  h_describe(&sres));
}

/* ------------------------------------------------------------------ */
/* 5. Output safety                                                     */

/* renacer-c ARGS... -- /bin/touch MARKER: did the tracee run? */
static void out_fails_before_run(const char *const *args, const char *named, const char *why,
				 const char *what)
{
	const char *marker = h_tmp_path("tracee-ran");
	unlink(marker);
	struct h_res r;
	h_rc_run(h_argv_join(args, H_ARGV("--", "/bin/touch", marker)), &r, 10000, 0);
	cr_assert_neq(r.code, 0, "%s: exit 0 although the output cannot be written", what);
	assert_one_line(r.err, what);
	cr_assert(strstr(r.err, named), "%s: message should name %s: %s", what, named, r.err);
	if (why)
		cr_assert(strstr(r.err, why), "%s: message should say \"%s\": %s", what, why, r.err);
	cr_assert_not(file_exists(marker), "%s: the tracee ran although the output failed", what);
}

Test(faults, output_into_missing_directory)
{
	const char *o = h_tmp_path("no/such/dir/trace");
	out_fails_before_run(H_ARGV("-o", o), o, "No such file or directory", "-o missing dir");
	out_fails_before_run(H_ARGV("--format", "json", "-o", o), o, "No such file or directory",
			     "--format json -o missing dir");
	cr_assert_not(file_exists(h_tmp_path("no")));
}

Test(faults, output_is_a_directory)
{
	const char *dir = h_tmp_path("adir");
	cr_assert_eq(mkdir(dir, 0755), 0);
	out_fails_before_run(H_ARGV("-o", dir), dir, "Is a directory", "-o DIR");
	/* structured: may trace and fail at the rename, but must fail, say
	 * so, and leave nothing behind */
	struct h_res r;
	h_rc_run(H_ARGV("--format", "json", "-o", dir, "--", "/bin/true"), &r, 10000, 0);
	cr_assert_neq(r.code, 0, "--format json -o DIR: exit 0");
	assert_one_line(r.err, "--format json -o DIR");
	cr_assert(strstr(r.err, dir), "message should name %s: %s", dir, r.err);
	struct stat st;
	cr_assert(stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "the directory was replaced");
	assert_no_tmp_leftovers(dir);
}

Test(faults, output_to_dev_full_text)
{
	struct h_res r;
	h_rc_run(H_ARGV("-o", "/dev/full", "--", "/bin/true"), &r, 10000, 0);
	cr_assert_neq(r.code, 0, "-o /dev/full: exit 0");
	assert_one_line(r.err, "-o /dev/full");
	cr_assert(strstr(r.err, "/dev/full"), "message should name /dev/full: %s", r.err);
	cr_assert(strstr(r.err, "No space left on device"),
		  "message should give the reason (No space left on device): %s", r.err);
	/* the summary too */
	h_rc_run(H_ARGV("-c", "-o", "/dev/full", "--", "/bin/true"), &r, 10000, 0);
	cr_assert_neq(r.code, 0, "-c -o /dev/full: exit 0");
	cr_assert(strstr(r.err, "/dev/full"), "message should name /dev/full: %s", r.err);
}

/* A private copy of /dev/full (never the real one: a tracer that renames
 * a temporary file into place would replace it). */
Test(faults, output_to_full_device_json)
{
	const char *dev = h_tmp_path("full");
	if (mknod(dev, S_IFCHR | 0666, makedev(1, 7)) != 0)
		cr_skip_test("cannot create a device node here: %s", strerror(errno));
	struct h_res r;
	h_rc_run(H_ARGV("--format", "json", "-o", dev, "--", "/bin/true"), &r, 10000, 0);
	struct stat st;
	bool still_dev = lstat(dev, &st) == 0 && S_ISCHR(st.st_mode);
	if (!still_dev)
		unlink(dev);
	cr_assert(still_dev, "--format json -o DEVICE replaced the device node with a file "
			     "(with -o /dev/full this would replace the system's /dev/full)");
	cr_assert_neq(r.code, 0, "--format json -o <full device>: exit 0\n%s", r.err);
	assert_one_line(r.err, "--format json -o <full device>");
	cr_assert(strstr(r.err, dev), "message should name %s: %s", dev, r.err);
	assert_no_tmp_leftovers(dev);
}

/* -o FIFO with a structured format writes into the FIFO (as the text
 * format does), it does not replace it. */
Test(faults, output_to_fifo_json)
{
	const char *fifo = h_tmp_path("fifo");
	cr_assert_eq(mkfifo(fifo, 0644), 0);
	const char *got = h_tmp_path("from-fifo.json");
	struct h_proc cat;
	struct h_cmd cc = {.argv = H_ARGV("cat", fifo), .out = H_IO_FILE, .out_path = got};
	h_spawn(&cc, &cat);
	struct h_res r, cres;
	h_rc_run(H_ARGV("--format", "json", "-o", fifo, "--", "/bin/true"), &r, 5000 ? 5000 : 10000, 0);
	struct stat st;
	bool still_fifo = lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode);
	if (!still_fifo) {
		/* unblock the reader */
		kill(cat.pid, SIGKILL);
	}
	h_wait(&cat, 3000, &cres);
	cr_assert(still_fifo, "--format json -o FIFO replaced the FIFO with a regular file");
	cr_assert_eq(r.code, 0, "%s\n%s", h_describe(&r), r.err);
	cr_assert(!cres.timed_out, "nothing was written into the FIFO");
	cJSON_Delete(parse_json_file(got));
	assert_no_tmp_leftovers(fifo);
}

/* Read-only trace file: run as an unprivileged user (root writes 0444
 * files anyway). */
static const char *const *as_nobody(const char *const *argv)
{
	if (geteuid() != 0)
		return argv;
	const char *setpriv = h_which("setpriv");
	if (!setpriv)
		cr_skip_test("running as root and setpriv is missing: cannot test a read-only file");
	return h_argv_join(H_ARGV(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"),
			   argv);
}

static void readonly_case(bool json)
{
	h_require_renacer();
	/* a directory the unprivileged user owns, with a 0444 file in it */
	cr_assert_eq(chmod(h_tmpdir(), 0755), 0);
	const char *dir = h_tmp_path("rodir");
	cr_assert_eq(mkdir(dir, 0755), 0);
	const char *f = h_fmt("%s/trace", dir), *marker = h_fmt("%s/tracee-ran", dir);
	h_write_file(f, "ORIGINAL\n", 9);
	cr_assert_eq(chmod(f, 0444), 0);
	if (geteuid() == 0) {
		cr_assert_eq(chown(dir, 65534, 65534), 0);
		cr_assert_eq(chown(f, 65534, 65534), 0);
	}
	const char *const *args =
		json ? H_ARGV(h_renacer(), "--format", "json", "-o", f, "--", "/bin/touch", marker)
		     : H_ARGV(h_renacer(), "-o", f, "--", "/bin/touch", marker);
	struct h_res r;
	struct h_cmd c = {.argv = as_nobody(args),
			  .envp = h_clean_env(),
			  .out = H_IO_PIPE,
			  .err = H_IO_PIPE,
			  .timeout_ms = 10000};
	h_run(&c, &r);
	cr_assert(!r.timed_out);
	const char *what = json ? "--format json -o READONLY" : "-o READONLY";
	cr_assert_str_eq(h_slurp(f, NULL), "ORIGINAL\n", "%s: the read-only file was overwritten",
			 what);
	struct stat st;
	cr_assert(stat(f, &st) == 0 && (st.st_mode & 0777) == 0444,
		  "%s: the read-only file was replaced (mode now %o)", what, st.st_mode & 0777);
	cr_assert_neq(r.code, 0, "%s: exit 0", what);
	assert_one_line(r.err, what);
	cr_assert(strstr(r.err, f), "%s: message should name %s: %s", what, f, r.err);
	cr_assert(strstr(r.err, "Permission denied"), "%s: message should say why: %s", what, r.err);
	cr_assert_not(file_exists(marker), "%s: the tracee ran although the output failed", what);
	assert_no_tmp_leftovers(f);
}

Test(faults, output_read_only_file_text)
{
	readonly_case(false);
}

Test(faults, output_read_only_file_json)
{
	readonly_case(true);
}

/* A small filesystem of our own (private mount namespace): a trace that
 * does not fit (ENOSPC), and a read-only mount (EROFS).  The script runs
 * renacer-c inside the namespace and prints what is left on the mount. */
static const char fs_script[] =
	"d=$1; mode=$2; shift 2\n"
	"mount -t tmpfs -o size=16k renacer-fault \"$d\" || exit 200\n"
	"if [ \"$mode\" = ro ]; then\n"
	"  echo ORIGINAL > \"$d/trace\" && mount -o remount,ro \"$d\" || exit 200\n"
	"fi\n"
	"\"$@\"\n"
	"echo \"rc=$?\"\n"
	"ls -A \"$d\" | sed 's/^/ls:/'\n"
	"[ -f \"$d/trace\" ] && head -c 64 \"$d/trace\" | sed 's/^/content:/'\n"
	"exit 0\n";

static const char *fs_case(const char *mode, const char *const *rargs, struct h_res *r)
{
	const char *unshare = h_which("unshare");
	if (!unshare || geteuid() != 0)
		cr_skip_test("needs root and unshare(1) for a private tmpfs");
	const char *mnt = h_tmp_path(h_fmt("mnt-%s", mode));
	cr_assert(mkdir(mnt, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", mnt, strerror(errno));
	const char *trace = h_fmt("%s/trace", mnt);
	const char *const *inner = h_argv_join(H_ARGV(h_renacer()), rargs);
	/* "-o @" in RARGS stands for the trace path */
	const char **v = (const char **)h_argv_join(inner, NULL);
	for (size_t i = 0; v[i]; i++)
		if (!strcmp(v[i], "@"))
			v[i] = trace;
	struct h_cmd c = {.argv = h_argv_join(H_ARGV(unshare, "--mount", "--propagation", "private",
						     "/bin/sh", "-c", fs_script, "sh", mnt, mode),
					      v),
			  .envp = h_clean_env(),
			  .out = H_IO_PIPE,
			  .err = H_IO_PIPE,
			  .timeout_ms = 15000};
	h_run(&c, r);
	cr_assert(!r->timed_out, "timed out:\n%s", r->err);
	if (r->code != 0 || !strstr(r->out, "rc="))
		cr_skip_test("cannot mount a private tmpfs here (%s): %.300s", h_describe(r), r->err);
	return trace;
}

static int fs_rc(const struct h_res *r)
{
	const char *p = strstr(r->out, "rc=");
	return p ? atoi(p + 3) : -1;
}

/* The names the script listed on the mount, each followed by a space. */
static const char *fs_listing(const struct h_res *r)
{
	const char *out = "";
	for (const char *p = r->out; (p = strstr(p, "ls:")) != NULL; p += 3) {
		const char *e = strchr(p, '\n');
		out = h_fmt("%s%.*s ", out, (int)(e ? e - p - 3 : (long)strlen(p + 3)), p + 3);
	}
	return out;
}

Test(faults, output_filesystem_full_json)
{
	struct h_res r;
	fs_case("full", H_ARGV("--format", "json", "-o", "@", "--", h_fixture("getppid_many"), "3000"),
		&r);
	cr_assert_str_eq(fs_listing(&r), "",
			 "files left on the full filesystem (half-written trace or temporary): %s",
			 fs_listing(&r));
	cr_assert_neq(fs_rc(&r), 0, "--format json -o <full fs>: exit 0\n%s", r.err);
	cr_assert(strstr(r.err, "No space left on device"), "message should say why: %s", r.err);
	assert_one_line(r.err, "--format json -o <full fs>");
}

Test(faults, output_filesystem_full_text)
{
	struct h_res r;
	fs_case("full", H_ARGV("-o", "@", "--", h_fixture("getppid_many"), "3000"), &r);
	cr_assert_neq(fs_rc(&r), 0, "-o <full fs>: exit 0\n%s", r.err);
	assert_one_line(r.err, "-o <full fs>");
	cr_assert(strstr(r.err, "No space left on device"), "message should say why: %s", r.err);
}

Test(faults, output_read_only_filesystem)
{
	struct h_res r;
	fs_case("ro", H_ARGV("-o", "@", "--", "/bin/true"), &r);
	cr_assert_neq(fs_rc(&r), 0, "-o <read-only fs>: exit 0");
	assert_one_line(r.err, "-o <read-only fs>");
	cr_assert(strstr(r.err, "Read-only file system"), "message should say why: %s", r.err);
	cr_assert(strstr(r.out, "content:ORIGINAL"), "the file changed:\n%s", r.out);
	fs_case("ro", H_ARGV("--format", "json", "-o", "@", "--", "/bin/true"), &r);
	cr_assert_neq(fs_rc(&r), 0, "--format json -o <read-only fs>: exit 0");
	assert_one_line(r.err, "--format json -o <read-only fs>");
	cr_assert(strstr(r.err, "Read-only file system"), "message should say why: %s", r.err);
	cr_assert(strstr(r.out, "content:ORIGINAL"), "the file changed:\n%s", r.out);
	cr_assert_str_eq(fs_listing(&r), "trace ", "files on the read-only fs: %s", fs_listing(&r));
}
