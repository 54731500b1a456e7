/* harness.h — helpers shared by the integration tests.
 *
 * Running programs: fork/exec only (never system()), stdin from /dev/null,
 * stdout/stderr to /dev/null, to memory (pipes) or to a file, a hard
 * timeout (the whole process group is SIGKILLed and the run is reported as
 * timed out: a test fails, it never hangs), exit code as the shell reports
 * it (128+N for death by signal N).
 *
 * Everything a test allocates through the harness (paths, file contents,
 * parsed traces, the per-test temporary directory) is released by
 * h_cleanup(), which every suite installs as its .fini hook.
 *
 * Trace parsing: strace-style text as written by `strace -f -o FILE`
 * ("4242  name(...) = 0") and by renacer-c ("[pid  4242] name(...) = 0", or
 * plain lines for a single task), with optional -t/-tt/-ttt/-r timestamps,
 * -T durations, "<unfinished ...>" / "<... name resumed>" pairs, "= ?",
 * errno results, "--- SIG... ---" and "+++ ... +++" lines.  The calls of
 * each task are merged (an unfinished call and its resumption become one
 * call) and grouped per pid in order of first appearance.
 *
 * Normalisation used to compare two traces of the same program (see
 * h_norm_result() and h_call_ignored()):
 *
 *  N1. futex calls are dropped: their number depends on lock contention.
 *  N2. rt_sigreturn and restart_syscall are dropped, and so is any call whose
 *      result is ERESTARTSYS / ERESTARTNOINTR / ERESTARTNOHAND /
 *      ERESTART_RESTARTBLOCK: they only exist when a signal (SIGCHLD, ...)
 *      happened to arrive while the task was inside a syscall, which is a
 *      race; the interrupted call is transparently restarted and the
 *      restarted call is kept.
 *  N3. A failed call compares by its errno name only ("ENOENT"); the text in
 *      parentheses is ignored.
 *  N4. "= ?" (the call never returned: exit, exit_group, execve of a
 *      vanished thread, a task killed inside a call) compares as "?".
 *  N5. Results of mmap, mremap, brk and shmat, and any result printed in
 *      hex whose value is >= 0x10000, compare as "addr" (ASLR).  Smaller
 *      hex values (fcntl F_GETFL flags, ...) compare by value, so that
 *      "0x2 (flags O_RDWR)" equals "2".
 *  N6. Results that are pids or tids compare as "pid": clone, clone3, fork,
 *      vfork, wait4, getpid, gettid, getppid, getpgid, getpgrp, getsid,
 *      setsid, set_tid_address.
 *  N7. Results that depend on the clock or on timing compare as "ok" when
 *      they are successful: time, times, gettimeofday, clock_gettime,
 *      clock_getres, clock_nanosleep, nanosleep, poll, ppoll, select,
 *      pselect6, epoll_wait, epoll_pwait, epoll_pwait2.  (Failures still
 *      compare by errno.)
 *  N8. Every other result compares by its decimal value (fds, byte counts:
 *      reading /dev/urandom or getrandom returns the requested count, which
 *      is stable).
 *  N9. Tasks are identified by order of first appearance, never by pid; a
 *      trace is a multiset of per-task sequences.  The last "+++ ... +++"
 *      line of each task is compared too, with "pid N" numbers removed.
 */
#ifndef RENACER_IT_HARNESS_H
#define RENACER_IT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* ------------------------------------------------------------------ */
/* Locations and per-test scratch space                                */

/* $RENACER_C, else "build/renacer-c" (relative to the cwd). */
const char *h_renacer(void);
/* $FIXTURES_DIR, else "build/fixtures". */
const char *h_fixtures_dir(void);
/* FIXTURES_DIR/NAME; fails the test when it is not an executable file. */
const char *h_fixture(const char *name);
/* Fails the test (with a clear message) when renacer-c is not executable. */
void h_require_renacer(void);
/* true when strace is on PATH (the oracle); tests skip otherwise. */
bool h_have_strace(void);
/* Absolute path of PROG found on a PATH of /usr/bin:/bin, or NULL. */
const char *h_which(const char *prog);

