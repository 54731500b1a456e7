/* metrics_int.h — private to the metrics sink (src/analyze/metrics*.c).
 *
 * The metrics object and its per-process, per-thread and per-name records,
 * shared by the files that each measure one thing:
 *
 *   metrics.c               the sink: event dispatch, syscall names,
 *                           lifetime, the per-name counters
 *   metrics_procs.c         processes: identity, exe, fork/wait edges,
 *                           CPU time (GodProcess), I/O rate, main-thread
 *                           blocks
 *   metrics_memory.c        live anonymous mappings and brk heaps
 *   metrics_gpu.c           GPU device fds and explicit GPU spans
 *   metrics_runs.c          runs of identical calls (TightLoop)
 *   metrics_critical_path.c the longest calls between edges, and the
 *                           critical path through the process tree
 *
 * What each measurement means is defined in metrics.h. Everything kept is
 * per process, per thread, per distinct syscall name or string, per live
 * anonymous mapping, per open GPU fd, per fork/wait edge or per distinct
 * run length: memory never grows with the number of events (the golden
 * sequence, collected only on request, is the one exception; see
 * docs/design.md, "Assertions"). */
#ifndef RENACER_METRICS_INT_H
#define RENACER_METRICS_INT_H

#include "hashmap.h"
#include "intern.h"
#include "metrics.h"

#define PAGE 4096u
#define NONE UINT32_MAX
#define CLONE_THREAD_FLAG 0x10000ull
#define MAP_ANON_FLAG 0x20ull
#define MREMAP_DONTUNMAP_FLAG 4ull
#define CLOSE_RANGE_CLOEXEC_FLAG 4ull
#define P_PID_IDTYPE 1ull
#define F_DUPFD_CMD 0ull
#define F_DUPFD_CLOEXEC_CMD 1030ull
#define MAX_LEN (1ull << 48)     /* lengths beyond the address space are junk */

/* What a syscall name means to the metrics. */
enum kind {
	K_OTHER,
	K_FORK,       /* fork vfork clone clone3 */
	K_WAIT4,
	K_WAITID,
	K_EXECVE,
	K_EXECVEAT,
	K_MMAP,
	K_MUNMAP,
	K_MREMAP,
	K_BRK,
	K_OPEN,       /* open creat: path is arg 0 */
	K_OPENAT,     /* openat openat2: path is arg 1 */
	K_CLOSE,
	K_CLOSE_RANGE,
	K_DUP,        /* dup dup2 dup3 */
	K_FCNTL,
	K_IOCTL,
	K_EXIT_GROUP,
};

/* One syscall name: its classification and counters. */
struct nstat {
	const char *name; /* interned */
	uint64_t calls, finished, errors, time_ns;
	enum kind kind;
	bool io;          /* counts for ExcessiveIO */
	bool wait;        /* explicit wait: not a main-thread block */
	bool ret_fd;      /* returns a new fd */
	uint8_t fdmask;   /* bit i: argument i is an fd */
};

/* The longest call in one stretch of a process between fork/wait edges. */
struct piece {
	uint32_t nid;     /* NONE: no call yet */
	uint64_t ts, dur;
	const char *file;
	unsigned line;
};

struct ival {
	uint64_t a, b;    /* [a, b) */
};

struct gfd {
	int fd;
	const char *path;
};

struct runbin {
	uint64_t len, nruns;
};

struct mproc {
	pid_t pid, ppid;
	const char *exe;          /* basename from process_end, interned */
	const char *exec_exe;     /* basename of the last successful execve */
	bool have_events;
	uint64_t first_ts, last_end;
	bool ended;
	uint64_t start_ns, end_ns;
	uint64_t cpu_us, maxrss_kb;

	struct mproc *fparent;    /* fork edge */
	uint64_t fork_ts;
	struct mproc *waiter;     /* wait edge */
	uint64_t wait_entry, wait_ret;

	struct piece *pieces;
	size_t npieces, cpieces;

	/* allocations */
	struct ival *iv;
	size_t niv, civ;
	uint64_t anon;
	bool brk_set;
	uint64_t brk_base, brk_end;
	bool mem_dead;
	uint64_t contrib;

	/* GPU */
	struct gfd *gfds;
	size_t ngfd, cgfd;
	const char **gpaths;      /* every GPU path it opened */
	size_t ngpath, cgpath;
	uint64_t gpu_ns, gpu_calls, gpu_ioctls;

	/* loops, I/O */
	uint64_t calls, io_calls;
	struct runbin *bins;
	size_t nbins, cbins;
	uint64_t longest_run;
	uint32_t longest_nid;
	pid_t longest_tid;
	const char *longest_file;
	unsigned longest_line;

	/* main-thread block */
	uint32_t block_nid;       /* NONE: none yet */
	uint64_t block_ns, block_ts;
	const char *block_file;
	unsigned block_line;

	/* scratch for queries (index_waits) */
	bool in_tree, used_down, used_up;
	struct mproc *first_waited, *next_waited; /* the children it waited for */
	uint64_t kids_cpu;                        /* their reported CPU time */
};

struct tstate {
	pid_t tid;
	struct mproc *p;
	uint32_t nid;
	uint64_t k0, k1;
	uint64_t len;             /* 0: no open run */
	const char *file;
	unsigned line;
};

