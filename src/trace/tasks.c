/* tasks.c — the tid → task table with a free list. */
#include "tasks.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int tasks_init(struct task_table *t)
{
	memset(t, 0, sizeof(*t));
	hmap_u64_init(&t->map);
	/* Room for 128 tasks before the first growth. */
	return hmap_reserve(&t->map, 128) ? 0 : -1;
}

static void free_all(struct task *p)
{
	while (p) {
		struct task *n = p->next_free;
		free(p);
		p = n;
	}
}

void tasks_destroy(struct task_table *t)
{
	size_t pos = 0;
	for (struct hmap_u64 *e; (e = hmap_next(&t->map, &pos));)
		free(e->ptr);
	hmap_free(&t->map);
	free_all(t->free_list);
	memset(t, 0, sizeof(*t));
}

struct task *task_find(const struct task_table *t, pid_t tid)
{
	return hmap_u64_find(&t->map, (uint64_t)tid);
}

struct task *task_add(struct task_table *t, pid_t tid)
{
	struct task *p = t->free_list;
	if (p)
		t->free_list = p->next_free;
	else if (!(p = malloc(sizeof(*p))))
		return NULL;
	if (!hmap_u64_put(&t->map, (uint64_t)tid, p)) {
		p->next_free = t->free_list;
		t->free_list = p;
		return NULL;
	}
	memset(p, 0, offsetof(struct task, at));
	p->tid = tid;
	p->pid = tid;
	p->nr = -1;
	t->count++;
	t->ever++;
	return p;
}

void task_remove(struct task_table *t, struct task *task)
{
	hmap_u64_remove(&t->map, (uint64_t)task->tid);
	t->count--;
	task->next_free = t->free_list;
	t->free_list = task;
}

void task_rekey(struct task_table *t, struct task *task, pid_t new_tid)
{
	hmap_u64_remove(&t->map, (uint64_t)task->tid);
	task->tid = new_tid;
	/* The slot just freed makes room: no allocation, cannot fail. */
	(void)hmap_u64_put(&t->map, (uint64_t)new_tid, task);
}

void tasks_foreach(struct task_table *t, void (*fn)(struct task *, void *), void *arg)
{
	size_t pos = 0;
	for (struct hmap_u64 *e; (e = hmap_next(&t->map, &pos));)
		fn(e->ptr, arg);
}
