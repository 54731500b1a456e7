/* golden.h — golden-trace comparison (docs/design.md, "Golden traces"): the observable sequence
 * of a trace, and the similarity of two sequences.
 *
 * Normalisation: drop the dynamic loader's prelude (calls issued from the
 * loader module before the program's first own call), drop
 * non-observable calls (mmap munmap mprotect brk futex rseq getrandom
 * clock_* set_robust_list rt_sig* by default), renumber fds in order of
 * appearance, relativize pids, ignore addresses and timing.
 * Ownership: golden_seq_new/golden_seq_load allocate, golden_seq_free
 * releases; the sink from golden_seq_sink feeds a seq it does not own
 * (destroying the sink leaves the seq alive).
 *
 * The rules in full (golden_norm.c implements them; the other golden*.c
 * files are listed in golden_int.h):
 *
 *  G1 Tasks. Each thread is a task; tasks are numbered by order of first
 *     appearance: process N (order of first appearance of its pid) and
 *     thread M within it. The sequence is the concatenation of the tasks'
 *     own call sequences in that order (so scheduling interleavings do not
 *     matter). Calls of any task but the first are prefixed "[pN] "
 *     ("[pN.tM] " for a thread that is not the process's first).
 *  G2 Loader prelude. Per process, records whose `module` is the dynamic
 *     loader (basename "ld-linux*" or "ld-*.so*") are dropped until the
 *     process's first record from any other module; a successful execve
 *     starts the prelude again. Records without a module end the prelude.
 *  G3 Non-observable calls are dropped: mmap munmap mprotect brk futex
 *     rseq getrandom clock_* set_robust_list rt_sig* (the documented
 *     default), plus mremap
 *     madvise (allocator-driven, like mmap/brk), arch_prctl
 *     set_tid_address prlimit64 (libc start-up state; prlimit64 reports
 *     the environment's ulimits), restart_syscall sched_yield (signal and
 *     scheduling timing), gettimeofday time (clock reads, like clock_*).
 *  G4 fds. 0, 1 and 2 stay as they are. Every other fd a call returns
 *     (fd-returning calls, pipe/socketpair arrays, fcntl F_DUPFD*) takes
 *     the lowest free name fd1, fd2, ... of its process (a dup2/dup3
 *     result that is the call's own target fd keeps that name); close()
 *     frees the name. An fd argument prints by the name its number has;
 *     a number never seen (inherited, or opened in the dropped prelude)
 *     takes the lowest free name on first use. So fd names do not depend
 *     on inherited fds or the loader's, and an extra open+close changes
 *     nothing else; an extra fd kept open shifts the names of fds opened
 *     while it is open, as it shifts the kernel's numbers.
 *  G5 pids. Positive pid arguments and the results of pid-returning calls
 *     (fork, vfork, clone, clone3, wait4, waitid, getpid, gettid, getppid,
 *     getpgid, getpgrp, getsid, setsid) print as PID.
 *  G6 Addresses. Non-NULL pointer arguments, results printed in hex
 *     (mmap-like) and any hex literal >= 0x10000 outside a quoted string
 *     print as ADDR. Durations and timestamps are never part of a call.
 *  G7 Results: "?" for a call that never returned, "-1 ENAME" for a
 *     failure (the strerror text is dropped), else the decimal value.
 *  G8 What is compared (the key) is the normalised text with the payload
 *     masked: data buffers (read/write-like buffers, iovecs), the byte
 *     count that goes with a buffer (write's length, read's capacity: it
 *     often follows from earlier data, e.g. a loop reading /proc/self/maps)
 *     and the result of data-transfer calls (byte counts; 0 = EOF is
 *     kept) — the sequence of
 *     operations is compared, not the bytes of program output, which
 *     differ e.g. in a SIMD example's "Backend:" line. execve/execveat
 *     compare by the program's basename only (argv and envp depend on how
 *     the program was invoked). The displayed text keeps all of these. */
#ifndef RENACER_GOLDEN_H
#define RENACER_GOLDEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sink.h"

#define GOLDEN_DEFAULT_TOLERANCE 0.05

struct golden_seq;

struct golden_seq *golden_seq_new(void);
void golden_seq_free(struct golden_seq *s);
/* A sink that appends each event's normalised form to s. NULL on OOM. */
struct sink *golden_seq_sink(struct golden_seq *s);
/* Read a saved trace (trace_reader) into a new seq. Returns 0, or a
 * trace_read_rc error with a message in err. */
int golden_seq_load(const char *path, struct golden_seq **out, char *err, size_t errlen);
size_t golden_seq_len(const struct golden_seq *s);
/* 2·LCS / (|A| + |B|) over the normalised sequences; 1.0 for two empty.
 * -1.0 when out of memory. (A lower bound when the alignment exceeded
 * the work budget; see golden_diff.) */
double golden_similarity(const struct golden_seq *a, const struct golden_seq *b);

/* Records the seq was fed (observable or not). */
uint64_t golden_seq_records(const struct golden_seq *s);
/* true when at least one kept call carries a source location. */
bool golden_seq_has_source(const struct golden_seq *s);
/* true when a sink or golden_seq_append ran out of memory: the seq is
 * incomplete and must not be compared. */
bool golden_seq_failed(const struct golden_seq *s);

/* Append an already normalised call to the first task (TEXT displayed,
 * KEY compared; KEY NULL = TEXT). For tests and benchmarks. 0 or -1 (OOM). */
int golden_seq_append(struct golden_seq *s, const char *text, const char *key);

/* The I-th element of the sequence (0-based). Pointers stay valid until
 * golden_seq_free. Returns 0, or -1 when I is out of range. */
struct golden_call {
	const char *text;        /* normalised call as displayed */
	const char *key;         /* what is compared (payload masked, G8) */
	const char *file;        /* source file (as recorded), NULL when none */
	unsigned line;
	const char *function;    /* NULL when unknown */
	uint64_t record;         /* 0-based index of the record in the trace */
};
int golden_seq_at(const struct golden_seq *s, size_t i, struct golden_call *out);

/* Alignment of two sequences (Myers' O((N+M)D) linear-space diff on
 * interned keys). When the search exceeds max_work steps (a step is one
 * diagonal extension or one element comparison), the part not yet aligned
 * is reported as one replaced block: the alignment stays valid, lcs and
 * similarity become lower bounds and exact is false. */
struct golden_hunk {
	size_t a_start, a_len;   /* golden elements [a_start, a_start + a_len) */
	size_t b_start, b_len;   /* new elements */
};

struct golden_diff_opts {
	size_t max_hunks;        /* hunks to keep (all are counted) */
	uint64_t max_work;       /* 0: GOLDEN_DEFAULT_MAX_WORK */
};

#define GOLDEN_DEFAULT_MAX_WORK 200000000ull

struct golden_diff {
	size_t len_a, len_b;
	size_t lcs;
	double similarity;       /* 2·lcs / (len_a + len_b); 1.0 for two empty */
	bool exact;
	uint64_t work;           /* steps spent */
	size_t nhunks;           /* differing blocks in the alignment */
	struct golden_hunk *hunks;  /* the first min(nhunks, max_hunks), owned */
	size_t nkept;
};

/* Returns 0, or -1 when out of memory (OUT is then zeroed). OPTS may be
 * NULL (no hunks kept, default budget). Release with golden_diff_free. */
int golden_diff(const struct golden_seq *a, const struct golden_seq *b, const struct golden_diff_opts *opts,
		struct golden_diff *out);
void golden_diff_free(struct golden_diff *d);

#endif
