/* test_golden.c — golden-trace normalisation (src/analyze/golden.h G1-G8) on
 * constructed events, and the alignment: similarity of identical and
 * disjoint sequences, known LCS cases, agreement with a dynamic-programming
 * LCS on random sequences, hunks, the work budget, and a 200k-element run. */
#include <criterion/criterion.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "source.h"
#include "syscall_table.h"

#define LIBC "/usr/lib/x86_64-linux-gnu/libc.so.6"
#define LDSO "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"

/* ------------------------------------------------------------------ */
/* Feeding constructed events                                          */

struct feeder {
	struct golden_seq *seq;
	struct sink *sink;
};

static void feeder_init(struct feeder *f)
{
	f->seq = golden_seq_new();
	cr_assert_not_null(f->seq);
	f->sink = golden_seq_sink(f->seq);
	cr_assert_not_null(f->sink);
}

static void feeder_done(struct feeder *f)
{
	struct run_info ri = { 0 };
	cr_assert_eq(f->sink->finish(f->sink->self, &ri), 0);
	f->sink->destroy(f->sink->self);
	f->sink = NULL;
}

/* One call: NAME, the shown arguments (NULL-terminated), the result, the
 * module of the ip. */
static void feed(struct feeder *f, pid_t pid, pid_t tid, const char *module, const char *name, long result,
		 const char *const *args)
{
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	ev.pid = pid;
	ev.tid = tid;
	ev.name = name;
	ev.nr = syscall_by_name(name);
	int n = 0;
	while (args && args[n] && n < EVENT_MAX_ARGS) {
		ev.arg_text[n] = args[n];
		n++;
	}
	ev.nshown = n;
	ev.nargs = n;
	ev.finished = true;
	ev.result = result;
	if (result < 0 && result >= -4095)
		ev.err = (int)-result;
	ev.module = module;
	f->sink->syscall(f->sink->self, &ev);
}

#define A(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NOARGS ((const char *const[]){ NULL })

static const char *text_at(const struct golden_seq *s, size_t i)
{
	struct golden_call c;
	cr_assert_eq(golden_seq_at(s, i, &c), 0, "no element %zu", i);
	return c.text;
}

static const char *key_at(const struct golden_seq *s, size_t i)
{
	struct golden_call c;
	cr_assert_eq(golden_seq_at(s, i, &c), 0, "no element %zu", i);
	return c.key;
}

static void expect_texts(const struct golden_seq *s, const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	for (size_t i = 0; i < n && i < golden_seq_len(s); i++)
		cr_expect_str_eq(text_at(s, i), want[i], "element %zu", i);
	cr_assert_eq(golden_seq_len(s), n, "length %zu, expected %zu", golden_seq_len(s), n);
}

/* ------------------------------------------------------------------ */
/* Normalisation                                                       */

Test(golden_norm, loader_prelude_dropped_by_module)
{
	struct feeder f;
	feeder_init(&f);
	feed(&f, 100, 100, LIBC, "execve", 0, A("\"/bin/prog\"", "[\"prog\"]", "0x7ffc0000 /* 3 vars */"));
	feed(&f, 100, 100, LDSO, "access", -2, A("\"/etc/ld.so.preload\"", "R_OK"));
	feed(&f, 100, 100, LDSO, "openat", 3, A("AT_FDCWD", "\"/etc/ld.so.cache\"", "O_RDONLY|O_CLOEXEC"));
	feed(&f, 100, 100, LDSO, "read", 832, A("3", "\"\\177ELF\"...", "832"));
	feed(&f, 100, 100, LDSO, "close", 0, A("3"));
	/* the program's first own call ends the prelude ... */
	feed(&f, 100, 100, LIBC, "openat", 3, A("AT_FDCWD", "\"/etc/hosts\"", "O_RDONLY"));
	/* ... so later loader calls (lazy dlopen) are kept */
	feed(&f, 100, 100, LDSO, "openat", 4, A("AT_FDCWD", "\"/lib/libx.so\"", "O_RDONLY|O_CLOEXEC"));
	feed(&f, 100, 100, LIBC, "exit_group", 0, A("0"));
	feeder_done(&f);
	expect_texts(f.seq, A("execve(\"/bin/prog\", [\"prog\"], ADDR /* 3 vars */) = 0",
			      "openat(AT_FDCWD, \"/etc/hosts\", O_RDONLY) = fd1",
			      "openat(AT_FDCWD, \"/lib/libx.so\", O_RDONLY|O_CLOEXEC) = fd2",
			      "exit_group(0) = ?"));
	cr_expect_eq(golden_seq_records(f.seq), 8);
	golden_seq_free(f.seq);
}

