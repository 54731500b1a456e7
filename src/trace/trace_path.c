/* trace_path.c — -P PATH / --trace-fds: whether a call touches one of the
 * selected paths or file descriptors (checked at its entry). */
#include "engine_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "diag.h"

/* -P / --trace-fds: does FD of task TID match? */
static bool pt_fd_match(struct tracer *tr, pid_t tid, long fd)
{
	const struct tracer_config *o = &tr->cfg;
	if (fd < 0)
		return false;
	if (fd_set_has(&o->trace_fds, fd))
		return true;
	if (o->ntrace_paths == 0)
		return false;
	char link[64], path[4096];
	snprintf(link, sizeof(link), "/proc/%ld/fd/%ld", (long)tid, fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return false;
	path[n] = '\0';
	for (int i = 0; i < o->ntrace_paths; i++)
		if (!strcmp(path, o->trace_paths[i]))
			return true;
	return false;
}

/* -P / --trace-fds: does the call NR with ARGS touch a selected path or fd?
 * Path arguments are compared as the program passed them. */
bool trace_path_match(struct tracer *tr, struct task *t, long nr)
{
	const struct tracer_config *o = &tr->cfg;
	const struct syscall_info *info = syscall_lookup(nr);
	if (!info)
		return false;
	for (int i = 0; i < info->nargs && i < 6; i++) {
		switch (info->args[i]) {
		case AK_FD:
		case AK_DIRFD:
			if (pt_fd_match(tr, t->tid, (long)(int)t->args[i]))
				return true;
			break;
		case AK_PATH:
			if (o->ntrace_paths > 0 && t->args[i]) {
				char buf[4096];
				bool complete = false;
				if (tmem_read_str(&tr->mem, t->tid, t->args[i], buf, sizeof(buf), &complete) >= 0 &&
				    complete)
					for (int k = 0; k < o->ntrace_paths; k++)
						if (!strcmp(buf, o->trace_paths[k]))
							return true;
			}
			break;
		default:
			break;
		}
	}
	return false;
}
