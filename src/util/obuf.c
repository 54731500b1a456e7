/* obuf.c — bounded output buffer (see src/util/obuf.h). */
#include "obuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void obuf_init(struct obuf *ob, char *storage, size_t cap)
{
	ob->buf = storage;
	ob->cap = cap;
	ob->len = 0;
	ob->overflow = false;
	if (storage && cap > 0)
		storage[0] = '\0';
}

void obuf_reset(struct obuf *ob)
{
	ob->len = 0;
	ob->overflow = false;
	if (ob->buf && ob->cap > 0)
		ob->buf[0] = '\0';
}

/* Bytes that can still be appended (excluding the NUL). */
static size_t obuf_room(const struct obuf *ob)
{
	if (!ob->buf || ob->cap == 0 || ob->len + 1 >= ob->cap)
		return 0;
	return ob->cap - 1 - ob->len;
}

void obuf_putn(struct obuf *ob, const char *s, size_t n)
{
	size_t room = obuf_room(ob);
	if (n > room) {
		n = room;
		ob->overflow = true;
	}
	if (n > 0) {
		memcpy(ob->buf + ob->len, s, n);
		ob->len += n;
	}
	if (ob->buf && ob->cap > 0)
		ob->buf[ob->len] = '\0';
}

void obuf_putc(struct obuf *ob, char c)
{
	obuf_putn(ob, &c, 1);
}

void obuf_puts(struct obuf *ob, const char *s)
{
	obuf_putn(ob, s, strlen(s));
}

void obuf_printf(struct obuf *ob, const char *fmt, ...)
{
	va_list ap;
	size_t room = obuf_room(ob);
	int n;

	if (!ob->buf || ob->cap == 0) {
		ob->overflow = true;
		return;
	}
	va_start(ap, fmt);
	/* room + 1 bytes remain including the NUL slot. */
	n = vsnprintf(ob->buf + ob->len, room + 1, fmt, ap);
	va_end(ap);
	if (n < 0) {
		ob->buf[ob->len] = '\0';
		return;
	}
	if ((size_t)n > room) {
		ob->len += room;
		ob->overflow = true;
	} else {
		ob->len += (size_t)n;
	}
	ob->buf[ob->len] = '\0';
}

/* Digits of v in base (8, 10 or 16), most significant first, into tmp;
 * returns the start pointer inside tmp. */
static const char *utoa_base(char tmp[32], unsigned long v, unsigned base)
{
	static const char digits[] = "0123456789abcdef";
	char *p = tmp + 31;
	*p = '\0';
	do {
		*--p = digits[v % base];
		v /= base;
	} while (v);
	return p;
}

void obuf_put_ulong(struct obuf *ob, unsigned long v)
{
	char tmp[32];
	obuf_puts(ob, utoa_base(tmp, v, 10));
}

void obuf_put_long(struct obuf *ob, long v)
{
	if (v < 0) {
		obuf_putc(ob, '-');
		/* negate in unsigned arithmetic: safe for LONG_MIN */
		obuf_put_ulong(ob, 0UL - (unsigned long)v);
	} else {
		obuf_put_ulong(ob, (unsigned long)v);
	}
}

void obuf_put_hex(struct obuf *ob, unsigned long v)
{
	char tmp[32];
	if (v == 0) {
		obuf_putc(ob, '0');
		return;
	}
	obuf_puts(ob, "0x");
	obuf_puts(ob, utoa_base(tmp, v, 16));
}

void obuf_put_oct(struct obuf *ob, unsigned long v)
{
	char tmp[32];
	obuf_putc(ob, '0');
	if (v == 0)
		return;
	obuf_puts(ob, utoa_base(tmp, v, 8));
}
