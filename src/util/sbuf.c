/* sbuf.c — the growable string buffer (see src/util/sbuf.h). */
#include "sbuf.h"

#include <stdio.h>
#include <stdlib.h>

#include "vec.h"

bool sbuf_reserve(struct sbuf *b, size_t extra)
{
	if (b->oom)
		return false;
	/* len + extra + 1 must not wrap. */
	if (extra >= SIZE_MAX - b->len) {
		b->oom = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need < SBUF_MIN_CAP)
		need = SBUF_MIN_CAP;
	if (!vec_grow(&b->p, &b->cap, need, 1)) {
		b->oom = true;
		return false;
	}
	return true;
}

void sbuf_advance(struct sbuf *b, size_t n)
{
	if (b->oom || !b->p)
		return;
	b->len += n;
	b->p[b->len] = '\0';
}

void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
	if (b->oom)
		return;
	/* Try the room already there; measure and retry only when it is
	 * short, so a small append costs one vsnprintf. */
	char dummy[1];
	char *dst = b->p ? b->p + b->len : dummy;
	size_t room = b->p ? b->cap - b->len : sizeof(dummy);
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(dst, room, fmt, ap);
	if (n < 0) {
		/* An encoding error: nothing is appended; keep the NUL. */
		if (b->p)
			b->p[b->len] = '\0';
		va_end(again);
		return;
	}
	if ((size_t)n >= room) {
		if (!sbuf_reserve(b, (size_t)n)) {
			if (b->p)
				b->p[b->len] = '\0';
			va_end(again);
			return;
		}
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	b->len += (size_t)n;
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

void sbuf_put_u64(struct sbuf *b, uint64_t v)
{
	char tmp[20]; /* UINT64_MAX has 20 digits */
	char *end = tmp + sizeof(tmp), *q = end;
	do {
		*--q = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sbuf_putn(b, q, (size_t)(end - q));
}

void sbuf_put_i64(struct sbuf *b, int64_t v)
{
	if (v < 0) {
		sbuf_putc(b, '-');
		/* -(INT64_MIN) does not fit an int64_t; it does a uint64_t. */
		sbuf_put_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		sbuf_put_u64(b, (uint64_t)v);
	}
}

void sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	b->oom = false;
	if (b->p)
		b->p[0] = '\0';
}

char *sbuf_take(struct sbuf *b, size_t *len)
{
	char *s = b->p;
	size_t n = b->len;
	bool oom = b->oom;
	*b = (struct sbuf)SBUF_INIT;
	if (oom) {
		free(s);
		s = NULL;
		n = 0;
	} else if (!s) {
		s = calloc(1, 1);
	}
	if (len)
		*len = n;
	return s;
}

void sbuf_free(struct sbuf *b)
{
	free(b->p);
	*b = (struct sbuf)SBUF_INIT;
}
