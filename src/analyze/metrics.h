/* metrics.h — the analyzer's measurements and the assertions over them
 * (docs/design.md, "Assertions"). The code is in metrics*.c (the files
 * are listed in metrics_int.h) and metrics_rules.c.
 *
 * A `struct metrics` is a sink on the event stream: the live tracer and
 * the trace reader feed the same hooks, so `--assert` on a live run and
 * `renacer-c assert` on a saved trace measure the same things. Memory is
 * bounded by processes, threads, distinct syscall names / strings, live
 * anonymous mappings, open GPU fds and the run-length histogram — never by
 * the number of events (except the golden sequence, which is collected
 * only when the config has an enabled `golden` assertion).
 *
 * Typical use:
 *
 *     struct metrics *m = metrics_new(cfg);           // cfg may be NULL
 *     struct sink *s = metrics_sink(m);
 *     // live: hand s to the tracer with the other sinks;
 *     // offline: metrics_read_trace(m, path, NULL, 0, &sum, err, n);
 *     //          trace_summary_run_info(&sum, &ri);
 *     s->finish(s->self, &ri);                        // optional, idempotent
 *     rules_evaluate(cfg, m, &results, &nresults);
 *     ...report...;
 *     results_free(results, nresults);
 *     s->destroy(s->self);                            // frees m (see below)
 *
 * Ownership: metrics_new allocates m; metrics_sink returns a sink that
 * belongs to m (its `destroy` calls metrics_free). Call either
 * s->destroy(s->self) or metrics_free(m), not both. Strings in the query
 * results below (exe, names, source files, paths) are owned by m and stay
 * valid until it is freed.
 *
 * Order independence: process_end may arrive before (live) or after
 * (offline reader) a process's events; every measurement is the same
 * either way, with one documented exception (allocations of a process
 * killed by a signal: without an exit_group event its memory leaves the
 * live sum only when process_end arrives).
 *
 * Definitions (what each query measures):
 *
 *  Processes. A process is a thread-group id seen in an event's pid or in
 *  a process_end. exe = basename of process_end's exe (" (deleted)"
 *  stripped), else of the last successful execve's path, else the fork
 *  parent's exe. start = its first event's ts_ns (start_ns when it has no
 *  events); end = max(process_end end_ns, end of its last event).
 *  Fork edge: the parent's fork/vfork/clone/clone3 returning the child's
 *  pid (clone with CLONE_THREAD is a thread, not an edge), at the call's
 *  exit time. Wait edge: wait4 returning a child pid, or waitid(P_PID,
 *  pid) returning 0, at the call's exit time (waitid(P_ALL) does not say
 *  which child it reaped: no edge). The parent link is the fork edge, else
 *  ppid.
 *
 *  Critical path (selection: the roots are processes whose exe basename
 *  matches the pattern, the tree is the roots and their descendants; no
 *  pattern = all processes). wall = last end − first start over the
 *  tree. The path is built backwards from T_end at the process L that
 *  ended last, cursor = T_end:
 *    1. In process P at cursor, take the wait edge of P with the latest
 *       return ≤ cursor whose child C was still running when the wait was
 *       entered (end(C) > wait entry: the wait actually blocked on C) and
 *       that has not been used. P's segment is [h, cursor] with
 *       h = end(C) (clamped into [T0, cursor]); continue in C at h.
 *    2. Else, if P has a parent Q in the tree (not used yet), P's
 *       segment is [fork return, cursor] (without a traced fork edge —
 *       e.g. filtered out — [start(P), cursor]); continue in Q there.
 *    3. Else P is a root: its segment is [start(P), cursor]; if another
 *       root started earlier, the remaining [T0, start(P)] is a segment
 *       with pid 0 (exe "(before pid N)").
 *  So the child's exit → parent's wait-return latency is charged to the
 *  parent, a child's time before its parent's fork returned is charged to
 *  the parent, and segments are contiguous: they sum exactly to wall.
 *  Each edge is used once, so the walk ends after ≤ 2·processes steps.
 *  Each segment names its longest syscall: every process keeps the longest
 *  call of each stretch between its fork/wait edges (the edge calls
 *  themselves excluded); a segment reports the longest of those that
 *  overlaps it.
 *
 *  Allocations. Per process, an interval set of live anonymous mappings:
 *  successful mmap unmaps [addr, addr+len) (MAP_FIXED replaces) and, with
 *  MAP_ANONYMOUS (flags & 0x20), maps it; lengths round up to 4 KiB;
 *  munmap subtracts exactly the overlapped anonymous bytes; mremap
 *  (old, oldlen, newlen, flags, new) removes the old range (unless
 *  MREMAP_DONTUNMAP) and, if it overlapped an anonymous mapping, maps
 *  [result, result+newlen). brk: the first brk result after exec is the
 *  base, later results the end; heap = end − base. A process's bytes =
 *  anonymous mapped + heap. execve clears them; a forked child starts
 *  empty (inherited pages are copy-on-write, not new allocations — and
 *  counting them would double every fork); a process's bytes leave the
 *  sum at its exit_group (or process_end, whichever comes first). The
 *  value is the peak over time of the sum over live processes.
 *
 *  TightLoop. Per tid, runs of consecutive identical calls: same name and,
 *  when the first argument is an fd, the same fd; ioctl also the same
 *  request. Each finished run adds its length to a per-process histogram
 *  (length → number of runs); confidence(min_run) = calls in runs of
 *  length ≥ min_run / all calls.
 *
 *  GPU (PcieBottleneck). fd → path per process for successful open,
 *  openat, openat2 of /dev/nvidia..., /dev/dri/..., /dev/kfd, /dev/accel/...;
 *  dup/dup2/dup3/fcntl(F_DUPFD*) copy, close/close_range/dup2 onto it
 *  forget, execve forgets all, fork copies the parent's table. A syscall
 *  is on a GPU fd when any of its fd-kind arguments is one. Confidence per
 *  process = time in such syscalls / the process's wall time; the highest
 *  over the selected processes. With explicit GPU spans: transfer /
 *  (transfer + kernel) duration.
 *
 *  GodProcess. Own CPU time of a process = utime+stime from process_end
 *  minus that of the children it waited for (the kernel's wait rusage
 *  includes reaped descendants). Confidence = largest own / sum of own.
 *
 *  ExcessiveIO. I/O calls (read write pread64 pwrite64 readv writev preadv
 *  pwritev preadv2 pwritev2 sendto recvfrom sendmsg recvmsg sendmmsg
 *  recvmmsg sendfile splice copy_file_range) of the selected processes per
 *  second of their wall time (first start → last end).
 *
 *  BlockingMainThread. Longest finished syscall with tid == pid, except
 *  the explicit waits (wait4 waitid futex poll ppoll select pselect6
 *  epoll_wait epoll_pwait epoll_pwait2 pause rt_sigsuspend rt_sigtimedwait
 *  nanosleep clock_nanosleep).
 */
