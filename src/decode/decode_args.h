/* decode_args.h — turning a syscall's raw arguments into strace text.
 *
 * Arguments the kernel reads are decoded at entry (the tracee may change or
 * even replace its memory afterwards: execve); arguments the kernel writes
 * are decoded at exit. Each decoded argument is a NUL-terminated string in
 * the caller-owned struct argtext, which is reused for every call of a
 * task, so decoding never allocates. */
#ifndef RENACER_DECODE_ARGS_H
#define RENACER_DECODE_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "obuf.h"
#include "syscall_table.h"
#include "decode_mem.h"

#define ARGTEXT_CAP 8192

struct argtext {
	char buf[ARGTEXT_CAP];
	struct obuf ob;
	int nshown;                 /* arguments printed (may be < nargs: open mode) */
	int8_t show[6];             /* raw argument index of each printed argument */
	int32_t off[6];             /* text offset per raw argument, -1 = not yet */
	char ret[160];              /* decoded return value */
};

struct decode_cfg {
	unsigned string_limit;      /* --string-limit */
	bool show_paths;            /* -y */
	bool fds_all;               /* -yy: sockets PROTO:[...], devices <char M:m> too */
	bool show_comm;             /* -Y: <comm> after pids */
	int strings_hex;            /* -x, -xx: enum hex_style (decode_string.h) */
	int xlat;                   /* -X: 0 abbrev (names), 1 raw (numbers), 2 verbose (both) */
	bool verbose;               /* -v: every stat field, every argv/envp element */
};

struct decode_call {
	const struct mem_reader *mem; /* the tracee's memory */
	pid_t tid;
	const struct decode_cfg *cfg;
	const struct syscall_info *info; /* NULL for an unknown number */
	long nr;
	const uint64_t *args;       /* 6 raw arguments */
};

/* Append "<comm>" of process pid from /proc/PID/comm (-Y); nothing when
 * pid <= 0 or the process is gone. */
void put_pid_comm(struct obuf *ob, long pid);

void decode_entry(const struct decode_call *c, struct argtext *at);
/* finished=false: the call never returned (arguments still completed,
 * result "?"). */
void decode_exit(const struct decode_call *c, struct argtext *at, bool finished, long result);
/* Text of the k-th printed argument. */
static inline const char *argtext_arg(const struct argtext *at, int k)
{
	int i = at->show[k];
	return at->off[i] >= 0 ? at->buf + at->off[i] : "?";
}

/* How many leading printed arguments were decoded at entry (what an
 * "<unfinished ...>" line can show). */
static inline int argtext_entry_count(const struct argtext *at)
{
	int k = 0;
	while (k < at->nshown && at->off[at->show[k]] >= 0)
		k++;
	return k;
}

#endif
