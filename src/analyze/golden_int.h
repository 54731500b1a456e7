/* golden_int.h — private to the golden-trace code (src/analyze/golden*.c).
 *
 *   golden_store.c  string interning and the integer map the sequence is
 *                   built from
 *   golden_seq.c    the sequence: tasks, processes, elements; the sink
 *                   that fills it and the loader
 *   golden_norm.c   normalisation of one event into its displayed text
 *                   and compared key (rules G1-G8 in golden.h)
 *   golden_myers.c  the alignment of two sequences (Myers' diff)
 *
 * Storage: every distinct string (normalised text, key, source file,
 * function) is interned once per seq; an element is a few 32-bit ids plus
 * its record index, kept in one growable array per task. Memory grows
 * with the number of observable calls and the number of distinct strings
 * (see docs/design.md, "Golden traces"). */
#ifndef RENACER_GOLDEN_INT_H
#define RENACER_GOLDEN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "event.h"
#include "golden.h"
#include "hashmap.h"
#include "sbuf.h"

/* ------------------------------------------------------------------ */
/* String interning (golden_store.c)                                   */

struct istr {
	size_t off;     /* into arena */
	size_t len;
	uint64_t hash;
};

struct intern {
	char *arena;
	size_t alen, acap;
	struct istr *strs;  /* by id; id 0 is "" */
	size_t nstrs, scap;
	struct hmap ids;    /* string -> id; zeroed: set up on the first add */
};

/* Id of the n bytes at s (added when new, NUL-terminated in the arena),
 * or -1 on OOM. Id 0 is "" once the seq is made. */
long golden_intern_add(struct intern *in, const char *s, size_t n);
/* Id of the n bytes at s whose hash (as stored in struct istr) is h, or
 * -1 when absent. */
long golden_intern_find(const struct intern *in, const char *s, size_t n, uint64_t h);
const char *golden_intern_str(const struct intern *in, uint32_t id);
void golden_intern_free(struct intern *in);

/* ------------------------------------------------------------------ */
/* Integer map (golden_store.c): int64 -> uint32 on a struct hmap       */
/* (zeroed: set up on the first put)                                    */

#define IMAP_ABSENT UINT32_MAX

/* The value of key, IMAP_ABSENT when absent. */
uint32_t golden_imap_get(const struct hmap *m, int64_t key);
/* Set key -> val; 0, or -1 on OOM. */
int golden_imap_put(struct hmap *m, int64_t key, uint32_t val);
void golden_imap_free(struct hmap *m);

/* ------------------------------------------------------------------ */
/* The sequence (golden_seq.c)                                         */

struct elem {
	uint32_t text, key;  /* intern ids */
	uint32_t file, fn;   /* intern ids, 0 = none */
	uint32_t line;
	uint64_t record;
};

struct task {
	uint32_t label;      /* intern id of the "[pN] " prefix ("" for the first task) */
	struct elem *e;
	size_t n, cap;
};

/* One fd number of a process and its name fdN (G4). */
struct fdent {
	uint32_t name;
	bool open;
};

struct proc {
	uint32_t ordinal;    /* 1-based order of first appearance */
	uint32_t nthreads;
	bool in_prelude;
	struct hmap fds;     /* fd number -> index in ents */
	struct fdent *ents;
	size_t nents, ecap;
	uint8_t *used;       /* used[name] != 0: fdN taken */
	size_t ucap;
	uint32_t hint;       /* no free name below this */
};

struct golden_seq {
	struct intern in;
	struct task *tasks;
	size_t ntasks, tcap;
	struct proc *procs;
	size_t nprocs, pcap;
	struct hmap tid_task; /* tid -> task index */
	struct hmap pid_proc; /* pid -> proc index */
	size_t len;
	uint64_t records;
	bool has_source;
	bool failed;
	uint8_t *cls;         /* by syscall number: enum call_class bits, 0 = not yet */
	size_t ncls;
	struct sbuf tbuf, kbuf; /* normalisation scratch, reused */
};

/* Index of pid's process record (created on first sight), -1 on OOM. */
long golden_proc_index(struct golden_seq *s, pid_t pid);
/* Index of tid's task (created on first sight, labelled by its order in
 * process p; p NULL: process 1), -1 on OOM. */
long golden_task_index(struct golden_seq *s, pid_t tid, struct proc *p);
/* Append e to task t; 0, or -1 on OOM. */
int golden_task_push(struct golden_seq *s, struct task *t, const struct elem *e);

/* ------------------------------------------------------------------ */
/* Normalisation (golden_norm.c)                                       */

/* What normalisation needs to know about a call, by name. */
enum call_class {
	CC_DROP = 1u << 0,     /* G3 */
	CC_PIDRES = 1u << 1,   /* G5: returns a pid */
	CC_EXEC = 1u << 2,     /* execve, execveat */
	CC_CLOSE = 1u << 3,
	CC_DUP = 1u << 4,      /* dup, dup2, dup3, fcntl */
	CC_DUP23 = 1u << 5,    /* dup2, dup3 */
	CC_FCNTL = 1u << 6,
	CC_KNOWN = 1u << 7,    /* cache entry filled */
};

/* Normalise ev and append it to its task (or drop it: prelude, G3).
 * Sets s->failed on OOM. */
void golden_seq_event(struct golden_seq *s, const struct event *ev);

#endif
