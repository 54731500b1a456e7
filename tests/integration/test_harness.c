/* test_harness.c — the harness's own parser, normaliser and runner, on
 * fixed inputs (no tracer needed).  If these fail, every other failure in
 * this binary is suspect. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(harness, .init = h_init, .fini = h_cleanup, .timeout = 30);

/* strace -f -o style, with an unfinished/resumed pair, a signal, exits */
static const char strace_text[] =
	"4242  execve(\"/bin/x\", [\"x\"], 0x7ffd /* 3 vars */) = 0\n"
	"4242  brk(NULL)                         = 0x55b1cbec6000\n"
	"4242  openat(AT_FDCWD, \"/nope\", O_RDONLY) = -1 ENOENT (No such file or directory)\n"
	"4242  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD) = 4243\n"
	"4243  set_robust_list(0x7f, 24 <unfinished ...>\n"
	"4242  wait4(4243,  <unfinished ...>\n"
	"4243  <... set_robust_list resumed>)    = 0\n"
	"4243  write(1, \"a = b\\n\", 6)          = 6\n"
	"4243  futex(0x7f, FUTEX_WAKE, 1)        = 0\n"
	"4243  getpid()                          = 4243\n"
	"4243  exit_group(0)                     = ?\n"
	"4243  +++ exited with 0 +++\n"
	"4242  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 4243\n"
	"4242  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4243} ---\n"
	"4242  fcntl(3, F_GETFL)                 = 0x2 (flags O_RDWR)\n"
	"4242  read(0, \"\", 10)                   = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n"
	"4242  rt_sigreturn({mask=[]})           = 0\n"
	"4242  read(0, \"\", 10)                   = 0\n"
	"4242  exit_group(3)                     = ?\n"
	"4242  +++ exited with 3 +++\n";

/* the same run as renacer-c writes it: complete lines at exit time,
 * "[pid N] " prefixes, other pids, child first */
static const char renacer_text[] =
	"[pid   100] execve(\"/bin/x\", [\"x\"], 0x7ffd /* 3 vars */) = 0\n"
	"[pid   100] brk(NULL)                   = 0x5600000\n"
	"[pid   100] openat(AT_FDCWD, \"/nope\", O_RDONLY) = -1 ENOENT (No such file or directory)\n"
	"[pid   100] clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD) = 7\n"
	"[pid     7] set_robust_list(0x7f, 24)   = 0\n"
	"[pid     7] write(1, \"a = b\\n\", 6)    = 6\n"
	"[pid     7] getpid()                    = 7\n"
	"[pid     7] exit_group(0)               = ?\n"
	"[pid     7] +++ exited with 0 +++\n"
	"[pid   100] wait4(7, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 7\n"
	"[pid   100] --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7} ---\n"
	"[pid   100] fcntl(3, F_GETFL)           = 2\n"
	"[pid   100] read(0, \"\", 10)             = 0\n"
	"[pid   100] exit_group(3)               = ?\n"
	"[pid   100] +++ exited with 3 +++\n";

Test(harness, parses_strace_f_output)
{
	struct h_trace *t = h_parse_trace(strace_text, sizeof strace_text - 1);
	cr_assert_eq(t->ntasks, 2);
	cr_assert_eq(t->tasks[0].pid, 4242);
	cr_assert_eq(t->tasks[1].pid, 4243);
	/* unfinished + resumed are one call */
	cr_assert_eq(t->tasks[1].ncalls, 5, "got %zu", t->tasks[1].ncalls);
	cr_assert_str_eq(t->tasks[1].calls[0].name, "set_robust_list");
	cr_assert_str_eq(t->tasks[1].calls[0].result, "0");
	cr_assert_str_eq(t->tasks[1].calls[1].name, "write");
	cr_assert_str_eq(t->tasks[1].calls[1].result, "6");
	cr_assert_str_eq(t->tasks[0].calls[4].name, "wait4");
	cr_assert_str_eq(t->tasks[0].calls[4].result, "4243");
	cr_assert_str_eq(t->tasks[1].last_exit, "+++ exited with 0 +++");
	cr_assert_eq(t->tasks[0].nevents, 2);
	cr_assert_eq(h_count_calls(t, "read"), 2);
	cr_assert_eq(h_count_calls(t, "wait4"), 1);
	/* column of "=" in a pid-prefixed strace line */
	cr_assert_eq(t->lines[1].eq_col, 40);
}

