/* seccomp_filter.h — the in-kernel syscall filter for --seccomp-bpf.
 *
 * A classic-BPF program returning SECCOMP_RET_TRACE for the syscalls the
 * filter traces (plus execve/execveat always, and the calls that change
 * mappings when source correlation needs them) and SECCOMP_RET_ALLOW for
 * the rest, so untraced calls never stop the tracee. Ownership: the
 * program is heap-allocated by seccomp_build and freed by seccomp_free;
 * seccomp_install runs in the child between fork and exec and only makes
 * system calls. */
#ifndef RENACER_SECCOMP_FILTER_H
#define RENACER_SECCOMP_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include "filter.h"

struct seccomp_prog {
	struct sock_filter *insn;
	unsigned short len;
};

/* Returns 0, or -1 when out of memory or the program would be too long. */
int seccomp_build(const struct filter *f, bool trace_maps, struct seccomp_prog *out);
void seccomp_free(struct seccomp_prog *p);
/* In the child: install, setting no_new_privs first only if the kernel
 * refuses without it (*used_nnp tells). Returns 0 or -1 (errno set). */
int seccomp_install(const struct seccomp_prog *p, bool *used_nnp);
/* Whether syscall nr is stopped on under the program built with these
 * inputs (the engine's view of the same decision). */
bool seccomp_traces(const struct filter *f, bool trace_maps, long nr);

#endif
