/* tmem.h — reading tracee memory.
 *
 * process_vm_readv with a small page cache that is valid for one ptrace
 * stop (tmem_next_stop invalidates it); PTRACE_PEEKDATA only when
 * process_vm_readv is unavailable. Reads are split at page boundaries so an
 * unmapped page fails alone. The struct is caller-owned (one per tracer);
 * nothing allocates after tmem_init. */
#ifndef RENACER_TMEM_H
#define RENACER_TMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "decode_mem.h"

#define TMEM_PAGE 4096u
#define TMEM_SLOTS 4

struct tmem_slot {
	pid_t tid;
	uint64_t page;      /* page-aligned address */
	uint64_t gen;       /* valid when equal to tmem.gen */
	size_t valid;       /* bytes readable from the page start (0 = unreadable) */
	unsigned char data[TMEM_PAGE];
};

struct tmem {
	uint64_t gen;
	unsigned next_victim;
	bool use_peek;      /* process_vm_readv unavailable: fall back */
	uint64_t reads;     /* syscalls issued, for benchmarks and tests */
	struct tmem_slot slot[TMEM_SLOTS];
};

void tmem_init(struct tmem *m);
/* The decoders' view of m (src/decode/decode_mem.h). */
struct mem_reader tmem_reader(struct tmem *m);
/* Forget everything cached: the tracee ran since. */
static inline void tmem_next_stop(struct tmem *m) { m->gen++; }

/* Copy up to len bytes at addr into dst. Returns the number of bytes
 * copied (short when a later page is unreadable), or -1 when nothing at
 * addr is readable. */
ssize_t tmem_read(struct tmem *m, pid_t tid, uint64_t addr, void *dst, size_t len);

/* Copy a NUL-terminated string of at most max bytes (not counting the NUL)
 * into dst (which must hold max+1 bytes; always NUL-terminated). Returns
 * its length, or -1 when addr is unreadable. *complete is false when no
 * NUL was found within max bytes (or the string ran into an unreadable
 * page). */
ssize_t tmem_read_str(struct tmem *m, pid_t tid, uint64_t addr, char *dst, size_t max, bool *complete);

#endif
