/* tasks.c — the tid → task hash table with a free list. */
#include "tasks.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static unsigned slot_of(const struct task_table *t, pid_t tid)
{
	return ((unsigned)tid * 2654435761u) & (t->nbucket - 1);
}

int tasks_init(struct task_table *t)
{
	memset(t, 0, sizeof(*t));
	t->nbucket = 256;
	t->bucket = calloc(t->nbucket, sizeof(*t->bucket));
	return t->bucket ? 0 : -1;
}

static void free_chain(struct task *p)
{
	while (p) {
		struct task *n = p->hnext;
		free(p);
		p = n;
	}
}

void tasks_destroy(struct task_table *t)
{
	if (t->bucket)
		for (unsigned i = 0; i < t->nbucket; i++)
			free_chain(t->bucket[i]);
	free_chain(t->free_list);
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

struct task *task_find(const struct task_table *t, pid_t tid)
{
	for (struct task *p = t->bucket[slot_of(t, tid)]; p; p = p->hnext)
		if (p->tid == tid)
			return p;
	return NULL;
}

static void grow(struct task_table *t)
{
	unsigned n = t->nbucket * 2;
	struct task **b = calloc(n, sizeof(*b));
	if (!b)
		return; /* keep working with longer chains */
	struct task **old = t->bucket;
	unsigned oldn = t->nbucket;
	t->bucket = b;
	t->nbucket = n;
	for (unsigned i = 0; i < oldn; i++) {
		struct task *p = old[i];
		while (p) {
			struct task *next = p->hnext;
			unsigned s = slot_of(t, p->tid);
			p->hnext = b[s];
			b[s] = p;
			p = next;
		}
	}
	free(old);
}

struct task *task_add(struct task_table *t, pid_t tid)
{
	struct task *p = t->free_list;
	if (p)
		t->free_list = p->hnext;
	else if (!(p = malloc(sizeof(*p))))
		return NULL;
	memset(p, 0, offsetof(struct task, at));
	p->tid = tid;
	p->pid = tid;
	p->nr = -1;
	if (t->count + 1 > t->nbucket)
		grow(t);
	unsigned s = slot_of(t, tid);
	p->hnext = t->bucket[s];
	t->bucket[s] = p;
	t->count++;
	t->ever++;
	return p;
}

static void unlink_task(struct task_table *t, struct task *task)
{
	struct task **pp = &t->bucket[slot_of(t, task->tid)];
	while (*pp && *pp != task)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = task->hnext;
}

void task_remove(struct task_table *t, struct task *task)
{
	unlink_task(t, task);
	t->count--;
	task->hnext = t->free_list;
	t->free_list = task;
}

void task_rekey(struct task_table *t, struct task *task, pid_t new_tid)
{
	unlink_task(t, task);
	task->tid = new_tid;
	unsigned s = slot_of(t, new_tid);
	task->hnext = t->bucket[s];
	t->bucket[s] = task;
}

void tasks_foreach(struct task_table *t, void (*fn)(struct task *, void *), void *arg)
{
	for (unsigned i = 0; i < t->nbucket; i++)
		for (struct task *p = t->bucket[i]; p; p = p->hnext)
			fn(p, arg);
}