Test(golden_norm, execve_restarts_the_prelude)
{
	struct feeder f;
	feeder_init(&f);
	feed(&f, 7, 7, LIBC, "execve", 0, A("\"/bin/sh\"", "[\"sh\"]", "0x1 /* 1 var */"));
	feed(&f, 7, 7, LDSO, "openat", 3, A("AT_FDCWD", "\"/etc/ld.so.cache\"", "O_RDONLY|O_CLOEXEC"));
	feed(&f, 7, 7, LIBC, "getpid", 7, NOARGS);
	feed(&f, 7, 7, LIBC, "execve", 0, A("\"/bin/true\"", "[\"true\"]", "0x1 /* 1 var */"));
	feed(&f, 7, 7, LDSO, "openat", 3, A("AT_FDCWD", "\"/etc/ld.so.cache\"", "O_RDONLY|O_CLOEXEC"));
	/* a failed execve does not restart it */
	feed(&f, 7, 7, "/bin/true", "execve", -2, A("\"/nope\"", "[\"nope\"]", "0x1 /* 1 var */"));
	feed(&f, 7, 7, LDSO, "openat", 3, A("AT_FDCWD", "\"/x\"", "O_RDONLY"));
	feeder_done(&f);
	expect_texts(f.seq, A("execve(\"/bin/sh\", [\"sh\"], 0x1 /* 1 var */) = 0", "getpid() = PID",
			      "execve(\"/bin/true\", [\"true\"], 0x1 /* 1 var */) = 0",
			      "execve(\"/nope\", [\"nope\"], 0x1 /* 1 var */) = -1 ENOENT",
			      "openat(AT_FDCWD, \"/x\", O_RDONLY) = fd1"));
	/* execve compares by the program's basename only (G8) */
	cr_expect_str_eq(key_at(f.seq, 0), "execve(\"sh\", ARGV, ENVP) = 0");
	golden_seq_free(f.seq);
}

Test(golden_norm, records_without_module_end_the_prelude)
{
	struct feeder f;
	feeder_init(&f);
	feed(&f, 1, 1, NULL, "openat", 3, A("AT_FDCWD", "\"/etc/ld.so.cache\"", "O_RDONLY|O_CLOEXEC"));
	feeder_done(&f);
	cr_expect_eq(golden_seq_len(f.seq), 1);
	golden_seq_free(f.seq);
}

Test(golden_norm, non_observable_calls_dropped)
{
	struct feeder f;
	feeder_init(&f);
	static const char *const dropped[] = {
		"mmap", "munmap", "mprotect", "brk", "futex", "rseq", "getrandom", "clock_gettime",
		"clock_nanosleep", "set_robust_list", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
		"mremap", "madvise", "arch_prctl", "set_tid_address", "prlimit64", "restart_syscall",
		"sched_yield", "gettimeofday", "time",
	};
	feed(&f, 1, 1, LIBC, "getpid", 1, NOARGS);
	for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++)
		feed(&f, 1, 1, LIBC, dropped[i], 0, A("0"));
	feed(&f, 1, 1, LIBC, "write", 3, A("1", "\"hi\\n\"", "3"));
	feeder_done(&f);
	expect_texts(f.seq, A("getpid() = PID", "write(1, \"hi\\n\", 3) = 3"));
	cr_expect_eq(golden_seq_records(f.seq), 2 + sizeof(dropped) / sizeof(dropped[0]));
	golden_seq_free(f.seq);
}

