/* decode_mem.h — how decoders read the traced task's memory.
 *
 * Decoders never call ptrace or process_vm_readv themselves: they read
 * through this interface. The tracer passes its page-cached reader
 * (src/trace/tmem.c); unit tests pass a fake over a buffer, so every
 * decoder can be tested without a tracee. The struct is borrowed for the
 * duration of a decode call; nothing here allocates. */
#ifndef RENACER_DECODE_MEM_H
#define RENACER_DECODE_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct mem_reader {
	void *self;
	/* Copy up to len bytes at addr into dst: the number copied (short
	 * when a later part is unreadable), or -1 when addr is unreadable. */
	ssize_t (*read)(void *self, pid_t tid, uint64_t addr, void *dst, size_t len);
	/* A NUL-terminated string of at most max bytes into dst (max+1
	 * bytes, always terminated): its length, or -1 when unreadable;
	 * *complete false when no NUL was found within max bytes. */
	ssize_t (*read_str)(void *self, pid_t tid, uint64_t addr, char *dst, size_t max, bool *complete);
};

static inline ssize_t mem_read(const struct mem_reader *m, pid_t tid, uint64_t addr, void *dst, size_t len)
{
	return m->read(m->self, tid, addr, dst, len);
}

static inline ssize_t mem_read_str(const struct mem_reader *m, pid_t tid, uint64_t addr, char *dst, size_t max,
				   bool *complete)
{
	return m->read_str(m->self, tid, addr, dst, max, complete);
}

#endif
