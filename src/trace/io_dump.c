/* io_dump.c — -e read=SET / -e write=SET: strace's hex and ASCII dump of
 * what a successful read- or write-like call moved on a selected fd. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "diag.h"

/* -e read=/write=: strace's hex and ASCII dump of LEN bytes at ADDR. */
static void dump_bytes(struct tracer *tr, pid_t tid, uint64_t addr, uint64_t len)
{
	unsigned char chunk[4096];
	uint64_t off = 0;
	while (off < len) {
		size_t want = len - off < sizeof(chunk) ? (size_t)(len - off) : sizeof(chunk);
		ssize_t n = tmem_read(&tr->mem, tid, addr + off, chunk, want);
		if (n <= 0)
			return;
		for (size_t i = 0; i < (size_t)n; i += 16) {
			char line[96];
			size_t k = (size_t)snprintf(line, sizeof(line), "\n | %05llx  ", (unsigned long long)(off + i));
			for (size_t j = 0; j < 16; j++) {
				if (i + j < (size_t)n)
					k += (size_t)snprintf(line + k, sizeof(line) - k, "%02x ", chunk[i + j]);
				else
					k += (size_t)snprintf(line + k, sizeof(line) - k, "   ");
				if (j == 7)
					line[k++] = ' ';
			}
			line[k++] = ' ';
			for (size_t j = 0; j < 16; j++) {
				unsigned char c = i + j < (size_t)n ? chunk[i + j] : ' ';
				line[k++] = i + j < (size_t)n && (c < 0x20 || c > 0x7e) ? '.' : (char)c;
			}
			line[k++] = ' ';
			line[k++] = '|';
			obuf_putn(&tr->dump_ob, line, k);
		}
		off += (uint64_t)n;
		if ((size_t)n < want)
			return;
	}
}

static void dump_iov(struct tracer *tr, pid_t tid, uint64_t iov, uint64_t cnt, uint64_t total)
{
	for (uint64_t i = 0; i < cnt && total > 0; i++) {
		uint64_t v[2];
		if (tmem_read(&tr->mem, tid, iov + i * 16, v, sizeof(v)) != (ssize_t)sizeof(v))
			return;
		uint64_t n = v[1] < total ? v[1] : total;
		if (n == 0) /* strace stops at the first empty buffer */
			return;
		obuf_printf(&tr->dump_ob, "\n * %llu bytes in buffer %llu", (unsigned long long)n, (unsigned long long)i);
		dump_bytes(tr, tid, v[0], n);
		total -= n;
	}
}

/* The dump of a successful read/write-like call on a selected fd, or NULL. */
const char *io_dump(struct tracer *tr, struct task *t, long rval)
{
	const struct tracer_config *o = &tr->cfg;
	if ((!o->dump_read.on && !o->dump_write.on) || rval <= 0)
		return NULL;
	long fd = (long)(int)t->args[0];
	bool rd = false, wr = false, iov = false;
	switch (t->nr) {
	case SYS_read: case SYS_pread64: case SYS_recvfrom: rd = true; break;
	case SYS_readv: case SYS_preadv: case SYS_preadv2: rd = iov = true; break;
	case SYS_write: case SYS_pwrite64: case SYS_sendto: wr = true; break;
	case SYS_writev: case SYS_pwritev: case SYS_pwritev2: wr = iov = true; break;
	default: return NULL;
	}
	if ((rd && !fd_set_has(&o->dump_read, fd)) || (wr && !fd_set_has(&o->dump_write, fd)))
		return NULL;
	if (!tr->dump_buf) {
		tr->dump_cap = 1u << 20;
		tr->dump_buf = malloc(tr->dump_cap);
		if (!tr->dump_buf)
			return NULL;
	}
	obuf_init(&tr->dump_ob, tr->dump_buf, tr->dump_cap - 1);
	if (iov)
		dump_iov(tr, t->tid, t->args[1], t->args[2], (uint64_t)rval);
	else
		dump_bytes(tr, t->tid, t->args[1], (uint64_t)rval);
	if (tr->dump_ob.len == 0)
		return NULL;
	tr->dump_buf[tr->dump_ob.len] = '\0';
	return tr->dump_buf + 1; /* without the first newline */
}
