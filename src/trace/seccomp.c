/* seccomp.c — build and install the --seccomp-bpf filter. */
#include "seccomp_filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "syscall_table.h"

/* A conditional jump reaches at most 255 instructions ahead: a RET TRACE
 * is placed after every group of this many comparisons. */
#define GROUP 200
#define X32_BIT 0x40000000u

static bool is_maps_call(long nr)
{
	return nr == SYS_mmap || nr == SYS_munmap || nr == SYS_mremap || nr == SYS_mprotect ||
	       nr == SYS_shmat || nr == SYS_shmdt || nr == SYS_remap_file_pages;
}

bool seccomp_traces(const struct filter *f, bool trace_maps, long nr)
{
	if (nr == SYS_execve || nr == SYS_execveat)
		return true;
	if (trace_maps && is_maps_call(nr))
		return true;
	return filter_traces(f, nr);
}

static struct sock_filter stmt(unsigned short code, unsigned k)
{
	struct sock_filter s = { code, 0, 0, k };
	return s;
}

static struct sock_filter jump(unsigned short code, unsigned k, unsigned char jt, unsigned char jf)
{
	struct sock_filter s = { code, jt, jf, k };
	return s;
}

int seccomp_build(const struct filter *f, bool trace_maps, struct seccomp_prog *out)
{
	unsigned ntraced = 0;
	for (long nr = 0; nr < FILTER_MAX_NR; nr++)
		if (seccomp_traces(f, trace_maps, nr))
			ntraced++;
	/* prologue (6) + comparisons + one RET TRACE per group + RET ALLOW */
	size_t cap = 6 + ntraced + ntraced / GROUP + 1 + 1;
	if (cap > BPF_MAXINSNS)
		return -1;
	struct sock_filter *p = calloc(cap, sizeof(*p));
	if (!p)
		return -1;
	size_t n = 0;
	/* Another architecture (i386 via int 0x80): trace it, so the tracer
	 * sees and reports it rather than missing it. */
	p[n++] = stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	p[n++] = jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	p[n++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	p[n++] = stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	/* Numbers past the table (x32 has bit 30 set) follow trace_unknown. */
	p[n++] = jump(BPF_JMP | BPF_JGE | BPF_K, FILTER_MAX_NR, 0, 1);
	p[n++] = stmt(BPF_RET | BPF_K, f->trace_unknown ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW);

	/* Groups of equality tests, each closed by a RET TRACE that all its
	 * matches jump to; the group's last test skips it on a mismatch. */
	size_t group_start = n;
	for (long nr = 0; nr < FILTER_MAX_NR; nr++) {
		if (!seccomp_traces(f, trace_maps, nr))
			continue;
		p[n++] = jump(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 0);
		bool last = true;
		for (long m = nr + 1; m < FILTER_MAX_NR; m++)
			if (seccomp_traces(f, trace_maps, m)) {
				last = false;
				break;
			}
		if (n - group_start == GROUP || last) {
			size_t ret = n;
			for (size_t i = group_start; i < ret; i++)
				p[i].jt = (unsigned char)(ret - i - 1);
			p[ret - 1].jf = 1;
			p[n++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
			group_start = n;
		}
	}
	p[n++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	out->insn = p;
	out->len = (unsigned short)n;
	return 0;
}

void seccomp_free(struct seccomp_prog *p)
{
	free(p->insn);
	p->insn = NULL;
	p->len = 0;
}

/* no_new_privs would strip set-user-ID programs of their privileges, so
 * it is set only when the kernel demands it: a task without CAP_SYS_ADMIN
 * in its user namespace gets EACCES. */
int seccomp_install(const struct seccomp_prog *p, bool *used_nnp)
{
	struct sock_fprog prog = { .len = p->len, .filter = p->insn };
	*used_nnp = false;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	if (errno != EACCES)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	*used_nnp = true;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}