struct metrics {
	struct sink sink;
	bool oom;
	bool finished;

	struct nstat *ns;         /* by name id */
	size_t nns, cns;
	struct hmap names;        /* name -> id (struct name_ent) */
	struct intern_tab *strs;  /* interned strings: names, exe, files, paths */

	struct mproc **procs;
	size_t nprocs, cprocs;
	struct hmap pidmap;       /* pid -> index in procs (the latest record) */

	struct tstate *ts;
	size_t nts, cts;
	struct hmap tidmap;       /* tid -> index in ts */

	uint64_t total_ns;

	uint64_t mem_cur, mem_peak, peak_ts;
	pid_t peak_pid;
	uint32_t peak_nid;
	const char *peak_file;
	unsigned peak_line;

	struct trace_gpu_span *gpu;  /* explicit GPU spans (metrics_add_gpu_spans) */
	size_t ngpu, cgpu;

	struct run_info ri;

	struct golden_seq *gseq;
	struct sink *gsink;
};


/* ------------------------------------------------------------------ */
/* metrics.c: shared helpers                                           */

/* Interned copy of s (NULL for NULL; NULL and m->oom set on
 * out-of-memory). Valid until metrics_free. */
const char *metrics_intern(struct metrics *m, const char *s);
/* The syscall name with id nid, NULL for NONE. */
const char *metrics_nid_name(const struct metrics *m, uint32_t nid);
/* A finished call that succeeded. */
bool metrics_call_ok(const struct event *ev);
/* A strace-quoted string argument ("/dev/nvidia0", maybe followed by
 * ...) unescaped into buf; false when arg is not a quoted string or does
 * not fit. */
bool metrics_unquote(const char *arg, char *buf, size_t cap);

/* An int -> index map (pid or tid -> record) on a struct hmap made
 * with metrics_index_init: the index of key k, or -1; set k -> v
 * (insert or overwrite), false on out-of-memory. */
void metrics_index_init(struct hmap *m);
long metrics_index_find(const struct hmap *m, int32_t k);
bool metrics_index_set(struct hmap *m, int32_t k, uint32_t v);

/* ------------------------------------------------------------------ */
/* metrics_procs.c                                                     */

/* A process that has events or ended (not only a tentative record made
 * by a fork or wait edge). */
bool mproc_real(const struct mproc *p);
struct mproc *mproc_lookup(struct metrics *m, pid_t pid);
struct mproc *mproc_create(struct metrics *m, pid_t pid);
struct mproc *mproc_at(struct metrics *m, pid_t pid, uint64_t ts);
/* exe basename of path, " (deleted)" stripped, interned. */
const char *mproc_basename(struct metrics *m, const char *path);
struct mproc *mproc_parent(struct metrics *m, const struct mproc *p);
const char *mproc_exe(struct metrics *m, const struct mproc *p);
bool mproc_selected(struct metrics *m, const struct mproc *p, const regex_t *sel);
void mproc_index_waits(struct metrics *m);
uint64_t mproc_start(const struct mproc *p);
uint64_t mproc_end(const struct mproc *p);
/* Fork and wait edges; true when ev is an edge call. */
bool mproc_on_edges(struct metrics *m, struct mproc *p, const struct event *ev, enum kind k);
void mproc_on_exec(struct metrics *m, struct mproc *p, const struct event *ev, enum kind k, uint32_t nid);
/* Keep ev when it is the main thread's longest blocking call so far. */
void mproc_note_block(struct metrics *m, struct mproc *p, const struct event *ev, uint32_t nid,
		      const struct nstat *s, uint64_t longest);

/* ------------------------------------------------------------------ */
/* metrics_memory.c                                                    */

void mem_on_call(struct metrics *m, struct mproc *p, const struct event *ev, enum kind k, uint32_t nid);
void mem_update(struct metrics *m, struct mproc *p, const struct event *ev, uint32_t nid);
void mem_clear(struct mproc *p);
/* The process's bytes leave the live sum for good (exit). */
void mem_kill(struct metrics *m, struct mproc *p);

/* ------------------------------------------------------------------ */
/* metrics_gpu.c                                                       */

long gpu_fd_find(const struct mproc *p, long fd);
void gpu_fd_set(struct metrics *m, struct mproc *p, long fd, const char *path);
/* Track the GPU fd table through opens, dups and closes. */
void gpu_on_fds(struct metrics *m, struct mproc *p, const struct event *ev, const struct nstat *s);
/* Charge ev (n calls, dur ns) to p's GPU time when it uses a GPU fd. */
void gpu_note_call(struct mproc *p, const struct event *ev, const struct nstat *s, uint64_t dur, uint64_t n);

/* ------------------------------------------------------------------ */
/* metrics_runs.c                                                      */

void runs_on_call(struct metrics *m, struct mproc *p, const struct event *ev, uint32_t nid,
		  const struct nstat *s);
/* Close every open run (at finish and before each query). */
void runs_settle(struct metrics *m);

/* ------------------------------------------------------------------ */
/* metrics_critical_path.c                                             */

/* Record ev in p's current stretch between edges (an edge call starts a
 * new stretch). */
void cp_note_call(struct metrics *m, struct mproc *p, const struct event *ev, uint32_t nid, uint64_t longest,
		  bool edge);

#endif