/* The repository root (the directory with the top-level Makefile and
 * man/renacer-c.1): $RENACER_SRC_DIR, else $SOURCE_SRC_DIR/../.., else
 * the cwd; fails the test when none is. Harness-owned. */
const char *h_src_root(void);

/* A fresh private directory under /tmp for this test (created on first
 * use, removed by h_cleanup). */
const char *h_tmpdir(void);
/* h_tmpdir()/NAME */
const char *h_tmp_path(const char *name);

/* printf into harness-owned memory (freed by h_cleanup). */
const char *h_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Keep PTR until h_cleanup (then free it). Returns PTR. */
void *h_keep(void *ptr);

/* Suite hooks. */
void h_init(void);
void h_cleanup(void);

/* ------------------------------------------------------------------ */
/* Files                                                               */

/* Whole file, NUL-terminated (the NUL is not counted in *len); NULL when
 * it cannot be read (errno set).  Harness-owned. */
char *h_read_file(const char *path, size_t *len);
/* Same, but fails the test when the file cannot be read. */
char *h_slurp(const char *path, size_t *len);
void h_write_file(const char *path, const void *data, size_t len);

/* ------------------------------------------------------------------ */
/* Running programs                                                    */

enum h_io {
	H_IO_NULL = 0, /* /dev/null (default) */
	H_IO_PIPE,     /* captured into memory */
	H_IO_FILE,     /* truncated/created file at *_path */
	H_IO_INHERIT,  /* the test process's own fd */
	H_IO_STDOUT,   /* (for stderr only) same as stdout: 2>&1 */
};

#define H_DEFAULT_TIMEOUT_MS 15000

struct h_cmd {
	const char *const *argv;    /* argv[0] is searched in PATH when it has no '/' */
	const char *const *envp;    /* NULL: inherit the test's environment */
	const char *const *env_add; /* NAME=VALUE added (overriding) to the above */
	enum h_io out, err;
	const char *out_path, *err_path;
	const char *in_path;        /* stdin; NULL: /dev/null */
	const char *cwd;            /* working directory; NULL: unchanged */
	int timeout_ms;             /* 0: H_DEFAULT_TIMEOUT_MS */
	bool own_pgrp_off;          /* true: stay in the test's process group */
	int core_limit;             /* 0: leave RLIMIT_CORE; 1: set to 0; 2: unlimited */
};

struct h_res {
	int status;        /* raw wait status (valid unless timed_out) */
	int code;          /* exit code, 128+signal, or -1 when timed out */
	bool timed_out;
	int exec_errno;    /* errno of a failed execve in the child, else 0 */
	char *out;         /* captured stdout (NUL-terminated, harness-owned) */
	size_t out_len;
	char *err;         /* captured stderr */
	size_t err_len;
	double secs;       /* wall time */
};

struct h_proc {
	pid_t pid;
	int outfd, errfd, pidfd;
	char *out, *err;
	size_t out_len, out_cap, err_len, err_cap;
	double start;
	bool own_pgrp;
};

#define H_ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

/* A harness-owned argv: A's entries followed by B's (either may be NULL). */
const char *const *h_argv_join(const char *const *a, const char *const *b);
/* The argv as one shell-quoted string, for messages. */
const char *h_argv_str(const char *const *argv);

/* Start a command; fails the test if fork or pipe creation fails. */
void h_spawn(const struct h_cmd *cmd, struct h_proc *p);
/* Wait for it (draining its pipes) at most TIMEOUT_MS; on timeout the
 * process group is killed and res->timed_out set. */
void h_wait(struct h_proc *p, int timeout_ms, struct h_res *res);
/* h_spawn + h_wait. */
void h_run(const struct h_cmd *cmd, struct h_res *res);
/* Read from the process's stdout pipe until it contains a '\n' (or
 * TIMEOUT_MS passes); returns the captured text so far (harness-owned). */
const char *h_read_line(struct h_proc *p, int timeout_ms);

/* renacer-c ARGS... ($RENACER_C) with h_clean_env(), stdout and stderr
 * captured, at most timeout_ms (0: H_DEFAULT_TIMEOUT_MS); fails the test
 * when it times out. core_limit as in struct h_cmd. The one way the
 * suites run the binary. */
