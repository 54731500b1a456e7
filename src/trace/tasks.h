/* tasks.h — per-task (thread) state of the tracer.
 *
 * A hash table keyed by tid (src/util/hashmap.h, tid -> record). Task
 * records are allocated when a task first appears and recycled through a
 * free list when it dies, so the syscall hot path never allocates.
 * Ownership: the table owns every record; pointers stay valid until
 * task_remove. */
#ifndef RENACER_TASKS_H
#define RENACER_TASKS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "decode_args.h"
#include "hashmap.h"
#include "source.h"

#define TASK_MAX_FRAMES 64

struct task {
	pid_t tid;
	pid_t pid;             /* thread-group id */
	bool in_syscall;       /* entry seen, exit not yet */
	bool hidden;           /* launch child before its execve: not reported */
	bool decoded;          /* at holds the entry-decoded arguments */
	bool stopped;          /* in a ptrace-stop we have not resumed yet */
	bool attached;         /* attached with -p (vs launched/followed) */
	bool shown_call;       /* the current call passes the filter (not hidden) */
	bool pt_skip;          /* -P/--trace-fds: the current call touches none of them */
	bool entry_shown;      /* its entry went out as an "<unfinished ...>" line */
	int8_t split;          /* arguments that line held */
	long nr;
	uint64_t args[6];
	uint64_t entry_ns;
	uint64_t ip;
	struct task *next_free; /* free list */
	const char *module;    /* file mapped at ip (interned), JSON only */
	bool has_src;          /* -s found a user call site */
	struct source_loc src; /* its strings are interned by the resolver */
	int nframes;           /* -k */
	struct stack_frame frames[TASK_MAX_FRAMES];
	struct argtext at;
};

struct task_table {
	struct hmap map;       /* tid -> struct task * */
	unsigned count;        /* live tasks */
	unsigned ever;         /* tasks ever added */
	struct task *free_list;
};

int tasks_init(struct task_table *t);
void tasks_destroy(struct task_table *t);
struct task *task_find(const struct task_table *t, pid_t tid);
/* Add a record for tid (must not exist). NULL when out of memory. */
struct task *task_add(struct task_table *t, pid_t tid);
void task_remove(struct task_table *t, struct task *task);
/* Change a task's tid (exec from a non-leader thread). */
void task_rekey(struct task_table *t, struct task *task, pid_t new_tid);
/* Call fn for every task (fn may not add or remove tasks). */
void tasks_foreach(struct task_table *t, void (*fn)(struct task *, void *), void *arg);

#endif