#ifndef RENACER_METRICS_H
#define RENACER_METRICS_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "sink.h"
#include "trace_reader.h"
#include "verdict.h"

struct metrics;
struct golden_seq;

/* A new, empty metrics object. cfg (may be NULL) is only looked at to see
 * whether an enabled golden assertion needs the run's golden sequence
 * collected. NULL on out-of-memory. */
struct metrics *metrics_new(const struct config *cfg);
void metrics_free(struct metrics *m);

/* The sink that feeds m (owned by m; destroy frees m). Its finish hook
 * records the run_info and closes the open runs; it returns 0 (or -1
 * with a message when memory ran out while measuring). */
struct sink *metrics_sink(struct metrics *m);

/* Offline: read the saved trace at path (trace_read_file) into m's sink
 * and the nextra sinks of extra (fed after it, may be 0), and take the
 * trace's explicit GPU spans. *ts gets the trace's summary (release it
 * with trace_summary_free, also on error); the caller then finishes the
 * sink with trace_summary_run_info(ts). Returns TRACE_OK, or an enum
 * trace_read_rc with a one-line message in err. */
int metrics_read_trace(struct metrics *m, const char *path, struct sink *const *extra, int nextra,
		       struct trace_summary *ts, char *err, size_t errlen);

/* Explicit GPU spans (metrics_read_trace adds the trace's). Copied.
 * Returns 0, or -1 on out-of-memory. */
int metrics_add_gpu_spans(struct metrics *m, const struct trace_gpu_span *g, size_t n);

/* true when an allocation failed while measuring (results would be
 * incomplete; rules_evaluate then fails too). */
bool metrics_oom(const struct metrics *m);

/* The golden sequence collected from the stream, or NULL when it was not
 * requested (see metrics_new). */
const struct golden_seq *metrics_golden_seq(const struct metrics *m);

/* ------------------------------------------------------------------ */
/* Queries. A NULL `sel` means all processes.                          */

/* Number of processes (those selected by exe basename when sel != NULL). */
size_t metrics_nprocesses(struct metrics *m, const regex_t *sel);

struct cp_segment {
	pid_t pid;                 /* 0 for the "(before pid N)" gap segment */
	const char *exe;           /* basename, "?" when unknown */
	uint64_t start_ns, end_ns; /* contiguous: seg[i].end_ns == seg[i+1].start_ns */
	const char *longest;       /* the segment's longest syscall, NULL when none */
	uint64_t longest_ns;
	const char *src_file;      /* its call site, NULL when unknown */
	unsigned src_line;
};

struct critical_path {
	uint64_t start_ns, end_ns; /* wall = end_ns - start_ns */
	size_t nprocs;             /* processes in the tree */
	struct cp_segment *seg;    /* chronological; owned, free with critical_path_free */
	size_t nseg;
};

