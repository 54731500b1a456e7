/* sbuf.h — a growable, always NUL-terminated string buffer.
 *
 * Why: reports, normalised traces and parsed TOML strings are built piece
 * by piece with no useful upper bound on their size; obuf (fixed storage,
 * truncates) is for the per-event path, sbuf for these.
 *
 * Ownership: the struct is the caller's (zero-initialised, or SBUF_INIT);
 * the bytes at `p` are malloc()ed by sbuf and belong to the sbuf until
 * sbuf_take hands them to the caller (who then free()s them) or sbuf_free
 * releases them.
 *
 * Errors: an allocation failure or a size overflow sets `oom`, which
 * sticks: every later append is ignored, so a builder can append freely
 * and check `oom` once at the end. Until then `p` (when not NULL) holds
 * `len` bytes followed by a NUL. The fields may be read directly; write
 * `p[len..]` only after sbuf_reserve, then call sbuf_advance. */
#ifndef RENACER_SBUF_H
#define RENACER_SBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sbuf {
	char *p;    /* NULL until the first append */
	size_t len; /* bytes held, not counting the NUL */
	size_t cap; /* bytes allocated at p */
	bool oom;   /* an append failed; sticky */
};

#define SBUF_INIT { NULL, 0, 0, false }

/* The first allocation, in bytes. */
#define SBUF_MIN_CAP 64

/* Make room for `extra` more bytes plus the NUL. false (and oom) when the
 * size would overflow or memory runs out; false at once after an oom. */
bool sbuf_reserve(struct sbuf *b, size_t extra);

/* Append n bytes (they may include NULs). Inline: the common case is a
 * memcpy into room that is already there. */
static inline void sbuf_putn(struct sbuf *b, const void *s, size_t n)
{
	if (b->oom)
		return;
	if (n >= b->cap - b->len && !sbuf_reserve(b, n)) /* cap - len >= 1 once p is set */
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_putn(b, s, strlen(s));
}

static inline void sbuf_putc(struct sbuf *b, char c)
{
	sbuf_putn(b, &c, 1);
}

/* printf-style append of any length (no truncation). */
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Decimal integers without the printf machinery (hot loops). */
void sbuf_put_u64(struct sbuf *b, uint64_t v);
void sbuf_put_i64(struct sbuf *b, int64_t v);

/* After writing n bytes at p + len into room made by sbuf_reserve: count
 * them and terminate. */
void sbuf_advance(struct sbuf *b, size_t n);

/* Empty the string but keep the storage (and clear oom) for reuse. */
void sbuf_reset(struct sbuf *b);

/* Hand the string to the caller, who free()s it; b is left empty
 * (SBUF_INIT). Returns NULL after an oom (the bytes are freed), otherwise a
 * NUL-terminated string, an allocated "" when nothing was appended (NULL
 * if even that fails). *len, when len is not NULL, gets its length. */
char *sbuf_take(struct sbuf *b, size_t *len);

/* Free the bytes; b is left empty (SBUF_INIT). */
void sbuf_free(struct sbuf *b);

#endif
