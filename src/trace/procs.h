/* procs.h — the tracer's table of traced processes (thread groups):
 * parent, executable, lifetime, for the JSON `processes` table and the
 * analyzer's process tree. Ownership: the table owns each record and its
 * exe string; records live until procs_remove. Bounded by the number of
 * live processes, never by events. */
#ifndef RENACER_PROCS_H
#define RENACER_PROCS_H

#include <stdint.h>
#include <sys/types.h>

#include "hashmap.h"

struct proc {
	pid_t pid;
	pid_t ppid;
	char *exe;          /* owned; NULL when unknown */
	uint64_t start_ns;
};

struct proc_table {
	struct hmap map;    /* pid -> struct proc * (src/util/hashmap.h) */
};

int procs_init(struct proc_table *t);
void procs_destroy(struct proc_table *t);
struct proc *procs_find(const struct proc_table *t, pid_t pid);
/* Find or add pid. NULL when out of memory. */
struct proc *procs_get(struct proc_table *t, pid_t pid, uint64_t now_ns);
/* Re-read the executable path from /proc/PID/exe. */
void procs_refresh_exe(struct proc *p);
void procs_remove(struct proc_table *t, struct proc *p);
/* A numeric field ("Tgid", "PPid") of /proc/TID/status, or fallback. */
pid_t proc_status_field(pid_t tid, const char *field, pid_t fallback);

#endif
