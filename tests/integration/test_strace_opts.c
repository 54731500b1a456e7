/* test_strace_opts.c — strace's options with strace's meaning (issue 13),
 * through the real binary. Where strace 6.1 has the option, its output is
 * the oracle (pids, addresses and instruction pointers normalised). Each
 * option that changes tracing runs a multi-process program (sh, a signal,
 * a child) and checks its stdout and exit status are unchanged. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <pwd.h>
#include <sys/stat.h>

#include "harness.h"

TestSuite(strace_opts, .init = h_init, .fini = h_cleanup, .timeout = 120);

/* sh traps SIGUSR1, signals itself, runs a child, exits 3 */
#define PROG_SH "trap 'echo got' USR1; kill -USR1 $$; /bin/echo child; exit 3"
#define PROG_OUT "got\nchild\n"
#define PROG_RC 3

/* TOOL ARGS... -- sh -c PROG_SH; checks the program's stdout and status. */
static void run_prog(const char *tool, const char *const *args, struct h_res *r)
{
	struct h_cmd c = {
		.argv = h_argv_join(h_argv_join(H_ARGV(tool), args), H_ARGV("sh", "-c", PROG_SH)),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_run(&c, r);
	cr_assert(!r->timed_out, "%s %s: timed out", tool, h_argv_str(args));
	cr_expect_eq(r->code, PROG_RC, "%s %s: the program's exit status changed: %s\n%s", tool,
		     h_argv_str(args), h_describe(r), r->err);
	cr_expect_str_eq(r->out, PROG_OUT, "%s %s: the program's stdout changed", tool, h_argv_str(args));
}

/* renacer-c ARGS (no program), for usage errors */
static void run_rc(const char *const *args, struct h_res *r)
{
	h_rc_run(args, r, 0, 0);
}

/* Is s[i..) a whole decimal word equal to one of pids[0..n)? Its length
 * in *len. */
static bool is_pid_word(const char *s, size_t i, const long *pids, size_t n, size_t *len)
{
	if (!isdigit((unsigned char)s[i]) || (i > 0 && isalnum((unsigned char)s[i - 1])))
		return false;
	size_t j = i;
	while (isdigit((unsigned char)s[j]))
		j++;
	if (isalnum((unsigned char)s[j]))
		return false;
	long v = strtol(s + i, NULL, 10);
	for (size_t k = 0; k < n; k++)
		if (pids[k] == v) {
			*len = j - i;
			return true;
		}
	return false;
}

/* Pids, addresses and instruction pointers out: the pids that start lines
 * ("1234  call(...)") become '#' wherever they appear as a word (so a
 * machine with short pids normalises too), and every run of 4+ hex
 * digits (with an optional 0x) becomes '#'. */
static char *norm(const char *s)
{
	long pids[256];
	size_t np = 0;
	for (const char *l = s; *l && np < 256; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		char *end;
		long v = strtol(l, &end, 10);
		if (end != l && isdigit((unsigned char)*l) && *end == ' ')
			pids[np++] = v;
	}
	size_t n = strlen(s);
	char *o = h_keep(malloc(n + 1));
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t plen;
		if (is_pid_word(s, i, pids, np, &plen)) {
			o[k++] = '#';
			i += plen;
			continue;
		}
		size_t j = i;
		if (s[j] == '0' && s[j + 1] == 'x')
			j += 2;
		size_t h = j;
		while (isxdigit((unsigned char)s[h]))
			h++;
		bool word_start = i == 0 || !isalnum((unsigned char)s[i - 1]);
		if (word_start && h - j >= 4 && !isalnum((unsigned char)s[h])) {
			o[k++] = '#';
			i = h;
			continue;
		}
		o[k++] = s[i++];
	}
	o[k] = '\0';
	return o;
}

static bool need_strace(void)
{
	if (!h_have_strace())
		cr_skip_test("strace is not installed (the oracle)");
	h_require_renacer();
	return true;
}

/* Both tracers with OPTS -o FILE on the program; their files, normalised,
 * must be equal. */
static void same_as_strace(const char *const *opts)
{
	need_strace();
	const char *so = h_tmp_path("strace.out"), *ro = h_tmp_path("renacer.out");
	struct h_res r;
	run_prog(h_which("strace"), h_argv_join(opts, H_ARGV("-o", so)), &r);
	run_prog(h_renacer(), h_argv_join(opts, H_ARGV("-o", ro)), &r);
	const char *a = norm(h_slurp(so, NULL)), *b = norm(h_slurp(ro, NULL));
	cr_expect_str_eq(b, a, "renacer-c %s differs from strace:\n--- strace\n%s--- renacer-c\n%s",
			 h_argv_str(opts), a, b);
}

static void usage_error_bare(const char *const *args, const char *want)
{
	struct h_res r;
	run_rc(args, &r);
	cr_expect_eq(r.code, 2, "renacer-c %s: %s, not exit 2", h_argv_str(args), h_describe(&r));
	cr_expect(strstr(r.err, want), "renacer-c %s: stderr lacks '%s':\n%s", h_argv_str(args), want, r.err);
}