Test(harness, renacer_style_equals_strace_style)
{
	struct h_trace *a = h_parse_trace(strace_text, sizeof strace_text - 1);
	struct h_trace *b = h_parse_trace(renacer_text, sizeof renacer_text - 1);
	cr_assert_eq(b->ntasks, 2);
	cr_assert(b->lines[0].bracket_pid);
	const char *report;
	cr_assert(h_compare_traces(a, "strace", b, "renacer", &report), "%s", report);
}

Test(harness, detects_a_different_errno)
{
	struct h_trace *a = h_parse_trace(strace_text, sizeof strace_text - 1);
	char *mod = h_keep(strdup(renacer_text));
	cr_assert(mod != NULL);
	char *p = strstr(mod, "ENOENT (No such file or directory)");
	cr_assert(p != NULL);
	memcpy(p, "EACCES", 6);
	struct h_trace *b = h_parse_trace(mod, strlen(mod));
	const char *report;
	cr_assert_not(h_compare_traces(a, "strace", b, "renacer", &report));
	cr_assert(strstr(report, "openat = ENOENT") && strstr(report, "openat = EACCES"), "%s",
		  report);
}

Test(harness, detects_a_missing_call_and_a_missing_task)
{
	struct h_trace *a = h_parse_trace(strace_text, sizeof strace_text - 1);
	static const char one[] = "execve(\"/bin/x\", [\"x\"], 0x7ffd /* 3 vars */) = 0\n"
				  "exit_group(3)                           = ?\n"
				  "+++ exited with 3 +++\n";
	struct h_trace *b = h_parse_trace(one, sizeof one - 1);
	cr_assert_eq(b->ntasks, 1);
	cr_assert_eq(b->tasks[0].pid, 0);
	const char *report;
	cr_assert_not(h_compare_traces(a, "strace", b, "renacer", &report));
	cr_assert(strstr(report, "task only in strace"), "%s", report);
	cr_assert(strstr(report, "brk = addr"), "%s", report);
}

Test(harness, normalises_results)
{
	char b[64];
	cr_assert_str_eq(h_norm_result("mmap", "0x7f0f73645000", b, sizeof b), "addr");
	cr_assert_str_eq(h_norm_result("brk", "0x55b1cbec6000", b, sizeof b), "addr");
	cr_assert_str_eq(h_norm_result("mmap", "-1 ENOMEM (Cannot allocate memory)", b, sizeof b),
			 "ENOMEM");
	cr_assert_str_eq(h_norm_result("fcntl", "0x2 (flags O_RDWR)", b, sizeof b), "2");
	cr_assert_str_eq(h_norm_result("openat", "-1 ENOENT (No such file or directory)", b,
				       sizeof b),
			 "ENOENT");
	cr_assert_str_eq(h_norm_result("exit_group", "?", b, sizeof b), "?");
	cr_assert_str_eq(h_norm_result("getpid", "4242", b, sizeof b), "pid");
	cr_assert_str_eq(h_norm_result("clone3", "4243", b, sizeof b), "pid");
	cr_assert_str_eq(h_norm_result("set_tid_address", "4242", b, sizeof b), "pid");
	cr_assert_str_eq(h_norm_result("clock_gettime", "0", b, sizeof b), "ok");
	cr_assert_str_eq(h_norm_result("times", "1718123", b, sizeof b), "ok");
	cr_assert_str_eq(h_norm_result("read", "832", b, sizeof b), "832");
	cr_assert_str_eq(h_norm_result("read", NULL, b, sizeof b), "?");
	cr_assert(h_call_ignored("futex", "0"));
	cr_assert(h_call_ignored("rt_sigreturn", "0"));
	cr_assert(h_call_ignored("wait4", "? ERESTARTSYS (To be restarted if SA_RESTART is set)"));
	cr_assert(h_call_ignored("nanosleep", "-1 ERESTART_RESTARTBLOCK (Interrupted by signal)"));
	cr_assert_not(h_call_ignored("read", "-1 EINTR (Interrupted system call)"));
}