/* Critical path of the tree rooted at the processes whose exe basename
 * matches roots (NULL: all). Returns 0, 1 when the tree is empty (*cp
 * zeroed), -1 on out-of-memory. */
int metrics_critical_path(struct metrics *m, const regex_t *roots, struct critical_path *cp);
void critical_path_free(struct critical_path *cp);

/* Completed (finished) calls whose name matches re (NULL: all). */
uint64_t metrics_span_count(struct metrics *m, const regex_t *re);

struct syscall_stats {
	uint64_t calls;            /* all calls, finished or not */
	uint64_t finished;
	uint64_t errors;
	uint64_t time_ns;          /* sum of durations */
};
/* Stats of one syscall by name (zeros when never called). */
void metrics_syscall_stats(struct metrics *m, const char *name, struct syscall_stats *out);
/* Sum of the durations of all calls. */
uint64_t metrics_total_time_ns(struct metrics *m);

struct mem_peak {
	uint64_t bytes;            /* peak of the live sum */
	uint64_t ts_ns;            /* when it was reached */
	pid_t pid;                 /* whose call reached it (0 when bytes == 0) */
	const char *exe;
	const char *call;          /* that call's name */
	const char *src_file;
	unsigned src_line;
};
void metrics_alloc_peak(struct metrics *m, struct mem_peak *out);

struct rss_info {
	uint64_t maxrss_kb;        /* largest maxrss of any process, 0 when none reported */
	pid_t pid;
	const char *exe;
};
void metrics_max_rss(struct metrics *m, struct rss_info *out);

struct god_info {
	size_t nprocs;             /* selected processes */
	uint64_t total_cpu_us;     /* sum of own CPU time */
	uint64_t top_cpu_us;
	pid_t top_pid;
	const char *top_exe;
	double confidence;         /* top / total; 0 when total is 0 */
};
void metrics_god_process(struct metrics *m, const regex_t *sel, struct god_info *out);

struct loop_info {
	uint64_t calls;            /* all calls of the selected processes */
	uint64_t in_runs;          /* calls inside runs of length >= min_run */
	uint64_t longest;          /* the longest run (any length) */
	const char *longest_name;
	pid_t longest_tid;
	const char *src_file;      /* call site of the longest run's first call */
	unsigned src_line;
	double confidence;         /* in_runs / calls; 0 when calls is 0 */
};
void metrics_tight_loop(struct metrics *m, const regex_t *sel, uint64_t min_run, struct loop_info *out);

struct gpu_info {
	bool have_spans;           /* explicit GPU spans with a positive total */
	uint64_t transfer_ns, kernel_ns, transfer_bytes;
	size_t ntransfer, nkernel;
	bool have_fds;             /* some selected process opened a GPU device */
	pid_t pid;                 /* the process with the highest fd-based share */
	const char *exe;
	uint64_t gpu_ns;           /* its time in syscalls on GPU fds */
	uint64_t wall_ns;          /* its wall time */
	uint64_t ioctls;           /* its ioctls on GPU fds */
	uint64_t gpu_calls;        /* its syscalls on GPU fds */
	const char *paths[4];      /* its GPU device paths (first 4) */
	size_t npaths;
	double confidence;         /* spans when have_spans, else fd-based; 0 when neither */
};
void metrics_gpu(struct metrics *m, const regex_t *sel, struct gpu_info *out);

struct io_info {
	size_t nprocs;
	uint64_t io_calls;
	uint64_t wall_ns;          /* first start → last end of the selected processes */
	double rate;               /* io_calls per second; 0 when wall_ns is 0 */
};
void metrics_io_rate(struct metrics *m, const regex_t *sel, struct io_info *out);

struct block_info {
	bool found;                /* some main-thread non-wait call finished */
	pid_t pid;
	const char *exe;
	const char *call;
	uint64_t duration_ns;
	uint64_t ts_ns;
	const char *src_file;
	unsigned src_line;
};
void metrics_main_block(struct metrics *m, const regex_t *sel, struct block_info *out);

/* ------------------------------------------------------------------ */
/* Evaluation                                                          */

/* One result per assertion of cfg, in order (*out is NULL when cfg->n is
 * 0). Comparisons: a measured value equal to its budget passes; an anti-
 * pattern is violated when its confidence >= threshold (docs/design.md,
 * "Assertions"), except ExcessiveIO and BlockingMainThread, which compare
 * their own budget (rate > max_ops_per_sec, block > max_block_ms) and
 * report confidence = min(1, value / budget) only in the summary.
 * A violation is V_FAIL, or V_WARN when fail_on_violation is false;
 * enabled = false is V_SKIP ("disabled"); a check that does not apply is
 * V_PASS with not_applicable; a golden baseline that cannot be read is
 * V_ERROR. Golden baselines are resolved against cfg->dir unless
 * absolute. Returns 0, or -1 on out-of-memory (nothing allocated). */
int rules_evaluate(const struct config *cfg, struct metrics *m, struct assertion_result **out, size_t *n);

#endif