static void usage_error(const char *const *args, const char *want)
{
	struct h_res r;
	run_rc(h_argv_join(args, H_ARGV("true")), &r);
	cr_expect_eq(r.code, 2, "renacer-c %s: %s, not exit 2", h_argv_str(args), h_describe(&r));
	cr_expect(strstr(r.err, want), "renacer-c %s: stderr lacks '%s':\n%s", h_argv_str(args), want, r.err);
}

/* ------------------------------------------------------------------ */

Test(strace_opts, columns_a)
{
	same_as_strace(H_ARGV("-f", "-a", "20", "-e", "trace=kill,exit_group"));
	same_as_strace(H_ARGV("-f", "--columns=60", "-e", "trace=kill,exit_group"));
	usage_error(H_ARGV("-a", "x"), "invalid -a argument: 'x'");
	usage_error_bare(H_ARGV("-a"), "option requires an argument -- 'a'");
	usage_error_bare(H_ARGV("--columns"), "option '--columns' requires an argument");
}

Test(strace_opts, syscall_number_and_instruction_pointer)
{
	/* a signal line shows the task's last syscall: only SIGUSR1's, which
	 * follows the traced kill (an untraced call is not seen by renacer-c;
	 * wait4 would race with the child's exit) */
	same_as_strace(H_ARGV("-f", "-n", "-i", "-e", "signal=SIGUSR1", "-e", "trace=kill,exit_group"));
	same_as_strace(H_ARGV("-f", "--syscall-number", "-e", "signal=USR1", "-e", "trace=kill,exit_group"));
}

Test(strace_opts, signal_set)
{
	same_as_strace(H_ARGV("-f", "-e", "signal=none", "-e", "trace=kill,exit_group"));
	same_as_strace(H_ARGV("-f", "-e", "signal=SIGUSR1", "-e", "trace=kill"));
	same_as_strace(H_ARGV("-f", "--signal=!USR1", "-e", "trace=kill"));
	usage_error(H_ARGV("-e", "signal=foo"), "invalid signal 'foo'");
}

Test(strace_opts, quiet_levels)
{
	same_as_strace(H_ARGV("-f", "-qq", "-e", "trace=kill,exit_group"));
	same_as_strace(H_ARGV("-f", "-qqq", "-e", "trace=kill,exit_group"));
	same_as_strace(H_ARGV("-f", "--quiet=exit", "-e", "trace=kill,exit_group"));
	same_as_strace(H_ARGV("-f", "-e", "quiet=attach,exit", "-e", "trace=kill,exit_group"));
	usage_error(H_ARGV("--quiet=foo"), "invalid quiet 'foo'");
}

Test(strace_opts, follow_to_a_file_prefixes_pid)
{
	same_as_strace(H_ARGV("-f", "-e", "trace=kill,execve,exit_group"));
	same_as_strace(H_ARGV("--follow-forks", "--trace=kill,exit_group", "--successful-only"));
}

Test(strace_opts, long_aliases)
{
	same_as_strace(H_ARGV("--follow-forks", "--trace=kill,exit_group", "--quiet=attach",
			      "--string-limit=4"));
	same_as_strace(H_ARGV("-f", "--trace=kill", "--failed-only"));
	/* --output with a space, --summary-only: the table is printed */
	need_strace();
	const char *o = h_tmp_path("sum.out");
	struct h_res r;
	run_prog(h_renacer(), H_ARGV("--follow-forks", "--summary-only", "--summary-wall-clock",
				     "--summary-sort-by", "calls", "--output", o),
		 &r);
	const char *t = h_slurp(o, NULL);
	cr_expect(strstr(t, "% time") && strstr(t, "kill"), "no -c table in %s:\n%s", o, t);
}

Test(strace_opts, string_limit_s_number)
{
	/* -s N, -sN and --string-limit N are strace's string limit */
	same_as_strace(H_ARGV("-f", "-s", "2", "-e", "trace=write"));
	same_as_strace(H_ARGV("-f", "-s3", "-e", "trace=write"));
	same_as_strace(H_ARGV("-f", "--string-limit", "1", "-e", "trace=write"));
	/* -s followed by an option is renacer's --source: no limit */
	h_require_renacer();
	const char *o = h_tmp_path("src.out");
	struct h_res r;
	run_prog(h_renacer(), H_ARGV("-f", "-s", "-e", "trace=write", "-o", o), &r);
	const char *t = h_slurp(o, NULL);
	cr_expect(strstr(t, "\"child\\n\""), "-s -e ...: the string was cut:\n%s", t);
}

/* -P PATH and --trace-fds: the same calls as strace shows */
#define PROG_FILE "cat /etc/hostname > /dev/null; /bin/echo child; exit 3"