Test(golden_norm, fds_renumbered_in_order_of_appearance)
{
	struct feeder f;
	feeder_init(&f);
	feed(&f, 1, 1, LIBC, "openat", 5, A("AT_FDCWD", "\"/a\"", "O_RDONLY"));
	feed(&f, 1, 1, LIBC, "read", 4, A("5", "\"abcd\"", "4096"));
	feed(&f, 1, 1, LIBC, "close", 0, A("5"));
	feed(&f, 1, 1, LIBC, "openat", 5, A("AT_FDCWD", "\"/b\"", "O_RDONLY"));
	feed(&f, 1, 1, LIBC, "fstat", 0, A("9", "{st_mode=S_IFREG|0644, st_size=3, ...}"));
	feed(&f, 1, 1, LIBC, "pipe2", 0, A("[6, 7]", "O_CLOEXEC"));
	feed(&f, 1, 1, LIBC, "dup2", 1, A("6", "1"));
	feed(&f, 1, 1, LIBC, "dup2", 12, A("7", "12"));
	feed(&f, 1, 1, LIBC, "write", 2, A("2", "\"e\\n\"", "2"));
	feed(&f, 1, 1, LIBC, "fcntl", 10, A("5", "F_DUPFD_CLOEXEC", "10"));
	feed(&f, 1, 1, LIBC, "close", -9, A("40"));
	feeder_done(&f);
	/* a closed fd's name is free again: the lowest free name is taken */
	expect_texts(f.seq, A("openat(AT_FDCWD, \"/a\", O_RDONLY) = fd1",
			      "read(fd1, \"abcd\", 4096) = 4",
			      "close(fd1) = 0",
			      "openat(AT_FDCWD, \"/b\", O_RDONLY) = fd1",
			      "fstat(fd2, {st_mode=S_IFREG|0644, st_size=3, ...}) = 0",
			      "pipe2([fd3, fd4], O_CLOEXEC) = 0",
			      "dup2(fd3, 1) = 1",
			      "dup2(fd4, fd5) = fd5",
			      "write(2, \"e\\n\", 2) = 2",
			      "fcntl(fd1, F_DUPFD_CLOEXEC, 10) = fd6",
			      "close(fd7) = -1 EBADF"));
	cr_expect_str_eq(key_at(f.seq, 1), "read(fd1, DATA, LEN) = N");
	golden_seq_free(f.seq);
}

Test(golden_norm, fd_numbers_do_not_matter)
{
	/* the same program with two more inherited fds: every fd shifts by 2 */
	struct feeder f1, f2;
	feeder_init(&f1);
	feeder_init(&f2);
	feed(&f1, 1, 1, LIBC, "openat", 3, A("AT_FDCWD", "\"/a\"", "O_RDONLY"));
	feed(&f1, 1, 1, LIBC, "read", 0, A("3", "\"\"", "10"));
	feed(&f1, 1, 1, LIBC, "close", 0, A("3"));
	feed(&f2, 1, 1, LIBC, "openat", 5, A("AT_FDCWD", "\"/a\"", "O_RDONLY"));
	feed(&f2, 1, 1, LIBC, "read", 0, A("5", "\"\"", "10"));
	feed(&f2, 1, 1, LIBC, "close", 0, A("5"));
	feeder_done(&f1);
	feeder_done(&f2);
	cr_expect_eq(golden_similarity(f1.seq, f2.seq), 1.0);
	golden_seq_free(f1.seq);
	golden_seq_free(f2.seq);
}

Test(golden_norm, an_extra_open_and_close_changes_nothing_else)
{
	/* the new run opens and closes one more file early (a config file):
	 * later fds keep their names, only the two extra calls differ */
	struct feeder f1, f2;
	feeder_init(&f1);
	feeder_init(&f2);
	feed(&f1, 1, 1, LIBC, "openat", 3, A("AT_FDCWD", "\"/keep\"", "O_RDONLY"));
	feed(&f2, 1, 1, LIBC, "openat", 3, A("AT_FDCWD", "\"/keep\"", "O_RDONLY"));
	feed(&f2, 1, 1, LIBC, "openat", 4, A("AT_FDCWD", "\"/extra.conf\"", "O_RDONLY"));
	feed(&f2, 1, 1, LIBC, "close", 0, A("4"));
	for (int i = 0; i < 20; i++) {
		char path[32], fd[16];
		snprintf(path, sizeof(path), "\"/f%d\"", i);
		snprintf(fd, sizeof(fd), "%d", 4 + i);
		for (int k = 0; k < 2; k++) {
			struct feeder *f = k ? &f2 : &f1;
			feed(f, 1, 1, LIBC, "openat", 4 + i, A("AT_FDCWD", path, "O_RDONLY"));
			feed(f, 1, 1, LIBC, "read", 1, A(fd, "\"x\"", "1"));
			feed(f, 1, 1, LIBC, "read", 1, A("3", "\"x\"", "1"));
		}
	}
	feeder_done(&f1);
	feeder_done(&f2);
	struct golden_diff_opts o = { .max_hunks = 5 };
	struct golden_diff d;
	cr_assert_eq(golden_diff(f1.seq, f2.seq, &o, &d), 0);
	cr_expect_eq(d.lcs, 61);
	cr_expect_eq(d.nhunks, 1);
	cr_expect_eq(d.hunks[0].b_len, 2);
	golden_diff_free(&d);
	golden_seq_free(f1.seq);
	golden_seq_free(f2.seq);
}

