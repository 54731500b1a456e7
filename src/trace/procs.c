/* procs.c — pid → process record table, and /proc/PID facts. */
#include "procs.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linereader.h"

int procs_init(struct proc_table *t)
{
	hmap_u64_init(&t->map);
	return hmap_reserve(&t->map, 32) ? 0 : -1;
}

static void proc_free(struct proc *p)
{
	free(p->exe);
	free(p);
}

void procs_destroy(struct proc_table *t)
{
	size_t pos = 0;
	for (struct hmap_u64 *e; (e = hmap_next(&t->map, &pos));)
		proc_free(e->ptr);
	hmap_free(&t->map);
}

struct proc *procs_find(const struct proc_table *t, pid_t pid)
{
	return hmap_u64_find(&t->map, (uint64_t)pid);
}

struct proc *procs_get(struct proc_table *t, pid_t pid, uint64_t now_ns)
{
	struct proc *p = procs_find(t, pid);
	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p || !hmap_u64_put(&t->map, (uint64_t)pid, p)) {
		free(p);
		return NULL;
	}
	p->pid = pid;
	p->start_ns = now_ns;
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
	hmap_u64_remove(&t->map, (uint64_t)p->pid);
	proc_free(p);
}

/* A numeric field ("Tgid", "PPid") of /proc/TID/status, or fallback. */
pid_t proc_status_field(pid_t tid, const char *field, pid_t fallback)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)tid);
	struct linereader lr;
	if (linereader_open(&lr, path, buf, sizeof(buf)) < 0)
		return fallback;
	size_t flen = strlen(field), len;
	long v = 0;
	for (char *line; (line = linereader_next(&lr, &len));) {
		/* "Tgid:\t42"; the first line is the Name, never a field asked for. */
		if (lr.lineno > 1 && len > flen && memcmp(line, field, flen) == 0 && line[flen] == ':') {
			v = strtol(line + flen + 1, NULL, 10);
			break;
		}
	}
	linereader_close(&lr);
	return v > 0 ? (pid_t)v : fallback;
}

