/* tracer.h — the ptrace engine: launch or attach, run the stop loop, feed
 * completed calls to the sinks.
 *
 * Ownership: struct tracer is caller-owned; tracer_init allocates the task
 * table, tracer_destroy frees it. Sinks are owned by the caller. */
#ifndef RENACER_TRACER_H
#define RENACER_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "decode_args.h"
#include "filter.h"
#include "obuf.h"
#include "procs.h"
#include "seccomp_filter.h"
#include "source.h"
#include "sink.h"
#include "tasks.h"
#include "tmem.h"
#include "writer.h"

#define TRACER_MAX_SINKS 8

/* What a tracing run is asked to do: the tracer's whole input, filled from
 * the command line by src/cli or by any other caller. Strings, arrays and
 * the filter are borrowed and must outlive the tracer. */
struct tracer_config {
	char **command;           /* argv to launch (NULL-terminated), or NULL to attach */
	const pid_t *attach;      /* processes to attach to when command is NULL */
	int nattach;
	bool follow;              /* -f: trace children and threads */
	bool quiet;               /* no attach/detach or other notices */
	const struct filter *filter; /* which calls are traced */
	bool source;              /* -s: the user call site of each call */
	bool stack;               /* -k: the whole stack of each call */
	int unwinder;             /* --unwinder: an enum source_unwinder, -1 the default */
	bool same_cpu;            /* --same-cpu */
	int seccomp;              /* -1 automatic, 0 off, 1 asked for */
	unsigned string_limit;    /* decoded strings are cut after this many bytes */
	bool show_paths;          /* -y: paths after fds */
	bool fds_all;             /* -yy: socket details, device numbers */
	bool show_comm;           /* -Y: <comm> after pids */
	unsigned long syscall_limit; /* --syscall-limit: detach after this many shown calls; 0 = none */
	bool detach_on_execve;    /* -b execve: let a task go at its execve (not the program's own) */
	bool no_abbrev;           /* -v: structures whole, argv/envp in full */
	int strings_hex;          /* -x / -xx / --strings-in-hex (enum hex_style) */
	int xlat;                 /* -X: 0 abbrev, 1 raw, 2 verbose */
	char *const *trace_paths; /* -P: only calls that touch one of these */
	int ntrace_paths;
	struct fd_set_opt trace_fds;  /* --trace-fds */
	struct fd_set_opt dump_read;  /* -e read=: hex dumps of what is read */
	struct fd_set_opt dump_write; /* -e write=: hex dumps of what is written */
	/* Launch: how the program is started. */
	const char *argv0;        /* --argv0, or NULL */
	char *const *env_ops;     /* -E VAR=VAL / -E VAR, in order */
	int nenv;
	const char *user;         /* -u USER, or NULL */
	uid_t user_uid;
	gid_t user_gid;
};

struct tracer {
	struct tracer_config cfg; /* a copy; what it points to is borrowed */
	struct sink *sinks[TRACER_MAX_SINKS];
	int nsinks;
	bool decode;              /* some sink prints decoded arguments */
	bool want_module;         /* fill ev.module (structured output) */
	struct source_resolver *src; /* -s, -k or want_module; NULL otherwise */
	struct task_table tasks;
	struct proc_table procs;
	struct tmem mem;
	struct mem_reader mreader; /* the decoders' view of mem */
	struct decode_cfg dcfg;
	struct timespec start_mono;
	struct timespec start_real;
	bool multi;               /* print [pid N] prefixes */
	pid_t main_pid;           /* launched program, 0 in attach mode */
	int main_status;          /* its wait status, once main_done */
	bool main_done;
	bool use_seccomp;         /* launch with the --seccomp-bpf filter */
	bool seccomp_active;      /* a seccomp stop was seen: resume with PTRACE_CONT */
	struct seccomp_prog sprog;
	int cpu;                  /* --same-cpu: CPU the tracer is pinned to, -1 none */
	unsigned stops_since_cpu_check;
	bool detaching;           /* attach mode, got SIGINT/SIGTERM/SIGHUP; or --syscall-limit */
	bool limit_reached;       /* --syscall-limit: every task is being detached */
	bool mark_detached;       /* a call cut by detaching prints "<detached ...>" */
	bool first_exec_seen;     /* -b execve: the launched program's own execve went by */
	unsigned long calls_shown; /* calls counted against --syscall-limit */
	int start_failed;         /* attach failed part-way: exit status after detaching */
	unsigned interrupts;      /* signals received by the tracer */
	struct event ev;          /* reused for every call */
	char *dump_buf;           /* -e read=/write= dumps (1 MiB, owned) */
	size_t dump_cap;
	struct obuf dump_ob;
	/* Live output (tracer_live_output): text lines appear while the
	 * program runs. open_task entered a shown call whose entry has not
	 * gone out; a timer (tick) flushes the writers and shows a call that
	 * blocks as "<unfinished ...>". */
	bool live_entries;
	struct task *open_task;
	struct writer *writers[4];
	int nwriters;
	bool tick_armed;
	char unknown_name[32];    /* "syscall_0x1b3" */
	/* The launched program's own execve, until its exit stop: launch.c
	 * then reads what the child reported over report_fd (seccomp outcome)
	 * and, if the exec failed, says so itself and hides the child's last
	 * calls (launch_failed: its death is still reported). */
	bool launch_pending;
	bool launch_failed;
	int report_fd;            /* read end of the child's CLOEXEC pipe, -1 closed */
};

int tracer_init(struct tracer *tr, const struct tracer_config *cfg);
void tracer_add_sink(struct tracer *tr, struct sink *s, bool needs_decoding);
/* Structured outputs want ev.module: set up the resolver. -1 on OOM. */
int tracer_want_module(struct tracer *tr);
/* Keep w's output live: flushed by a timer within ~50 ms of a line, and
 * before the tracer waits on a quiet program. entries: a sink prints
 * calls as text, so a call that blocks (or is interrupted by another
 * task's output) is shown at entry as "<unfinished ...>". The writer must
 * outlive tracer_run. */
void tracer_live_output(struct tracer *tr, struct writer *w, bool entries);
/* The flag the text sink reads to print "[pid N] " prefixes: it turns on
 * once more than one task is traced (or with -f). Valid while tr lives. */
const bool *tracer_multi_flag(const struct tracer *tr);
/* Wall-clock time of the trace's start (ts 0). Valid while tr lives. */
const struct timespec *tracer_start_real(const struct tracer *tr);

/* How the run ended, after tracer_run. */
struct tracer_outcome {
	bool launched;            /* a program was started (not attach mode) */
	bool ended;               /* and its end was seen: wstatus is valid */
	int wstatus;              /* as from wait(2) */
	bool interrupted;         /* the tracer got SIGINT/SIGTERM/SIGHUP */
};
struct tracer_outcome tracer_outcome(const struct tracer *tr);

/* Nanoseconds since the trace started (monotonic). */
uint64_t tracer_now(const struct tracer *tr);
/* Launch the program or attach (prints its own errors). Returns 0, or the
 * exit status renacer-c should end with (127/126 cannot run, 1 failure). */
int tracer_start(struct tracer *tr);
/* Run the stop loop to completion. Returns the process exit status for
 * renacer-c: the program's exit code, 128+N for a signal, 1 on tracer
 * failure. */
int tracer_run(struct tracer *tr);
/* Give up on the tracees before tracer_run: kill launched ones, detach
 * attached ones (the loop finishes the job). */
void tracer_abort(struct tracer *tr);
void tracer_destroy(struct tracer *tr);

#endif