static void same_as_strace_file(const char *const *opts)
{
	need_strace();
	if (access("/etc/hostname", R_OK) != 0)
		cr_skip_test("no /etc/hostname");
	const char *so = h_tmp_path("pt.strace"), *ro = h_tmp_path("pt.renacer");
	const char *tools[2] = {h_which("strace"), h_renacer()};
	const char *outs[2] = {so, ro};
	for (int k = 0; k < 2; k++) {
		struct h_res r;
		struct h_cmd c = {
			.argv = h_argv_join(h_argv_join(H_ARGV(tools[k]), opts),
					    H_ARGV("-o", outs[k], "sh", "-c", PROG_FILE)),
			.envp = h_clean_env(),
			.out = H_IO_PIPE,
			.err = H_IO_PIPE,
		};
		h_run(&c, &r);
		cr_assert(!r.timed_out);
		cr_expect_eq(r.code, 3, "%s: exit status changed: %s", tools[k], h_describe(&r));
		cr_expect_str_eq(r.out, "child\n", "%s: stdout changed", tools[k]);
	}
	const char *a = norm(h_slurp(so, NULL)), *b = norm(h_slurp(ro, NULL));
	cr_expect_str_eq(b, a, "renacer-c %s differs from strace:\n--- strace\n%s--- renacer-c\n%s",
			 h_argv_str(opts), a, b);
}

Test(strace_opts, trace_path_P)
{
	same_as_strace_file(H_ARGV("-f", "-P", "/etc/hostname", "-e", "trace=openat,read,close"));
	same_as_strace_file(H_ARGV("-f", "--trace-path=/etc/hostname", "-P", "/nonexistent", "-e",
				   "trace=openat,read,close,exit_group"));
	/* a symbolic link: the resolved path matches too, with strace's notice */
	const char *link = h_tmp_path("hn.link");
	cr_assert(symlink("/etc/hostname", link) == 0);
	struct h_res r;
	run_prog(h_renacer(), H_ARGV("-f", "-P", link, "-e", "trace=kill"), &r);
	cr_expect(strstr(r.err, h_fmt("Requested path \"%s\" resolved into \"/etc/hostname\"", link)), "%s", r.err);
	run_prog(h_renacer(), H_ARGV("-f", "--quiet=path-resolution", "-P", link, "-e", "trace=kill"), &r);
	cr_expect(!strstr(r.err, "Requested path"), "%s", r.err);
	usage_error_bare(H_ARGV("-P"), "option requires an argument -- 'P'");
}

Test(strace_opts, trace_fds)
{
	h_require_renacer();
	const char *o = h_tmp_path("fds.out");
	struct h_res r;
	run_prog(h_renacer(), H_ARGV("-f", "--trace-fds=1", "-e", "trace=write,kill", "-o", o), &r);
	const char *t = h_slurp(o, NULL);
	cr_expect(strstr(t, "write(1, \"child\\n\", 6)") && !strstr(t, "kill("), "--trace-fds=1:\n%s", t);
	run_prog(h_renacer(), H_ARGV("-f", "-e", "trace-fds=!1", "-e", "trace=write", "-o", o), &r);
	t = h_slurp(o, NULL);
	cr_expect(!strstr(t, "write(1,"), "-e trace-fds=!1:\n%s", t);
	usage_error(H_ARGV("--trace-fds=x"), "invalid --trace-fds argument 'x'");
}

/* -x, -xx, --strings-in-hex: a write with a control byte, as strace */
Test(strace_opts, strings_in_hex)
{
	need_strace();
	static const char *const modes[] = {"-x", "-xx", "--strings-in-hex=non-ascii-chars",
					    "--strings-in-hex=non-ascii", "--strings-in-hex"};
	for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		const char *outs[2] = {h_tmp_path("x.strace"), h_tmp_path("x.renacer")};
		const char *tools[2] = {h_which("strace"), h_renacer()};
		for (int k = 0; k < 2; k++) {
			struct h_res r;
			struct h_cmd c = {
				.argv = H_ARGV(tools[k], "-f", modes[m], "-e", "trace=write", "-o", outs[k], "sh", "-c",
					       "printf 'a\\tb\\001\\n'; /bin/echo child; exit 3"),
				.envp = h_clean_env(),
				.out = H_IO_PIPE,
				.err = H_IO_PIPE,
			};
			h_run(&c, &r);
			cr_assert(!r.timed_out);
			cr_expect_eq(r.code, 3, "%s %s: %s", tools[k], modes[m], h_describe(&r));
			cr_expect_str_eq(r.out, "a\tb\001\nchild\n", "%s %s: stdout changed", tools[k], modes[m]);
		}
		const char *a = norm(h_slurp(outs[0], NULL)), *b = norm(h_slurp(outs[1], NULL));
		cr_expect_str_eq(b, a, "%s differs from strace:\n--- strace\n%s--- renacer-c\n%s", modes[m], a, b);
	}
	usage_error(H_ARGV("--strings-in-hex=bogus"), "invalid --strings-in-hex argument: 'bogus'");
}