Test(golden_norm, pids_relativised_and_tasks_grouped)
{
	struct feeder f1, f2;
	feeder_init(&f1);
	feeder_init(&f2);
	/* run 1: parent 4242 forks 4243; events interleave one way */
	feed(&f1, 4242, 4242, LIBC, "clone", 4243, A("CLONE_CHILD_SETTID|SIGCHLD", "NULL", "NULL", "0x7f00aa00bb00", "0"));
	feed(&f1, 4243, 4243, LIBC, "getppid", 4242, NOARGS);
	feed(&f1, 4242, 4242, LIBC, "wait4", 4243, A("-1", "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]", "0", "NULL"));
	feed(&f1, 4243, 4243, LIBC, "kill", 0, A("4242", "SIGUSR1"));
	feed(&f1, 4243, 4244, LIBC, "gettid", 4244, NOARGS);
	/* run 2: other pids, another interleaving */
	feed(&f2, 77, 77, LIBC, "clone", 78, A("CLONE_CHILD_SETTID|SIGCHLD", "NULL", "NULL", "0x7f11aa00bb00", "0"));
	feed(&f2, 78, 78, LIBC, "getppid", 77, NOARGS);
	feed(&f2, 78, 78, LIBC, "kill", 0, A("77", "SIGUSR1"));
	feed(&f2, 78, 79, LIBC, "gettid", 79, NOARGS);
	feed(&f2, 77, 77, LIBC, "wait4", 78, A("-1", "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]", "0", "NULL"));
	feeder_done(&f1);
	feeder_done(&f2);
	expect_texts(f1.seq, A("clone(CLONE_CHILD_SETTID|SIGCHLD, NULL, NULL, ADDR, 0) = PID",
			       "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = PID",
			       "[p2] getppid() = PID",
			       "[p2] kill(PID, SIGUSR1) = 0",
			       "[p2.t2] gettid() = PID"));
	cr_expect_eq(golden_similarity(f1.seq, f2.seq), 1.0);
	golden_seq_free(f1.seq);
	golden_seq_free(f2.seq);
}

Test(golden_norm, addresses_masked)
{
	struct feeder f;
	feeder_init(&f);
	feed(&f, 1, 1, LIBC, "ioctl", 0, A("1", "TCGETS", "0x7ffd1234abcd"));
	feed(&f, 1, 1, LIBC, "fcntl", 2, A("1", "F_GETFL", "0x2"));
	feed(&f, 1, 1, LIBC, "write", 13, A("1", "\"0x7ffd1234abcd\"", "14"));
	feed(&f, 1, 1, LIBC, "wait4", -10, A("-1", "0x7ffe00001000", "WNOHANG", "NULL"));
	feed(&f, 1, 1, LIBC, "accept", 3, A("0", "NULL", "NULL"));
	feeder_done(&f);
	expect_texts(f.seq, A("ioctl(1, TCGETS, ADDR) = 0", "fcntl(1, F_GETFL, 0x2) = 2",
			      "write(1, \"0x7ffd1234abcd\", 14) = 13",
			      "wait4(-1, ADDR, WNOHANG, NULL) = -1 ECHILD",
			      "accept(0, NULL, NULL) = fd1"));
	golden_seq_free(f.seq);
}

/* The stretch-wise masking, the integer and raw-argument formatting. */
Test(golden_norm, masking_and_number_edge_cases)
{
	struct feeder f;
	feeder_init(&f);
	feed(&f, 1, 1, LIBC, "fcntl", 0,
	     A("1", "F_GETFL",
	       "{0x0000012345, 0x00001234, x0x123456, 0x123456g, \"a\\\"0x123456\", 0X7FFD0000}",
	       "0x10000"));
	feed(&f, 1, 1, LIBC, "fcntl", -5000, A("1", "F_GETFL", "0"));
	feed(&f, 1, 1, LIBC, "fcntl", 1234567890123L, A("1", "F_GETFL", "0"));
	feed(&f, 1, 1, LIBC, "fcntl", LONG_MIN, A("1", "F_GETFL", "0"));
	feed(&f, 1, 1, LIBC, "fcntl", -22, A("1", "F_GETFL", "0"));
	for (int i = 0; i < 12; i++)
		feed(&f, 1, 1, LIBC, "openat", 3 + i, A("AT_FDCWD", "\"/x\"", "O_RDONLY"));
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	ev.pid = ev.tid = 1;
	ev.name = "fcntl";
	ev.nr = syscall_by_name("fcntl");
	ev.nargs = 3;
	ev.raw_args[0] = 0;
	ev.raw_args[1] = 0x7f;
	ev.raw_args[2] = 0xdeadbeef12ull;
	ev.finished = true;
	ev.module = LIBC;
	f.sink->syscall(f.sink->self, &ev);
	ev.raw_args[2] = 0;
	f.sink->syscall(f.sink->self, &ev);
	feeder_done(&f);
	cr_expect_str_eq(text_at(f.seq, 0),
			 "fcntl(1, F_GETFL, {ADDR, 0x00001234, x0x123456, 0x123456g, \"a\\\"0x123456\", ADDR}, "
			 "ADDR) = 0");
	cr_expect_str_eq(text_at(f.seq, 1), "fcntl(1, F_GETFL, 0) = -5000");
	cr_expect_str_eq(text_at(f.seq, 2), "fcntl(1, F_GETFL, 0) = 1234567890123");
	cr_expect_str_eq(text_at(f.seq, 3), "fcntl(1, F_GETFL, 0) = -9223372036854775808");
	cr_expect_str_eq(key_at(f.seq, 3), "fcntl(1, F_GETFL, 0) = -9223372036854775808");
	cr_expect_str_eq(text_at(f.seq, 4), "fcntl(1, F_GETFL, 0) = -1 EINVAL");
	cr_expect_str_eq(key_at(f.seq, 4), "fcntl(1, F_GETFL, 0) = -1 EINVAL");
	cr_expect_str_eq(text_at(f.seq, 16), "openat(AT_FDCWD, \"/x\", O_RDONLY) = fd12");
	cr_expect_str_eq(key_at(f.seq, 16), "openat(AT_FDCWD, \"/x\", O_RDONLY) = fd12");
	cr_expect_str_eq(text_at(f.seq, 17), "fcntl(0, 0x7f, ADDR) = 0");
	cr_expect_str_eq(text_at(f.seq, 18), "fcntl(0, 0x7f, 0) = 0");
	cr_assert_eq(golden_seq_len(f.seq), 19);
	golden_seq_free(f.seq);
}