Test(harness, parses_prefixes_timestamps_durations)
{
	static const char text[] =
		"12:34:56 getpid()                      = 1\n"
		"12:34:56.123456 write(1, \"x\", 1)        = 1 <0.000012>\n"
		"1700000000.123456 close(3)             = 0\n"
		"     0.000123 close(4)                 = -1 EBADF (Bad file descriptor)\n"
		"[pid  4242] 12:34:56.123456 read(3, \"\", 1) = 0 <0.000001>\n"
		"renacer-c: some message\n"
		"4242  --- SIGUSR1 {si_signo=SIGUSR1} ---\n";
	struct h_trace *t = h_parse_trace(text, sizeof text - 1);
	cr_assert_eq(t->nlines, 7);
	cr_assert_str_eq(t->lines[0].ts, "12:34:56");
	cr_assert_str_eq(t->lines[0].name, "getpid");
	cr_assert_str_eq(t->lines[1].ts, "12:34:56.123456");
	cr_assert_str_eq(t->lines[1].dur, "0.000012");
	cr_assert_str_eq(t->lines[1].result, "1");
	cr_assert_str_eq(t->lines[2].ts, "1700000000.123456");
	cr_assert_str_eq(t->lines[3].ts, "0.000123");
	cr_assert_str_eq(t->lines[3].result, "-1 EBADF (Bad file descriptor)");
	cr_assert_eq(t->lines[4].pid, 4242);
	cr_assert_str_eq(t->lines[4].ts, "12:34:56.123456");
	cr_assert_str_eq(t->lines[4].dur, "0.000001");
	cr_assert_eq(t->lines[5].kind, H_LINE_OTHER);
	cr_assert_eq(t->lines[6].kind, H_LINE_SIGNAL);
	cr_assert_eq(t->lines[6].pid, 4242);
}

Test(harness, parses_a_summary_table)
{
	static const char table[] =
		"% time     seconds  usecs/call     calls    errors syscall\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		" 18.96    0.000411          12        34        13 openat\n"
		" 18.18    0.000394         394         1           execve\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"100.00    0.002168          14       145        19 total\n";
	const char *why;
	struct h_summary *s = h_parse_summary(table, &why);
	cr_assert(s != NULL, "%s", why);
	cr_assert_eq(s->nrows, 2);
	cr_assert_str_eq(s->rows[0].name, "openat");
	cr_assert_eq(s->rows[0].calls, 34);
	cr_assert_eq(s->rows[0].errors, 13);
	cr_assert_eq(s->rows[1].errors, 0);
	cr_assert_eq(s->total.calls, 145);
	cr_assert(h_summary_find(s, "execve") != NULL);

	/* one space too few in a row */
	static const char bad[] =
		"% time     seconds  usecs/call     calls    errors syscall\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		" 18.96    0.000411          12       34        13 openat\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"100.00    0.002168          14       145        19 total\n";
	cr_assert_null(h_parse_summary(bad, &why));
	cr_assert(strstr(why, "layout"), "%s", why);
}

Test(harness, runs_commands_with_status_output_and_timeout)
{
	struct h_res r;
	struct h_cmd c = {.argv = H_ARGV("sh", "-c", "printf 'out\\n'; printf err >&2; exit 42"),
			  .out = H_IO_PIPE,
			  .err = H_IO_PIPE};
	h_run(&c, &r);
	cr_assert_eq(r.code, 42);
	cr_assert_str_eq(r.out, "out\n");
	cr_assert_str_eq(r.err, "err");

	struct h_cmd k = {.argv = H_ARGV("sh", "-c", "kill -SEGV $$")};
	h_run(&k, &r);
	cr_assert_eq(r.code, 128 + 11, "%s", h_describe(&r));

	struct h_cmd slow = {.argv = H_ARGV("sleep", "10"), .timeout_ms = 300};
	h_run(&slow, &r);
	cr_assert(r.timed_out);
	cr_assert_lt(r.secs, 3.0);

	struct h_cmd missing = {.argv = H_ARGV("/nonexistent/prog")};
	h_run(&missing, &r);
	cr_assert_eq(r.code, 127);
	cr_assert_neq(r.exec_errno, 0);

	const char *f = h_tmp_path("x.txt");
	struct h_cmd tofile = {.argv = H_ARGV("echo", "hi"), .out = H_IO_FILE, .out_path = f};
	h_run(&tofile, &r);
	cr_assert_str_eq(h_slurp(f, NULL), "hi\n");
	cr_assert_str_eq(h_argv_str(H_ARGV("sh", "-c", "it's")), "sh -c 'it'\\''s'");
}