void h_rc_run(const char *const *args, struct h_res *r, int timeout_ms, int core_limit);

/* A controlled environment for oracle runs: PATH=/usr/bin:/bin, LC_ALL=C,
 * HOME=/root or $HOME, PYTHONHASHSEED=0, PYTHONDONTWRITEBYTECODE=1, plus
 * RENACER_C/FIXTURES_DIR so both tracers see the same environment. */
const char *const *h_clean_env(void);

/* Human-readable wait status ("exit 3", "signal 9", "timeout"). */
const char *h_describe(const struct h_res *res);

/* Monotonic seconds. */
double h_now(void);

/* ------------------------------------------------------------------ */
/* Trace parsing                                                       */

enum h_kind {
	H_LINE_CALL,     /* a syscall (complete, unfinished or resumed) */
	H_LINE_SIGNAL,   /* --- ... --- */
	H_LINE_EXIT,     /* +++ ... +++ */
	H_LINE_OTHER,    /* anything else (tracer messages) */
};

struct h_line {
	enum h_kind kind;
	int lineno;          /* 1-based */
	long pid;            /* 0: no pid prefix */
	bool bracket_pid;    /* "[pid N] " style */
	const char *raw;     /* the line, without '\n' */
	const char *ts;      /* timestamp text or NULL */
	const char *body;    /* after the pid prefix and timestamp */
	const char *name;    /* CALL: syscall name */
	const char *result;  /* CALL: text after "= " (duration removed); NULL if unfinished */
	const char *dur;     /* -T duration inside <>, or NULL */
	bool unfinished, resumed;
	long eq_col;         /* 0-based column of the result's '=', -1 if none */
	long call_len;       /* CALL: length of raw up to and including the ')' before " = " */
};

struct h_call {
	const char *name;
	const char *result;  /* NULL: never returned in the trace */
	int lineno;          /* of the line that started the call */
	const char *raw;
};

struct h_task {
	long pid;
	struct h_call *calls;
	size_t ncalls, cap;
	const char **events; /* raw bodies of "---" and "+++" lines, in order */
	size_t nevents, ecap;
	const char *last_exit; /* body of the last "+++" line, or NULL */
};

struct h_trace {
	struct h_line *lines;
	size_t nlines;
	struct h_task *tasks;
	size_t ntasks;
};

/* Parse TEXT (harness keeps a copy); never fails (unknown lines become
 * H_LINE_OTHER). */
struct h_trace *h_parse_trace(const char *text, size_t len);
/* h_slurp + h_parse_trace */
struct h_trace *h_parse_trace_file(const char *path);

/* Normalisation (rules N1-N8 above). */
bool h_call_ignored(const char *name, const char *result);
/* Normalised result, written into BUF. */
const char *h_norm_result(const char *name, const char *result, char *buf, size_t n);

/* Compare two traces as multisets of normalised per-task sequences.
 * Returns true when equal; otherwise *report (harness-owned) describes the
 * first difference of each unmatched task pair in readable form. */
bool h_compare_traces(const struct h_trace *a, const char *label_a,
		      const struct h_trace *b, const char *label_b,
		      const char **report);

/* Number of CALL lines (complete or unfinished) named NAME. */
size_t h_count_calls(const struct h_trace *t, const char *name);

/* ------------------------------------------------------------------ */
/* -c summary tables                                                   */

struct h_sumrow {
	char name[64];
	double pct, secs;
	unsigned long usecs, calls, errors;
};

struct h_summary {
	struct h_sumrow *rows;
	size_t nrows;
	struct h_sumrow total;
};

/* Find the table in TEXT and parse it, checking every line against the
 * strace -c -w grammar byte for byte (header, dividers, rows re-printed
 * with "%6.2f %11.6f %11lu %9lu %9s %s" must equal the line).  Returns
 * NULL and sets *why on any deviation. */
struct h_summary *h_parse_summary(const char *text, const char **why);
const struct h_sumrow *h_summary_find(const struct h_summary *s, const char *name);

#endif