Test(golden_norm, payload_masked_in_the_key_only)
{
	struct feeder f1, f2;
	feeder_init(&f1);
	feeder_init(&f2);
	feed(&f1, 1, 1, LIBC, "write", 16, A("1", "\"Backend: avx512\\n\"", "16"));
	feed(&f2, 1, 1, LIBC, "write", 14, A("1", "\"Backend: sse2\\n\"", "14"));
	feed(&f1, 1, 1, LIBC, "read", 0, A("0", "\"\"", "4096"));
	feed(&f2, 1, 1, LIBC, "read", 0, A("0", "\"\"", "4096"));
	feeder_done(&f1);
	feeder_done(&f2);
	cr_expect_str_eq(text_at(f1.seq, 0), "write(1, \"Backend: avx512\\n\", 16) = 16");
	cr_expect_str_eq(key_at(f1.seq, 0), "write(1, DATA, LEN) = N");
	cr_expect_str_eq(key_at(f1.seq, 1), "read(0, DATA, LEN) = 0");
	cr_expect_eq(golden_similarity(f1.seq, f2.seq), 1.0);
	golden_seq_free(f1.seq);
	golden_seq_free(f2.seq);
}

Test(golden_norm, unfinished_and_source_kept)
{
	struct feeder f;
	feeder_init(&f);
	struct source_loc loc = { .file = "/src/prog.c", .line = 42, .function = "main" };
	struct event ev;
	memset(&ev, 0, sizeof(ev));
	ev.pid = ev.tid = 3;
	ev.name = "exit_group";
	ev.nr = syscall_by_name("exit_group");
	ev.arg_text[0] = "0";
	ev.nshown = ev.nargs = 1;
	ev.finished = false;
	ev.module = LIBC;
	ev.source = &loc;
	f.sink->syscall(f.sink->self, &ev);
	feeder_done(&f);
	struct golden_call c;
	cr_assert_eq(golden_seq_at(f.seq, 0, &c), 0);
	cr_expect_str_eq(c.text, "exit_group(0) = ?");
	cr_expect_str_eq(c.file, "/src/prog.c");
	cr_expect_eq(c.line, 42);
	cr_expect_str_eq(c.function, "main");
	cr_expect_eq(c.record, 0);
	cr_expect(golden_seq_has_source(f.seq));
	cr_expect_eq(golden_seq_at(f.seq, 1, &c), -1);
	golden_seq_free(f.seq);
}

/* ------------------------------------------------------------------ */
/* Alignment                                                           */

static struct golden_seq *seq_of(const char *letters)
{
	struct golden_seq *s = golden_seq_new();
	cr_assert_not_null(s);
	for (const char *p = letters; *p; p++) {
		char t[2] = { *p, 0 };
		cr_assert_eq(golden_seq_append(s, t, NULL), 0);
	}
	return s;
}

