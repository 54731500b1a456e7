/* obuf.h — a bounded output buffer over caller-owned storage.
 *
 * Ownership: the caller owns `buf` (usually a fixed array on the stack or in
 * a per-task struct); obuf never allocates. Appends past capacity are
 * truncated silently and set `overflow`, so formatting can never write out of
 * bounds and never fails. The content is always NUL-terminated (cap >= 1). */
#ifndef RENACER_OBUF_H
#define RENACER_OBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct obuf {
	char *buf;
	size_t cap; /* bytes available including the terminating NUL */
	size_t len;
	bool overflow;
};

void obuf_init(struct obuf *ob, char *storage, size_t cap);
void obuf_reset(struct obuf *ob);
void obuf_putc(struct obuf *ob, char c);
void obuf_puts(struct obuf *ob, const char *s);
void obuf_putn(struct obuf *ob, const char *s, size_t n);
void obuf_printf(struct obuf *ob, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void obuf_put_long(struct obuf *ob, long v);        /* decimal */
void obuf_put_ulong(struct obuf *ob, unsigned long v); /* decimal */
void obuf_put_hex(struct obuf *ob, unsigned long v);   /* 0x... lower case */
void obuf_put_oct(struct obuf *ob, unsigned long v);   /* 0... like strace modes: 0644, 0 */

#endif