/* -e read=SET / -e write=SET: hex and ASCII dumps, as strace prints them */
Test(strace_opts, read_write_dumps)
{
	same_as_strace(H_ARGV("-f", "-e", "write=1", "-e", "trace=write"));
	same_as_strace(H_ARGV("-f", "--write=all", "-e", "trace=write,kill"));
	same_as_strace(H_ARGV("-f", "-e", "write=!1", "-e", "trace=write"));
	same_as_strace_file(H_ARGV("-f", "-e", "read=all", "-P", "/etc/hostname", "-e", "trace=read"));
	usage_error(H_ARGV("-e", "read=x"), "invalid -e read argument 'x'");
}

/* -E, -u and --argv0 shape the program renacer-c starts, as strace's */
Test(strace_opts, startup_env_user_argv0)
{
	need_strace();
	const char *tools[2] = {h_which("strace"), h_renacer()};
	const char *out[2];
	for (int k = 0; k < 2; k++) {
		struct h_res r;
		struct h_cmd c = {
			.argv = H_ARGV(tools[k], "-f", "-qq", "-e", "trace=none", "-E", "RC_FOO=bar", "-E", "HOME", "sh",
				       "-c", "/bin/echo $RC_FOO ${HOME:-nohome}; exit 3"),
			.envp = h_clean_env(),
			.out = H_IO_PIPE,
			.err = H_IO_PIPE,
		};
		h_run(&c, &r);
		cr_assert(!r.timed_out);
		cr_expect_eq(r.code, 3, "%s -E: %s", tools[k], h_describe(&r));
		out[k] = r.out;
	}
	cr_expect_str_eq(out[1], out[0], "-E: the program's environment differs from strace's");
	cr_expect_str_eq(out[1], "bar nohome\n");

	struct h_res r;
	struct h_cmd c = {
		.argv = H_ARGV(h_renacer(), "-f", "--argv0=zzz", "-e", "trace=execve", "sh", "-c", "/bin/echo $0; exit 3"),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_run(&c, &r);
	cr_expect_eq(r.code, 3);
	cr_expect_str_eq(r.out, "zzz\n");
	cr_expect(strstr(r.err, "execve(\"/usr/bin/sh\", [\"zzz\", \"-c\"") || strstr(r.err, "execve(\"/bin/sh\", [\"zzz\""),
		  "%s", r.err);

	if (geteuid() == 0 && getpwnam("nobody")) {
		struct h_cmd u = {
			.argv = H_ARGV(h_renacer(), "-f", "-u", "nobody", "-e", "trace=none", "sh", "-c", "id -u; exit 3"),
			.envp = h_clean_env(),
			.out = H_IO_PIPE,
			.err = H_IO_PIPE,
		};
		h_run(&u, &r);
		cr_expect_eq(r.code, 3, "-u: %s", h_describe(&r));
		cr_expect_str_eq(r.out, h_fmt("%d\n", (int)getpwnam("nobody")->pw_uid));
	}
	usage_error(H_ARGV("-u", "no-such-user-rc"), "Cannot find user 'no-such-user-rc'");
	usage_error_bare(H_ARGV("-E", "X=1", "-p", "1"), "not to -p");
	/* --kill-on-exit: how a started command is always traced */
	run_prog(h_renacer(), H_ARGV("-f", "--kill-on-exit", "-e", "trace=exit_group"), &r);
	cr_expect(strstr(r.err, "+++ exited with 3 +++"), "--kill-on-exit: %s", r.err);
	usage_error_bare(H_ARGV("--kill-on-exit", "-p", "1"), "--kill-on-exit and -p cannot be combined");
}

/* -I never: SIGTERM waits until the trace is over; the program is untouched */
Test(strace_opts, interruptible_never)
{
	h_require_renacer();
	struct h_cmd c = {
		.argv = H_ARGV(h_renacer(), "-f", "-I", "never", "-e", "trace=exit_group", "sh", "-c",
			       "sleep 0.6; /bin/echo child; exit 3"),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	struct h_proc p;
	struct h_res r;
	h_spawn(&c, &p);
	usleep(250000);
	kill(p.pid, SIGTERM);
	h_wait(&p, 10000, &r);
	cr_assert(!r.timed_out);
	cr_expect_eq(r.code, 3, "-I never: %s\n%s", h_describe(&r), r.err);
	cr_expect_str_eq(r.out, "child\n");
	cr_expect(strstr(r.err, "+++ exited with 3 +++"), "%s", r.err);
	/* the other spellings parse; 1 and 2 are the default behaviour */
	same_as_strace(H_ARGV("-f", "-I1", "-e", "trace=kill"));
	same_as_strace(H_ARGV("-f", "--interruptible=waiting", "-e", "trace=kill"));
	same_as_strace(H_ARGV("-f", "-I", "4", "--silence=exit", "-e", "trace=kill"));
	usage_error(H_ARGV("-I", "5"), "invalid -I argument: '5'");
}

/* -v: stat structures whole, execve's environment as an array */
Test(strace_opts, no_abbrev_v)
{
	same_as_strace(H_ARGV("-f", "-v", "-e", "trace=execve"));
	h_slurp("/etc/hostname", NULL); /* its atime settles before both runs */
	same_as_strace_file(H_ARGV("-f", "-v", "-P", "/etc/hostname", "-e", "trace=newfstatat,fstat"));
	same_as_strace_file(H_ARGV("-f", "--no-abbrev", "-Xverbose", "-P", "/etc/hostname", "-e", "trace=newfstatat,fstat"));
	same_as_strace_file(H_ARGV("-f", "-v", "-Xraw", "-P", "/etc/hostname", "-e", "trace=newfstatat,fstat"));
}

Test(strace_opts, output_to_a_command)
{
	need_strace();
	/* strace writes the same lines into the command's stdin */
	const char *so = h_tmp_path("pipe.strace"), *ro = h_tmp_path("pipe.renacer");
	struct h_res r;
	run_prog(h_which("strace"), H_ARGV("-f", "-e", "trace=kill,exit_group", "-o", h_fmt("|cat > %s", so)), &r);
	run_prog(h_renacer(), H_ARGV("-f", "-e", "trace=kill,exit_group", "-o", h_fmt("|cat > %s", ro)), &r);
	const char *a = norm(h_slurp(so, NULL)), *b = norm(h_slurp(ro, NULL));
	cr_expect_str_eq(b, a, "-o |CMD differs from strace");
	/* !CMD is the same; renacer-c waits for the command to finish */
	run_prog(h_renacer(), H_ARGV("-f", "-e", "trace=exit_group", "-o", h_fmt("!sleep 0.2; cat > %s", ro)), &r);
	b = h_slurp(ro, NULL);
	cr_expect(strstr(b, "+++ exited with 3 +++"), "-o !CMD: %s", b);
	usage_error(H_ARGV("-o", "|"), "missing command");
}

/* -ff -o FILE: FILE.PID per task, the same lines strace writes there */
Test(strace_opts, output_separately_ff)
{
	need_strace();
	const char *sd = h_tmp_path("ff.strace"), *rd = h_tmp_path("ff.renacer");
	cr_assert(mkdir(sd, 0700) == 0 && mkdir(rd, 0700) == 0);
	struct h_res r;
	run_prog(h_which("strace"), H_ARGV("-ff", "-e", "trace=kill,execve,exit_group", "-o", h_fmt("%s/t", sd)), &r);
	run_prog(h_renacer(), H_ARGV("-ff", "-e", "trace=kill,execve,exit_group", "-o", h_fmt("%s/t", rd)), &r);
	/* the files of each: sorted by pid, the first is the shell's */
	const char *names[2][8];
	size_t n[2] = {0, 0};
	const char *dirs[2] = {sd, rd};
	for (int k = 0; k < 2; k++) {
		DIR *d = opendir(dirs[k]);
		cr_assert(d);
		struct dirent *e;
		while ((e = readdir(d)))
			if (!strncmp(e->d_name, "t.", 2) && n[k] < 8)
				names[k][n[k]++] = h_keep(strdup(e->d_name));
		closedir(d);
		for (size_t i = 0; i < n[k]; i++)
			for (size_t j = i + 1; j < n[k]; j++)
				if (atol(names[k][j] + 2) < atol(names[k][i] + 2)) {
					const char *t = names[k][i];
					names[k][i] = names[k][j];
					names[k][j] = t;
				}
	}
	cr_assert_eq(n[1], n[0], "strace wrote %zu files, renacer-c %zu", n[0], n[1]);
	cr_assert_geq(n[0], 2);
	for (size_t i = 0; i < n[0]; i++) {
		const char *a = norm(h_slurp(h_fmt("%s/%s", sd, names[0][i]), NULL));
		const char *b = norm(h_slurp(h_fmt("%s/%s", rd, names[1][i]), NULL));
		cr_expect_str_eq(b, a, "file %zu differs:\n--- strace\n%s--- renacer-c\n%s", i, a, b);
	}
	cr_expect(access(h_fmt("%s/t", rd), F_OK) != 0, "-ff created the file without a pid");
}

Test(strace_opts, append_A)
{
	h_require_renacer();
	const char *o = h_tmp_path("append.out");
	h_write_file(o, "before\n", 7);
	struct h_res r;
	run_prog(h_renacer(), H_ARGV("-f", "-A", "-e", "trace=exit_group", "-o", o), &r);
	run_prog(h_renacer(), H_ARGV("-f", "--output-append-mode", "-e", "trace=exit_group", "-o", o), &r);
	const char *t = h_slurp(o, NULL);
	cr_expect(!strncmp(t, "before\n", 7), "-A truncated the file:\n%s", t);
	size_t n = 0;
	for (const char *p = t; (p = strstr(p, "+++ exited with 3 +++")); p++)
		n++;
	cr_expect_eq(n, 2, "two runs appended, found %zu exit lines:\n%s", n, t);
	usage_error(H_ARGV("-A"), "-A needs -o FILE");
}

/* The line's prefix up to the syscall name. */
static const char *ts_prefix(const char *path)
{
	const char *t = h_slurp(path, NULL);
	const char *e = strstr(t, "exit_group(");
	cr_assert(e, "no exit_group line in %s", t);
	const char *b = e;
	while (b > t && b[-1] != '\n')
		b--;
	return h_keep(strndup(b, (size_t)(e - b)));
}

static bool rx(const char *re, const char *s)
{
	regex_t x;
	cr_assert(regcomp(&x, re, REG_EXTENDED | REG_NOSUB) == 0);
	bool m = regexec(&x, s, 0, NULL, 0) == 0;
	regfree(&x);
	return m;
}

Test(strace_opts, timestamps_with_precision)
{
	h_require_renacer();
	static const char *const cases[][2] = {
		{"--absolute-timestamps=format:unix,precision:us", "^[0-9]+ +[0-9]+\\.[0-9]{6} $"},
		{"--timestamps=unix,ms", "^[0-9]+ +[0-9]+\\.[0-9]{3} $"},
		{"--timestamps=unix", "^[0-9]+ +[0-9]+ $"},
		{"--timestamps=time,ns", "^[0-9]+ +[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9} $"},
		{"--absolute-timestamps", "^[0-9]+ +[0-9]{2}:[0-9]{2}:[0-9]{2} $"},
		{"-ttt", "^[0-9]+ +[0-9]+\\.[0-9]{6} $"},
		{"--relative-timestamps=ms", "^[0-9]+ +[0-9]+\\.[0-9]{3} $"},
		{"--relative-timestamps=s", "^[0-9]+ +[0-9]+ $"},
		{"-r", "^[0-9]+ +[0-9]+\\.[0-9]{6} $"},
	};
	const char *o = h_tmp_path("ts.out");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct h_res r;
		run_prog(h_renacer(), H_ARGV("-f", cases[i][0], "-e", "trace=exit_group", "-o", o), &r);
		const char *p = ts_prefix(o);
		cr_expect(rx(cases[i][1], p), "%s: prefix '%s' is not /%s/", cases[i][0], p, cases[i][1]);
	}
	static const char *const dur[][2] = {
		{"--syscall-times=ns", "<[0-9]+\\.[0-9]{9}>$"},
		{"--syscall-times=ms", "<[0-9]+\\.[0-9]{3}>$"},
		{"--syscall-times=s", "<[0-9]+>$"},
		{"-T", "<[0-9]+\\.[0-9]{6}>$"},
	};
	for (size_t i = 0; i < sizeof dur / sizeof dur[0]; i++) {
		struct h_res r;
		run_prog(h_renacer(), H_ARGV("-f", dur[i][0], "-e", "trace=kill", "-o", o), &r);
		const char *t = h_slurp(o, NULL);
		const char *k = strstr(t, "kill(");
		cr_assert(k, "%s: no kill line: %s", dur[i][0], t);
		const char *nl = strchr(k, '\n');
		const char *line = h_keep(strndup(k, nl ? (size_t)(nl - k) : strlen(k)));
		cr_expect(rx(dur[i][1], line), "%s: '%s' is not /%s/", dur[i][0], line, dur[i][1]);
	}
	usage_error(H_ARGV("--syscall-times=xs"), "invalid precision 'xs' for --syscall-times");
	usage_error(H_ARGV("--absolute-timestamps=bogus"), "invalid --absolute-timestamps argument 'bogus'");
}

Test(strace_opts, const_print_style)
{
	/* raw: numbers; verbose: numbers and names (signal lines keep names,
	 * so they are left out here) */
	same_as_strace(H_ARGV("-f", "-X", "raw", "-e", "signal=none", "-e", "trace=kill,exit_group"));
	same_as_strace(H_ARGV("-f", "-Xverbose", "-e", "signal=none", "-e", "trace=kill,exit_group"));
	same_as_strace(H_ARGV("-f", "--const-print-style=raw", "-e", "signal=none", "-e", "trace=kill"));
	same_as_strace_file(H_ARGV("-f", "-Xverbose", "-P", "/etc/hostname", "-e", "trace=openat,close"));
	same_as_strace_file(H_ARGV("-f", "-Xraw", "-P", "/etc/hostname", "-e", "trace=openat,read"));
	same_as_strace(H_ARGV("-f", "-Xraw", "-e", "trace=kill"));
	same_as_strace(H_ARGV("-f", "-Xverbose", "-e", "trace=kill"));
	same_as_strace(H_ARGV("-f", "-Xabbrev", "-e", "trace=kill,exit_group"));
	same_as_strace(H_ARGV("-f", "--const-print-style=abbrev", "-e", "trace=kill,exit_group"));
	usage_error(H_ARGV("-X", "bogus"), "invalid -X argument: 'bogus'");
}

Test(strace_opts, version_in_straces_shape)
{
	struct h_res r;
	run_rc(H_ARGV("-V"), &r);
	cr_expect_eq(r.code, 0);
	cr_expect(!strncmp(r.out, "renacer-c -- version ", 21), "-V: %s", r.out);
	run_rc(H_ARGV("--version"), &r);
	cr_expect(!strncmp(r.out, "renacer-c -- version ", 21), "--version: %s", r.out);
}

Test(strace_opts, decode_pids_Y)
{
	/* kill's pid argument and SIGUSR1's si_pid get <sh>; without -f, as
	 * strace -f also writes the comm into the [pid N] prefix */
	same_as_strace(H_ARGV("-Y", "-e", "signal=USR1", "-e", "trace=kill,exit_group"));
	same_as_strace(H_ARGV("--decode-pids=comm", "-e", "signal=USR1", "-e", "trace=kill"));
	same_as_strace(H_ARGV("-e", "decode-pids=comm", "-e", "signal=USR1", "-e", "trace=kill"));
	/* -f: threads and children; clone's result names the child */
	h_require_renacer();
	struct h_res r;
	const char *ro = h_tmp_path("renacer_y.out");
	run_prog(h_renacer(), H_ARGV("-f", "-Y", "-e", "trace=kill,clone,fork,vfork,getppid,wait4", "-o", ro), &r);
	const char *t = h_slurp(ro, NULL);
	cr_expect(rx("kill\\([0-9]+<sh>, SIGUSR1\\) += 0", t), "-Y kill: %s", t);
	cr_expect(rx("(clone|fork|vfork)\\([^\n]*\\) += [0-9]+<[a-z]+>", t), "-Y clone: %s", t);
	cr_expect(rx("si_pid=[0-9]+<sh>", t), "-Y si_pid: %s", t);
	usage_error(H_ARGV("--decode-pids=bogus"), "invalid decode-pids value 'bogus'");
}

Test(strace_opts, syscall_limit)
{
	h_require_renacer();
	struct h_res r;
	/* not reached: the program as without it */
	run_prog(h_renacer(), H_ARGV("-f", "--syscall-limit=100", "-e", "trace=kill"), &r);
	/* reached at the first kill: renacer-c detaches and exits 0; the
	 * program (sh and its child) runs on untraced to its end. The
	 * wrapper waits for the file the program writes last. */
	const char *tf = h_tmp_path("limit.out"), *done = h_tmp_path("limit.done");
	static const char wrapper[] =
		"\"$1\" -f --syscall-limit=1 -e trace=kill -o \"$2\" sh -c \"$4\" sh \"$3\"; rc=$?; i=0; "
		"while [ ! -s \"$3\" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; "
		"echo rc=$rc; cat \"$3\"";
	static const char prog[] =
		"trap 'echo got' USR1; kill -USR1 $$; /bin/echo child; echo 3 > \"$1\"; exit 3";
	struct h_cmd c = {
		.argv = H_ARGV("sh", "-c", wrapper, "sh", h_renacer(), tf, done, prog),
		.envp = h_clean_env(),
		.out = H_IO_PIPE,
		.err = H_IO_PIPE,
	};
	h_run(&c, &r);
	cr_assert(!r.timed_out);
	cr_expect_str_eq(r.out, "got\nchild\nrc=0\n3\n", "--syscall-limit=1: %s", r.err);
	cr_expect(strstr(r.err, "renacer-c: System call limit has been reached, detaching tracees\n"),
		  "stderr: %s", r.err);
	cr_expect(rx("renacer-c: Process [0-9]+ detached", r.err), "stderr: %s", r.err);
	const char *t = norm(h_slurp(tf, NULL));
	/* the padding after the pid and before '=' depends on the pid's width */
	cr_expect(rx("^# +kill\\(#, SIGUSR1\\) += 0\n$", t), "the trace: %s", t);
	usage_error(H_ARGV("--syscall-limit=0"), "invalid --syscall-limit argument: '0'");
	usage_error(H_ARGV("--syscall-limit=x"), "invalid --syscall-limit argument: 'x'");
}

Test(strace_opts, detach_on_execve_b)
{
	/* the child running /bin/echo is let go at its execve: "<detached ...>";
	 * sh's own execve (the program renacer-c starts) is not one */
	same_as_strace(H_ARGV("-f", "-b", "execve", "-e", "signal=none", "-e", "trace=execve,kill,exit_group"));
	same_as_strace(H_ARGV("-f", "--detach-on=execve", "-e", "signal=none", "-e", "trace=execve,write"));
	usage_error(H_ARGV("-b", "open"), "Syscall 'open' for -b isn't supported");
	usage_error_bare(H_ARGV("-b"), "option requires an argument -- 'b'");
}

/* python3 with a UNIX socketpair, a listening, connected and accepted
 * TCP socket and a bound UDP one; -yy against strace. */
#define PY_SOCKETS \
	"import socket\n" \
	"a, b = socket.socketpair(); a.send(b'x'); b.recv(1)\n" \
	"t = socket.socket(); t.bind(('127.0.0.1', 0)); t.listen()\n" \
	"c = socket.socket(); c.connect(t.getsockname()); s, _ = t.accept(); c.send(b'y'); s.recv(1)\n" \
	"d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); d.bind(('127.0.0.1', 0))\n" \
	"d.sendto(b'q', d.getsockname()); d.recv(1)\n" \
	"print('done')\n"

Test(strace_opts, decode_fds_yy)
{
	/* devices: write(1</dev/null<char 1:3>>, ...) */
	same_as_strace_file(H_ARGV("-f", "-yy", "-e", "signal=none", "-e", "trace=write,close"));
	same_as_strace_file(H_ARGV("-f", "--decode-fds=all", "-e", "signal=none", "-e", "trace=write"));
	same_as_strace_file(H_ARGV("-f", "--decode-fds=path,socket,dev", "-e", "signal=none", "-e", "trace=write"));
	usage_error(H_ARGV("--decode-fds=socket"), "not implemented");
	/* sockets: UNIX-STREAM:[INODE->PEER], TCP:[LOCAL->REMOTE], UDP:[LOCAL] */
	const char *py = h_which("python3");
	if (!py)
		cr_skip_test("no python3 for the socket part");
	const char *so = h_tmp_path("yy.strace"), *ro = h_tmp_path("yy.renacer");
	const char *tools[2] = {h_which("strace"), h_renacer()};
	const char *outs[2] = {so, ro};
	for (int k = 0; k < 2; k++) {
		struct h_res r;
		struct h_cmd c = {
			.argv = H_ARGV(tools[k], "-f", "-yy", "-e", "trace=sendto,recvfrom,listen", "-o", outs[k], py,
				       "-c", PY_SOCKETS),
			.envp = h_clean_env(),
			.out = H_IO_PIPE,
			.err = H_IO_PIPE,
		};
		h_run(&c, &r);
		cr_assert(!r.timed_out);
		cr_expect_eq(r.code, 0, "%s: %s", tools[k], h_describe(&r));
		cr_expect_str_eq(r.out, "done\n", "%s: stdout changed", tools[k]);
	}
	const char *a = norm(h_slurp(so, NULL)), *b = norm(h_slurp(ro, NULL));
	cr_expect_str_eq(b, a, "renacer-c -yy differs from strace:\n--- strace\n%s--- renacer-c\n%s", a, b);
	cr_expect(strstr(b, "UNIX-STREAM:[#->#]") && strstr(b, "TCP:[127.0.0.1:#->127.0.0.1:#]") &&
		  strstr(b, "UDP:[127.0.0.1:#]"), "%s", b);
}

Test(strace_opts, summary_overhead_O)
{
	/* an overhead above every call's time: every time reads 0 */
	same_as_strace(H_ARGV("-f", "-c", "-O", "1s", "-S", "name", "-e", "trace=kill,wait4"));
	same_as_strace(H_ARGV("-f", "-c", "--summary-syscall-overhead=1000000", "-S", "name", "-e", "trace=kill"));
	usage_error(H_ARGV("-c", "-O", "x"), "invalid -O argument: 'x'");
	usage_error(H_ARGV("-c", "-O", "-1"), "invalid -O argument: '-1'");
}

Test(strace_opts, unimplemented_options_refused_in_one_line)
{
	static const char *const cases[][3] = {
		{"-e", "verbose=all", "verbose"},
		{"-D", NULL, "-D"},
		{"--decode-fds=pidfd", NULL, "pidfd"},
		{"-e", "inject=open:error=ENOENT", "tampering"},
		{"-e", "fault=open", "tampering"},
		{"-e", "abbrev=none", "abbrev"},
		{"--decode-pids=pidns", NULL, "--decode-pids"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct h_res r;
		run_rc(cases[i][1] ? H_ARGV(cases[i][0], cases[i][1], "true") : H_ARGV(cases[i][0], "true"), &r);
		cr_expect_eq(r.code, 2, "%s: %s", cases[i][0], h_describe(&r));
		cr_expect(strstr(r.err, "not implemented") && strstr(r.err, cases[i][2]), "%s: %s", cases[i][0],
			  r.err);
		const char *nl = strchr(r.err, '\n');
		cr_expect(nl && nl[1] == '\0', "%s: not one line: %s", cases[i][0], r.err);
		cr_expect_eq(r.out_len, 0, "%s: the program ran", cases[i][0]);
	}
}

Test(strace_opts, syntax_errors_name_the_option)
{
	usage_error(H_ARGV("--frobnicate"), "unrecognized option '--frobnicate'");
	usage_error(H_ARGV("-j"), "invalid option -- 'j'");
	usage_error(H_ARGV("--follow-forks=yes"), "option '--follow-forks' doesn't allow an argument");
	usage_error(H_ARGV("--string-limit=x"), "invalid --string-limit argument: 'x'");
	usage_error(H_ARGV("-S", "bogus"), "invalid sort key 'bogus'");
	usage_error(H_ARGV("--decode-fds=bogus"), "invalid decode-fds value 'bogus'");
}