static size_t dp_lcs(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	size_t *row = calloc((m + 1) * 2, sizeof(size_t));
	cr_assert_not_null(row);
	size_t *prev = row, *cur = row + m + 1;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = 0;
		for (size_t j = 1; j <= m; j++) {
			if (a[i - 1] == b[j - 1])
				cur[j] = prev[j - 1] + 1;
			else
				cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
		}
		size_t *t = prev;
		prev = cur;
		cur = t;
	}
	size_t r = prev[m];
	free(row);
	return r;
}

static double sim_of(const char *a, const char *b)
{
	struct golden_seq *sa = seq_of(a), *sb = seq_of(b);
	double s = golden_similarity(sa, sb);
	golden_seq_free(sa);
	golden_seq_free(sb);
	return s;
}

Test(golden_diff, identical_and_empty)
{
	cr_expect_eq(sim_of("", ""), 1.0);
	cr_expect_eq(sim_of("abcabc", "abcabc"), 1.0);
	cr_expect_eq(sim_of("abc", ""), 0.0);
	cr_expect_eq(sim_of("", "x"), 0.0);
}

Test(golden_diff, disjoint_is_zero)
{
	cr_expect_eq(sim_of("abcdef", "ghijklmn"), 0.0);
	cr_expect_eq(sim_of("aaaa", "b"), 0.0);
}

Test(golden_diff, known_lcs)
{
	/* the classic: LCS("ABCBDAB", "BDCABA") = 4 */
	cr_expect_float_eq(sim_of("ABCBDAB", "BDCABA"), 8.0 / 13.0, 1e-12);
	/* Myers' paper example: ABCABBA vs CBABAC, D = 5, LCS = 4 */
	cr_expect_float_eq(sim_of("ABCABBA", "CBABAC"), 8.0 / 13.0, 1e-12);
	cr_expect_float_eq(sim_of("abcd", "abxd"), 6.0 / 8.0, 1e-12);
	cr_expect_float_eq(sim_of("abc", "abcxyz"), 6.0 / 9.0, 1e-12);
}

Test(golden_diff, keys_from_different_seqs_compare_as_strings)
{
	/* the same strings interned in different orders in the two seqs */
	struct golden_seq *a = golden_seq_new(), *b = golden_seq_new();
	cr_assert(a && b);
	cr_assert_eq(golden_seq_append(b, "zzz", NULL), 0);
	cr_assert_eq(golden_seq_append(b, "one", NULL), 0);
	cr_assert_eq(golden_seq_append(a, "one", NULL), 0);
	cr_assert_eq(golden_seq_append(a, "two", NULL), 0);
	cr_expect_float_eq(golden_similarity(a, b), 0.5, 1e-12);
	/* text differs, key is equal */
	struct golden_seq *c = golden_seq_new(), *d = golden_seq_new();
	cr_assert(c && d);
	cr_assert_eq(golden_seq_append(c, "write(1, \"a\", 1) = 1", "write(1, DATA, LEN) = N"), 0);
	cr_assert_eq(golden_seq_append(d, "write(1, \"bb\", 2) = 2", "write(1, DATA, LEN) = N"), 0);
	cr_expect_eq(golden_similarity(c, d), 1.0);
	golden_seq_free(a);
	golden_seq_free(b);
	golden_seq_free(c);
	golden_seq_free(d);
}

static void check_alignment(const char *a, const char *b)
{
	struct golden_seq *sa = seq_of(a), *sb = seq_of(b);
	struct golden_diff_opts o = { .max_hunks = 1000 };
	struct golden_diff d;
	cr_assert_eq(golden_diff(sa, sb, &o, &d), 0);
	size_t want = dp_lcs(a, b);
	cr_assert_eq(d.lcs, want, "LCS(%s, %s) = %zu, expected %zu", a, b, d.lcs, want);
	cr_assert(d.exact);
	/* the hunks and the unchanged runs between them must line up */
	size_t ia = 0, ib = 0, eq = 0;
	cr_assert_eq(d.nkept, d.nhunks);
	for (size_t h = 0; h < d.nkept; h++) {
		const struct golden_hunk *hk = &d.hunks[h];
		cr_assert_geq(hk->a_start, ia);
		size_t run = hk->a_start - ia;
		cr_assert_eq(hk->b_start - ib, run, "%s / %s hunk %zu", a, b, h);
		for (size_t k = 0; k < run; k++)
			cr_assert_eq(a[ia + k], b[ib + k], "%s / %s: unchanged run differs", a, b);
		eq += run;
		cr_assert(hk->a_len || hk->b_len);
		ia = hk->a_start + hk->a_len;
		ib = hk->b_start + hk->b_len;
	}
	cr_assert_eq(strlen(a) - ia, strlen(b) - ib);
	for (size_t k = 0; ia + k < strlen(a); k++)
		cr_assert_eq(a[ia + k], b[ib + k]);
	eq += strlen(a) - ia;
	cr_assert_eq(eq, d.lcs);
	golden_diff_free(&d);
	golden_seq_free(sa);
	golden_seq_free(sb);
}

