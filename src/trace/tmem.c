/* tmem.c — tracee memory reads with a per-stop page cache. */
#include "tmem.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

void tmem_init(struct tmem *m)
{
	memset(m, 0, sizeof(*m));
	m->gen = 1;
}

static size_t peek_page(pid_t tid, uint64_t page, unsigned char *dst)
{
	size_t got = 0;
	for (; got < TMEM_PAGE; got += sizeof(long)) {
		errno = 0;
		long w = ptrace(PTRACE_PEEKDATA, tid, (void *)(uintptr_t)(page + got), NULL);
		if (w == -1 && errno != 0)
			break;
		memcpy(dst + got, &w, sizeof(w));
	}
	return got;
}

/* The cached page for (tid, page), reading it on a miss. NULL when the
 * page is unreadable. */
static struct tmem_slot *page_get(struct tmem *m, pid_t tid, uint64_t page)
{
	for (unsigned i = 0; i < TMEM_SLOTS; i++) {
		struct tmem_slot *s = &m->slot[i];
		if (s->gen == m->gen && s->tid == tid && s->page == page)
			return s->valid ? s : NULL;
	}
	struct tmem_slot *s = &m->slot[m->next_victim];
	m->next_victim = (m->next_victim + 1) % TMEM_SLOTS;
	s->tid = tid;
	s->page = page;
	s->gen = m->gen;
	s->valid = 0;
	m->reads++;
	if (!m->use_peek) {
		struct iovec local = { s->data, TMEM_PAGE };
		struct iovec remote = { (void *)(uintptr_t)page, TMEM_PAGE };
		ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (n > 0) {
			s->valid = (size_t)n;
			return s;
		}
		if (n < 0 && (errno == ENOSYS || errno == EPERM))
			m->use_peek = true;
		else
			return NULL;
	}
	s->valid = peek_page(tid, page, s->data);
	return s->valid ? s : NULL;
}

ssize_t tmem_read(struct tmem *m, pid_t tid, uint64_t addr, void *dst, size_t len)
{
	unsigned char *out = dst;
	size_t done = 0;
	while (done < len) {
		uint64_t a = addr + done;
		if (a < addr) /* wrapped around the address space */
			break;
		uint64_t page = a & ~(uint64_t)(TMEM_PAGE - 1);
		size_t off = (size_t)(a - page);
		struct tmem_slot *s = page_get(m, tid, page);
		if (!s || off >= s->valid)
			break;
		size_t n = s->valid - off;
		if (n > len - done)
			n = len - done;
		memcpy(out + done, s->data + off, n);
		done += n;
		if (s->valid < TMEM_PAGE)
			break;
	}
	if (done == 0 && len > 0)
		return -1;
	return (ssize_t)done;
}

ssize_t tmem_read_str(struct tmem *m, pid_t tid, uint64_t addr, char *dst, size_t max, bool *complete)
{
	size_t done = 0;
	*complete = false;
	dst[0] = '\0';
	for (;;) {
		uint64_t a = addr + done;
		uint64_t page = a & ~(uint64_t)(TMEM_PAGE - 1);
		size_t off = (size_t)(a - page);
		struct tmem_slot *s = page_get(m, tid, page);
		if (!s || off >= s->valid)
			break;
		size_t n = s->valid - off;
		const unsigned char *src = s->data + off;
		const unsigned char *nul = memchr(src, '\0', n);
		size_t take = nul ? (size_t)(nul - src) : n;
		if (take > max - done)
			take = max - done;
		memcpy(dst + done, src, take);
		done += take;
		if (nul && done < max + 1 && (size_t)(nul - src) == take) {
			*complete = true;
			break;
		}
		if (done >= max || s->valid < TMEM_PAGE)
			break;
	}
	dst[done] = '\0';
	if (done == 0 && !*complete) {
		/* Distinguish "empty string" from "unreadable". */
		uint64_t page = addr & ~(uint64_t)(TMEM_PAGE - 1);
		struct tmem_slot *s = page_get(m, tid, page);
		if (!s || (size_t)(addr - page) >= s->valid)
			return -1;
	}
	return (ssize_t)done;
}

static ssize_t reader_read(void *self, pid_t tid, uint64_t addr, void *dst, size_t len)
{
	return tmem_read(self, tid, addr, dst, len);
}

static ssize_t reader_read_str(void *self, pid_t tid, uint64_t addr, char *dst, size_t max, bool *complete)
{
	return tmem_read_str(self, tid, addr, dst, max, complete);
}

struct mem_reader tmem_reader(struct tmem *m)
{
	struct mem_reader r = { m, reader_read, reader_read_str };
	return r;
}
