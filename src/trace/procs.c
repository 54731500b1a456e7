/* procs.c — pid → process record hash table. */
#include "procs.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned slot_of(const struct proc_table *t, pid_t pid)
{
	return ((unsigned)pid * 2654435761u) & (t->nbucket - 1);
}

int procs_init(struct proc_table *t)
{
	memset(t, 0, sizeof(*t));
	t->nbucket = 64;
	t->bucket = calloc(t->nbucket, sizeof(*t->bucket));
	return t->bucket ? 0 : -1;
}

void procs_destroy(struct proc_table *t)
{
	for (unsigned i = 0; t->bucket && i < t->nbucket; i++) {
		struct proc *p = t->bucket[i];
		while (p) {
			struct proc *n = p->next;
			free(p->exe);
			free(p);
			p = n;
		}
	}
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

struct proc *procs_find(const struct proc_table *t, pid_t pid)
{
	for (struct proc *p = t->bucket[slot_of(t, pid)]; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

static void grow(struct proc_table *t)
{
	unsigned n = t->nbucket * 2;
	struct proc **b = calloc(n, sizeof(*b));
	if (!b)
		return;
	struct proc **old = t->bucket;
	unsigned oldn = t->nbucket;
	t->bucket = b;
	t->nbucket = n;
	for (unsigned i = 0; i < oldn; i++) {
		struct proc *p = old[i];
		while (p) {
			struct proc *next = p->next;
			unsigned s = slot_of(t, p->pid);
			p->next = b[s];
			b[s] = p;
			p = next;
		}
	}
	free(old);
}

struct proc *procs_get(struct proc_table *t, pid_t pid, uint64_t now_ns)
{
	struct proc *p = procs_find(t, pid);
	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->start_ns = now_ns;
	if (t->count + 1 > t->nbucket)
		grow(t);
	unsigned s = slot_of(t, pid);
	p->next = t->bucket[s];
	t->bucket[s] = p;
	t->count++;
	return p;
}

void procs_refresh_exe(struct proc *p)
{
	char link[64], target[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/%ld/exe", (long)p->pid);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	char *copy = strdup(target);
	if (!copy)
		return; /* keep the old name */
	free(p->exe);
	p->exe = copy;
}

void procs_remove(struct proc_table *t, struct proc *p)
{
	struct proc **pp = &t->bucket[slot_of(t, p->pid)];
	while (*pp && *pp != p)
		pp = &(*pp)->next;
	if (*pp)
		*pp = p->next;
	t->count--;
	free(p->exe);
	free(p);
}

/* A numeric field ("Tgid", "PPid") of /proc/TID/status, or fallback. */
pid_t proc_status_field(pid_t tid, const char *field, pid_t fallback)
{
	char path[64], buf[1024], key[32];
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fallback;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return fallback;
	buf[n] = '\0';
	snprintf(key, sizeof(key), "\n%s:", field);
	char *p = strstr(buf, key);
	if (!p)
		return fallback;
	long v = strtol(p + strlen(key), NULL, 10);
	return v > 0 ? (pid_t)v : fallback;
}