Test(golden_diff, agrees_with_dynamic_programming)
{
	unsigned seed = 12345;
	char a[64], b[64];
	for (int iter = 0; iter < 3000; iter++) {
		int alpha = 2 + iter % 5;
		size_t n = (size_t)(rand_r(&seed) % 40), m = (size_t)(rand_r(&seed) % 40);
		for (size_t i = 0; i < n; i++)
			a[i] = (char)('a' + rand_r(&seed) % alpha);
		a[n] = 0;
		if (iter % 3 == 0) {
			/* b = a with a few edits */
			size_t j = 0;
			for (size_t i = 0; i < n && j < 60; i++) {
				int r = rand_r(&seed) % 10;
				if (r == 0)
					continue;
				if (r == 1)
					b[j++] = (char)('a' + rand_r(&seed) % alpha);
				b[j++] = a[i];
			}
			b[j] = 0;
		} else {
			for (size_t i = 0; i < m; i++)
				b[i] = (char)('a' + rand_r(&seed) % alpha);
			b[m] = 0;
		}
		check_alignment(a, b);
	}
}

/* Keys from KEYS (one letter each) with texts "<key><text letter>". */
static struct golden_seq *seq_kt(const char *keys, const char *texts)
{
	struct golden_seq *s = golden_seq_new();
	cr_assert_not_null(s);
	for (size_t i = 0; keys[i]; i++) {
		char k[2] = { keys[i], 0 }, t[3] = { keys[i], texts[i], 0 };
		cr_assert_eq(golden_seq_append(s, t, k), 0);
	}
	return s;
}

Test(golden_diff, insertions_shown_where_the_texts_differ)
{
	/* golden writes s1 s2 s3 s4; new writes s1 s2 e1 e2 e3 s3 s4: by key
	 * the three extra writes could be any three; they are shown as e1-e3 */
	struct golden_seq *a = seq_kt("xwwwwy", "01234z"), *b = seq_kt("xwwwwwwwy", "012abc34z");
	struct golden_diff_opts o = { .max_hunks = 5 };
	struct golden_diff d;
	cr_assert_eq(golden_diff(a, b, &o, &d), 0);
	cr_expect_eq(d.lcs, 6);
	cr_assert_eq(d.nhunks, 1);
	cr_expect_eq(d.hunks[0].a_start, 3);
	cr_expect_eq(d.hunks[0].a_len, 0);
	cr_expect_eq(d.hunks[0].b_start, 3);
	cr_expect_eq(d.hunks[0].b_len, 3);
	golden_diff_free(&d);
	/* and the same for deletions */
	cr_assert_eq(golden_diff(b, a, &o, &d), 0);
	cr_assert_eq(d.nhunks, 1);
	cr_expect_eq(d.hunks[0].a_start, 3);
	cr_expect_eq(d.hunks[0].a_len, 3);
	cr_expect_eq(d.hunks[0].b_len, 0);
	golden_diff_free(&d);
	golden_seq_free(a);
	golden_seq_free(b);
}

Test(golden_diff, sliding_keeps_the_alignment_valid)
{
	unsigned seed = 99;
	char ka[48], ta[48], kb[48], tb[48];
	for (int iter = 0; iter < 2000; iter++) {
		size_t n = (size_t)(rand_r(&seed) % 40), m = 0;
		for (size_t i = 0; i < n; i++) {
			ka[i] = (char)('a' + rand_r(&seed) % 3);
			ta[i] = (char)('0' + rand_r(&seed) % 3);
		}
		for (size_t i = 0; i < n && m < 44; i++) {
			int r = rand_r(&seed) % 8;
			if (r == 0)
				continue;
			if (r == 1) {
				kb[m] = (char)('a' + rand_r(&seed) % 3);
				tb[m++] = (char)('0' + rand_r(&seed) % 3);
			}
			kb[m] = ka[i];
			tb[m++] = r == 2 ? 'x' : ta[i];
		}
		ka[n] = ta[n] = kb[m] = tb[m] = 0;
		struct golden_seq *a = seq_kt(ka, ta), *b = seq_kt(kb, tb);
		struct golden_diff_opts o = { .max_hunks = 100 };
		struct golden_diff d;
		cr_assert_eq(golden_diff(a, b, &o, &d), 0);
		cr_assert_eq(d.lcs, dp_lcs(ka, kb), "%s / %s", ka, kb);
		size_t ia = 0, ib = 0, eq = 0;
		for (size_t h = 0; h <= d.nkept; h++) {
			size_t as = h < d.nkept ? d.hunks[h].a_start : n;
			size_t bs = h < d.nkept ? d.hunks[h].b_start : m;
			cr_assert_eq(as - ia, bs - ib, "%s / %s", ka, kb);
			for (size_t k = 0; k < as - ia; k++)
				cr_assert_eq(ka[ia + k], kb[ib + k], "%s / %s: hunk %zu", ka, kb, h);
			eq += as - ia;
			if (h < d.nkept) {
				ia = as + d.hunks[h].a_len;
				ib = bs + d.hunks[h].b_len;
			}
		}
		cr_assert_eq(eq, d.lcs);
		golden_diff_free(&d);
		golden_seq_free(a);
		golden_seq_free(b);
	}
}

Test(golden_diff, hunks_limited_but_counted)
{
	struct golden_seq *sa = seq_of("aXbXcXdXe"), *sb = seq_of("aYbYcYdYe");
	struct golden_diff_opts o = { .max_hunks = 2 };
	struct golden_diff d;
	cr_assert_eq(golden_diff(sa, sb, &o, &d), 0);
	cr_expect_eq(d.nhunks, 4);
	cr_expect_eq(d.nkept, 2);
	cr_expect_eq(d.hunks[0].a_start, 1);
	cr_expect_eq(d.hunks[0].a_len, 1);
	cr_expect_eq(d.hunks[0].b_start, 1);
	cr_expect_eq(d.hunks[0].b_len, 1);
	cr_expect_eq(d.hunks[1].a_start, 3);
	golden_diff_free(&d);
	golden_seq_free(sa);
	golden_seq_free(sb);
}

Test(golden_diff, budget_gives_a_valid_lower_bound)
{
	char a[2001], b[2001];
	unsigned seed = 7;
	for (int i = 0; i < 2000; i++) {
		a[i] = (char)('a' + rand_r(&seed) % 4);
		b[i] = (char)('a' + rand_r(&seed) % 4);
	}
	a[2000] = b[2000] = 0;
	struct golden_seq *sa = seq_of(a), *sb = seq_of(b);
	struct golden_diff_opts o = { .max_hunks = 10, .max_work = 5000 };
	struct golden_diff d;
	cr_assert_eq(golden_diff(sa, sb, &o, &d), 0);
	cr_expect_not(d.exact);
	cr_expect_leq(d.lcs, dp_lcs(a, b));
	cr_expect_float_eq(d.similarity, 2.0 * (double)d.lcs / 4000.0, 1e-12);
	golden_diff_free(&d);
	/* the default budget aligns it exactly */
	cr_assert_eq(golden_diff(sa, sb, NULL, &d), 0);
	cr_expect(d.exact);
	cr_expect_eq(d.lcs, dp_lcs(a, b));
	golden_diff_free(&d);
	golden_seq_free(sa);
	golden_seq_free(sb);
}

Test(golden_diff, large_sequences_with_few_edits, .timeout = 60)
{
	/* 200k calls of 5000 distinct kinds; the new one has 3 deletions,
	 * 3 insertions and 2 substitutions spread through it. No timing
	 * assertion: it must simply finish, exactly. */
	const size_t n = 200000;
	struct golden_seq *a = golden_seq_new(), *b = golden_seq_new();
	cr_assert(a && b);
	char t[64];
	for (size_t i = 0; i < n; i++) {
		snprintf(t, sizeof(t), "openat(AT_FDCWD, \"/f/%zu\", O_RDONLY) = fd1", (i * 7919) % 5000);
		cr_assert_eq(golden_seq_append(a, t, NULL), 0);
		if (i == 1000 || i == 90000 || i == 150000)
			continue; /* deleted */
		if (i == 5000 || i == 120000) {
			cr_assert_eq(golden_seq_append(b, "substituted() = 0", NULL), 0);
			continue;
		}
		cr_assert_eq(golden_seq_append(b, t, NULL), 0);
		if (i == 20000 || i == 100000 || i == 199990)
			cr_assert_eq(golden_seq_append(b, "inserted() = 0", NULL), 0);
	}
	struct golden_diff_opts o = { .max_hunks = 5 };
	struct golden_diff d;
	cr_assert_eq(golden_diff(a, b, &o, &d), 0);
	cr_expect(d.exact);
	cr_expect_eq(d.lcs, n - 5);
	cr_expect_eq(d.nhunks, 8);
	cr_expect_eq(golden_seq_len(b), n - 3 - 2 + 2 + 3);
	golden_diff_free(&d);
	golden_seq_free(a);
	golden_seq_free(b);
}
