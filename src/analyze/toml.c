/* toml.c — TOML 1.0 parser producing a position-annotated tree.
 *
 * A hand-written recursive-descent parser over a byte buffer. The input is
 * UTF-8-validated once up front; afterwards every byte is consumed through
 * adv(), which maintains the 1-based line and character column. The first
 * error is recorded in the caller's struct toml_error and every function
 * returns -1 up the stack, freeing what it owns; the partial tree is then
 * released by toml_parse().
 *
 * Table definition rules (TOML 1.0 §Table, §Array of Tables) are tracked with
 * per-table flags:
 *   IMPLICIT  created as a parent of a [header]; may be defined once later by
 *             its own [header], and may be extended by dotted keys (which
 *             turns it into DOTTED);
 *   HEADER    defined by [header] / an element of [[header]]; never again by a
 *             header, and never extended by dotted keys from elsewhere;
 *   DOTTED    created by dotted keys; may be extended by more dotted keys in
 *             the same table section and traversed by deeper headers, but not
 *             defined by its own [header];
 *   INLINE    an inline table: frozen once its closing '}' is read.
 * Tables created by dotted keys are only reachable from the section that
 * created them (a later section can only reach them through a header), so no
 * per-section bookkeeping is needed. */
#include "toml.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "vec.h"

#define TOML_MAX_INPUT ((size_t)1 << 30)
#define INDEX_MIN_LEN 8

struct parser {
	const unsigned char *s;
	size_t n, i;
	unsigned line, col;
	struct toml_error *err;
	bool failed;
	struct toml_value *root;
	struct toml_value *cur; /* table receiving top-level key/values */
	locale_t cloc;          /* "C" locale for strtod_l, created lazily */
};

struct keyseg {
	char *s;
	size_t len;
	struct toml_pos pos;
};

struct keypath {
	struct keyseg *seg;
	size_t n, cap;
};

/* ------------------------------------------------------------------ */
/* errors and positions                                                */

static struct toml_pos here(const struct parser *p)
{
	struct toml_pos pos = { p->line, p->col };
	return pos;
}

static struct toml_pos pos_plus(struct toml_pos pos, size_t k)
{
	pos.col += (unsigned)k;
	return pos;
}

__attribute__((format(printf, 3, 4))) static int fail(struct parser *p, struct toml_pos at,
						      const char *fmt, ...)
{
	if (p->failed)
		return -1;
	p->failed = true;
	if (p->err) {
		va_list ap;
		p->err->line = at.line;
		p->err->col = at.col;
		va_start(ap, fmt);
		vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int fail_oom(struct parser *p)
{
	return fail(p, here(p), "out of memory");
}

static int peek(const struct parser *p)
{
	return p->i < p->n ? p->s[p->i] : -1;
}

static int peek_at(const struct parser *p, size_t k)
{
	return p->i + k < p->n ? p->s[p->i + k] : -1;
}

static void adv(struct parser *p)
{
	unsigned char c = p->s[p->i++];
	if (c == '\n') {
		p->line++;
		p->col = 1;
	} else if ((c & 0xC0) != 0x80) {
		p->col++;
	}
}

/* A short human description of the character at offset i. */
static void describe(const struct parser *p, char *buf, size_t sz)
{
	size_t i = p->i;
	if (i >= p->n) {
		snprintf(buf, sz, "end of file");
		return;
	}
	unsigned c = p->s[i];
	if (c == '\n')
		snprintf(buf, sz, "newline");
	else if (c == '\r')
		snprintf(buf, sz, "carriage return");
	else if (c == '\t')
		snprintf(buf, sz, "tab");
	else if (c == ' ')
		snprintf(buf, sz, "space");
	else if (c < 0x20 || c == 0x7f)
		snprintf(buf, sz, "control character U+%04X", c);
	else if (c < 0x80)
		snprintf(buf, sz, "'%c'", (char)c);
	else {
		/* input is validated UTF-8: print the whole character */
		size_t k = 1;
		while (i + k < p->n && k < 4 && (p->s[i + k] & 0xC0) == 0x80)
			k++;
		snprintf(buf, sz, "'%.*s'", (int)k, (const char *)p->s + i);
	}
}

static int fail_found(struct parser *p, const char *what)
{
	char d[32];
	describe(p, d, sizeof d);
	return fail(p, here(p), "%s, found %s", what, d);
}

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static bool is_bare(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append to a string being parsed (sbuf.h); -1 (the parse fails) when
 * memory runs out. */
static int sb_put(struct parser *p, struct sbuf *sb, const void *d, size_t n)
{
	sbuf_putn(sb, d, n);
	return sb->oom ? fail_oom(p) : 0;
}

static int sb_putc(struct parser *p, struct sbuf *sb, char c)
{
	return sb_put(p, sb, &c, 1);
}

/* Takes the buffer (always returns a valid NUL-terminated string, NULL
 * when out of memory). */
static char *sb_take(struct parser *p, struct sbuf *sb, size_t *len)
{
	char *r = sbuf_take(sb, len);
	if (!r)
		fail_oom(p);
	return r;
}

static size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Appends s[0..n) to buf (capacity sz) at *len, truncating. */
static void ap(char *buf, size_t sz, size_t *len, const char *s, size_t n)
{
	while (n-- && *len + 1 < sz)
		buf[(*len)++] = *s++;
	buf[*len] = '\0';
}

/* Renders key parts 0..upto (inclusive) as a dotted TOML key for messages. */
static void render_path(char *buf, size_t sz, const struct keypath *kp, size_t upto)
{
	size_t len = 0;
	const size_t limit = sz > 8 ? sz - 4 : sz;
	buf[0] = '\0';
	for (size_t i = 0; i <= upto && i < kp->n; i++) {
		const struct keyseg *sg = &kp->seg[i];
		bool bare = sg->len > 0;
		for (size_t k = 0; k < sg->len; k++)
			if (!is_bare((unsigned char)sg->s[k]))
				bare = false;
		if (i)
			ap(buf, limit, &len, ".", 1);
		if (bare) {
			ap(buf, limit, &len, sg->s, sg->len);
			continue;
		}
		ap(buf, limit, &len, "\"", 1);
		for (size_t k = 0; k < sg->len; k++) {
			unsigned char c = (unsigned char)sg->s[k];
			char e[8];
			if (c == '"' || c == '\\') {
				e[0] = '\\';
				e[1] = (char)c;
				ap(buf, limit, &len, e, 2);
			} else if (c < 0x20 || c == 0x7f) {
				snprintf(e, sizeof e, "\\u%04X", c);
				ap(buf, limit, &len, e, 6);
			} else {
				ap(buf, limit, &len, (const char *)&sg->s[k], 1);
			}
		}
		ap(buf, limit, &len, "\"", 1);
	}
	if (len + 1 >= limit && sz > 8) {
		/* truncated: do not cut a UTF-8 sequence in half, then mark it */
		while (len > 0 && ((unsigned char)buf[len - 1] & 0xC0) == 0x80)
			len--;
		if (len > 0 && (unsigned char)buf[len - 1] >= 0xC0)
			len--;
		buf[len] = '\0';
		ap(buf, sz, &len, "...", 3);
	}
}

static const char *type_article(enum toml_type t)
{
	switch (t) {
	case TOML_TABLE:
		return "a table";
	case TOML_ARRAY:
		return "an array";
	case TOML_STRING:
		return "a string";
	case TOML_INTEGER:
		return "an integer";
	case TOML_FLOAT:
		return "a float";
	case TOML_BOOL:
		return "a boolean";
	}
	return "a value";
}

/* ------------------------------------------------------------------ */
/* tree                                                                */

static void value_free(struct toml_value *v)
{
	if (!v)
		return;
	switch (v->type) {
	case TOML_TABLE:
		for (size_t i = 0; i < v->u.table.len; i++) {
			free(v->u.table.items[i].name);
			value_free(v->u.table.items[i].value);
		}
		free(v->u.table.items);
		free(v->u.table.index);
		break;
	case TOML_ARRAY:
		for (size_t i = 0; i < v->u.array.len; i++)
			value_free(v->u.array.items[i]);
		free(v->u.array.items);
		break;
	case TOML_STRING:
		free(v->u.string.ptr);
		break;
	default:
		break;
	}
	free(v);
}

static struct toml_value *new_value(struct parser *p, enum toml_type type, struct toml_pos pos,
				    unsigned depth)
{
	if ((type == TOML_TABLE || type == TOML_ARRAY) && depth > TOML_MAX_DEPTH) {
		fail(p, pos, "nesting too deep (limit %d)", TOML_MAX_DEPTH);
		return NULL;
	}
	struct toml_value *v = calloc(1, sizeof *v);
	if (!v) {
		fail(p, pos, "out of memory");
		return NULL;
	}
	v->type = type;
	v->pos = pos;
	v->depth = depth;
	return v;
}

static uint32_t hash_key(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static void index_insert(uint32_t *ix, size_t cap, const struct toml_kv *kv, size_t i)
{
	size_t mask = cap - 1;
	size_t h = hash_key(kv->name, kv->len) & mask;
	while (ix[h])
		h = (h + 1) & mask;
	ix[h] = (uint32_t)(i + 1);
}

static const struct toml_kv *table_find(const struct toml_value *t, const char *k, size_t n)
{
	const struct toml_kv *items = t->u.table.items;
	if (t->u.table.index) {
		size_t mask = t->u.table.index_cap - 1;
		size_t h = hash_key(k, n) & mask;
		uint32_t slot;
		while ((slot = t->u.table.index[h]) != 0) {
			const struct toml_kv *kv = &items[slot - 1];
			if (kv->len == n && memcmp(kv->name, k, n) == 0)
				return kv;
			h = (h + 1) & mask;
		}
		return NULL;
	}
	for (size_t i = 0; i < t->u.table.len; i++)
		if (items[i].len == n && memcmp(items[i].name, k, n) == 0)
			return &items[i];
	return NULL;
}

/* Adds key seg → v to table t. On failure v is NOT freed (caller owns it). */
static int table_add(struct parser *p, struct toml_value *t, const struct keyseg *seg,
		     struct toml_value *v)
{
	size_t len = t->u.table.len;
	if (len >= UINT32_MAX / 4)
		return fail(p, seg->pos, "too many keys in one table");
	if (!vec_grow(&t->u.table.items, &t->u.table.cap, len + 1, sizeof *t->u.table.items))
		return fail(p, seg->pos, "out of memory");
	char *name = malloc(seg->len + 1);
	if (!name)
		return fail(p, seg->pos, "out of memory");
	memcpy(name, seg->s, seg->len);
	name[seg->len] = '\0';
	struct toml_kv *kv = &t->u.table.items[len];
	kv->name = name;
	kv->len = seg->len;
	kv->pos = seg->pos;
	kv->value = v;
	t->u.table.len = len + 1;

	/* keep the hash index at load factor <= 1/2 */
	if (t->u.table.len >= INDEX_MIN_LEN) {
		if (t->u.table.len * 2 > t->u.table.index_cap) {
			size_t cap = 16;
			while (cap < t->u.table.len * 4)
				cap *= 2;
			uint32_t *ix = calloc(cap, sizeof *ix);
			if (!ix)
				return fail(p, seg->pos, "out of memory"); /* kv stays owned by t */
			for (size_t i = 0; i < t->u.table.len; i++)
				index_insert(ix, cap, &t->u.table.items[i], i);
			free(t->u.table.index);
			t->u.table.index = ix;
			t->u.table.index_cap = cap;
		} else {
			index_insert(t->u.table.index, t->u.table.index_cap, kv, len);
		}
	}
	return 0;
}

/* Appends v to array a. On failure v is NOT freed. */
static int array_push(struct parser *p, struct toml_value *a, struct toml_value *v)
{
	if (!vec_grow(&a->u.array.items, &a->u.array.cap, a->u.array.len + 1, sizeof *a->u.array.items))
		return fail(p, v->pos, "out of memory");
	a->u.array.items[a->u.array.len++] = v;
	return 0;
}

/* ------------------------------------------------------------------ */
/* whitespace, comments, newlines                                      */

static void skip_ws(struct parser *p)
{
	while (peek(p) == ' ' || peek(p) == '\t')
		adv(p);
}

static bool at_newline(const struct parser *p)
{
	return peek(p) == '\n' || (peek(p) == '\r' && peek_at(p, 1) == '\n');
}

static void eat_newline(struct parser *p)
{
	if (peek(p) == '\r')
		adv(p);
	adv(p);
}

/* At '#': consumes the comment up to (not including) the line end. */
static int skip_comment(struct parser *p)
{
	adv(p);
	for (;;) {
		int c = peek(p);
		if (c < 0 || c == '\n' || (c == '\r' && peek_at(p, 1) == '\n'))
			return 0;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(p, here(p), "control character U+%04X is not allowed in a comment",
				    (unsigned)c);
		adv(p);
	}
}

/* Whitespace, newlines and comments (inside arrays). */
static int skip_ws_nl(struct parser *p)
{
	for (;;) {
		skip_ws(p);
		if (peek(p) == '#') {
			if (skip_comment(p))
				return -1;
		}
		if (!at_newline(p))
			return 0;
		eat_newline(p);
	}
}

/* After a key/value pair or a header: whitespace, optional comment, then a
 * newline or the end of the input. */
static int expect_eol(struct parser *p, const char *after)
{
	skip_ws(p);
	if (peek(p) == '#' && skip_comment(p))
		return -1;
	if (peek(p) < 0)
		return 0;
	if (at_newline(p)) {
		eat_newline(p);
		return 0;
	}
	char what[64];
	snprintf(what, sizeof what, "expected end of line after %s", after);
	return fail_found(p, what);
}

/* ------------------------------------------------------------------ */
/* strings                                                             */

static int read_hex_escape(struct parser *p, struct toml_pos epos, int ndig, struct sbuf *sb)
{
	uint32_t cp = 0;
	char kind = ndig == 4 ? 'u' : 'U';
	for (int k = 0; k < ndig; k++) {
		int h = hexval(peek(p));
		if (h < 0)
			return fail(p, epos, "invalid escape sequence: \\%c needs %d hex digits", kind,
				    ndig);
		cp = cp * 16 + (uint32_t)h;
		adv(p);
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return fail(p, epos, "invalid escape sequence: \\%c%0*X is a surrogate", kind, ndig,
			    cp);
	if (cp > 0x10FFFF)
		return fail(p, epos,
			    "invalid escape sequence: \\%c%0*X is not a Unicode scalar value", kind,
			    ndig, cp);
	char out[4];
	size_t n = utf8_encode(cp, out);
	return sb_put(p, sb, out, n);
}

/* At a backslash inside a basic string. */
static int read_escape(struct parser *p, bool multi, struct toml_pos start, struct sbuf *sb)
{
	struct toml_pos epos = here(p);
	adv(p);
	int e = peek(p);
	char c;
	switch (e) {
	case 'b':
		c = '\b';
		break;
	case 't':
		c = '\t';
		break;
	case 'n':
		c = '\n';
		break;
	case 'f':
		c = '\f';
		break;
	case 'r':
		c = '\r';
		break;
	case '"':
		c = '"';
		break;
	case '\\':
		c = '\\';
		break;
	case 'u':
		adv(p);
		return read_hex_escape(p, epos, 4, sb);
	case 'U':
		adv(p);
		return read_hex_escape(p, epos, 8, sb);
	case -1:
		return fail(p, start, "unterminated string");
	default:
		if (multi && (e == ' ' || e == '\t' || e == '\n' || e == '\r')) {
			/* line-ending backslash: trim whitespace and newlines */
			skip_ws(p);
			if (!at_newline(p))
				return fail(p, epos,
					    "invalid escape sequence: '\\' followed by whitespace "
					    "must end the line");
			for (;;) {
				int w = peek(p);
				if (w == ' ' || w == '\t' || w == '\n')
					adv(p);
				else if (w == '\r' && peek_at(p, 1) == '\n')
					eat_newline(p);
				else
					return 0;
			}
		}
		if (e > 0x20 && e < 0x7f)
			return fail(p, epos, "invalid escape sequence '\\%c'", (char)e);
		{
			char d[32];
			describe(p, d, sizeof d);
			return fail(p, epos, "invalid escape sequence: '\\' followed by %s", d);
		}
	}
	adv(p);
	return sb_putc(p, sb, c);
}

/* At an opening quote. Produces a malloc'd NUL-terminated string. */
static int parse_string(struct parser *p, bool allow_multi, char **out, size_t *outlen)
{
	struct toml_pos start = here(p);
	int q = peek(p);
	bool literal = q == '\'';
	bool multi = peek_at(p, 1) == q && peek_at(p, 2) == q;
	struct sbuf sb = SBUF_INIT;

	if (multi && !allow_multi)
		return fail(p, start, "multi-line strings are not allowed as keys");
	if (multi) {
		adv(p);
		adv(p);
		adv(p);
		if (at_newline(p))
			eat_newline(p); /* newline right after the delimiter is trimmed */
	} else {
		adv(p);
	}
	for (;;) {
		int c = peek(p);
		if (c < 0) {
			fail(p, start, "unterminated string");
			goto bad;
		}
		if (c == q) {
			if (!multi) {
				adv(p);
				break;
			}
			size_t nq = 0;
			while (peek_at(p, nq) == q && nq < 5)
				nq++;
			if (nq >= 3) {
				/* up to two quotes right before the delimiter are content */
				for (size_t k = 0; k < nq - 3; k++)
					if (sb_putc(p, &sb, (char)q))
						goto bad;
				for (size_t k = 0; k < nq; k++)
					adv(p);
				break;
			}
			for (size_t k = 0; k < nq; k++) {
				if (sb_putc(p, &sb, (char)q))
					goto bad;
				adv(p);
			}
			continue;
		}
		if (c == '\n' || (c == '\r' && peek_at(p, 1) == '\n')) {
			if (!multi) {
				fail(p, start, "unterminated string (newline before the closing quote)");
				goto bad;
			}
			eat_newline(p);
			if (sb_putc(p, &sb, '\n'))
				goto bad;
			continue;
		}
		if (c == '\\' && !literal) {
			if (read_escape(p, multi, start, &sb))
				goto bad;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			fail(p, here(p), "control character U+%04X is not allowed in a string",
			     (unsigned)c);
			goto bad;
		}
		/* copy one (validated) UTF-8 character */
		size_t k = 1;
		while (k < 4 && p->i + k < p->n && (p->s[p->i + k] & 0xC0) == 0x80)
			k++;
		if (sb_put(p, &sb, p->s + p->i, k))
			goto bad;
		while (k--)
			adv(p);
	}
	*out = sb_take(p, &sb, outlen);
	return *out ? 0 : -1;
bad:
	sbuf_free(&sb);
	return -1;
}

/* ------------------------------------------------------------------ */
/* keys                                                                */

static void keypath_free(struct keypath *kp)
{
	for (size_t i = 0; i < kp->n; i++)
		free(kp->seg[i].s);
	free(kp->seg);
	kp->seg = NULL;
	kp->n = kp->cap = 0;
}

static int parse_key_seg(struct parser *p, struct keyseg *sg)
{
	sg->pos = here(p);
	sg->s = NULL;
	sg->len = 0;
	int c = peek(p);
	if (c == '"' || c == '\'')
		return parse_string(p, false, &sg->s, &sg->len);
	if (!is_bare(c))
		return fail_found(p, "expected a key");
	size_t start = p->i;
	while (is_bare(peek(p)))
		adv(p);
	size_t n = p->i - start;
	sg->s = malloc(n + 1);
	if (!sg->s)
		return fail(p, sg->pos, "out of memory");
	memcpy(sg->s, p->s + start, n);
	sg->s[n] = '\0';
	sg->len = n;
	return 0;
}

/* key ( ws '.' ws key )* ws */
static int parse_keypath(struct parser *p, struct keypath *kp)
{
	for (;;) {
		if (kp->n >= TOML_MAX_DEPTH)
			return fail(p, here(p), "nesting too deep (limit %d)", TOML_MAX_DEPTH);
		if (!vec_grow(&kp->seg, &kp->cap, kp->n + 1, sizeof *kp->seg))
			return fail_oom(p);
		if (parse_key_seg(p, &kp->seg[kp->n]))
			return -1;
		kp->n++;
		skip_ws(p);
		if (peek(p) != '.')
			return 0;
		adv(p);
		skip_ws(p);
	}
}

/* ------------------------------------------------------------------ */
/* numbers, booleans, dates                                            */

/* Digits with '_' only between two digits. */
static int scan_digits(struct parser *p, const char *tok, size_t len, size_t *k,
		       struct toml_pos pos)
{
	if (*k >= len || !is_digit(tok[*k]))
		return fail(p, pos_plus(pos, *k), "invalid number: expected a digit");
	while (*k < len) {
		if (is_digit(tok[*k])) {
			(*k)++;
		} else if (tok[*k] == '_') {
			if (*k + 1 < len && is_digit(tok[*k + 1]))
				(*k)++;
			else
				return fail(p, pos_plus(pos, *k),
					    "invalid number: '_' must be between two digits");
		} else {
			break;
		}
	}
	return 0;
}

static int radix_digit(int c, int radix)
{
	int d = hexval(c);
	return d >= 0 && d < radix ? d : -1;
}

static int parse_prefixed_int(struct parser *p, const char *tok, size_t len, struct toml_pos pos,
			      int64_t *out)
{
	char pc = tok[1];
	int radix = pc == 'x' ? 16 : pc == 'o' ? 8 : 2;
	const char *name = radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary";
	size_t k = 2;
	uint64_t u = 0;
	if (k >= len || radix_digit(tok[k], radix) < 0)
		return fail(p, pos_plus(pos, k), "invalid number: expected a %s digit after '0%c'",
			    name, pc);
	while (k < len) {
		int d = radix_digit(tok[k], radix);
		if (d >= 0) {
			if (u > ((uint64_t)INT64_MAX - (uint64_t)d) / (uint64_t)radix)
				return fail(p, pos, "integer overflow (does not fit in 64 bits)");
			u = u * (uint64_t)radix + (uint64_t)d;
			k++;
		} else if (tok[k] == '_') {
			if (k + 1 < len && radix_digit(tok[k + 1], radix) >= 0)
				k++;
			else
				return fail(p, pos_plus(pos, k),
					    "invalid number: '_' must be between two digits");
		} else {
			return fail(p, pos_plus(pos, k), "invalid number: '%c' is not a %s digit",
				    tok[k], name);
		}
	}
	*out = (int64_t)u;
	return 0;
}

static int make_number(struct parser *p, const char *tok, size_t len, struct toml_pos pos,
		       unsigned depth, struct toml_value **out)
{
	size_t k = 0;
	bool neg = false, sign = false;
	struct toml_value *v;

	if (tok[0] == '+' || tok[0] == '-') {
		sign = true;
		neg = tok[0] == '-';
		k = 1;
	}
	if (len - k == 3 && (memcmp(tok + k, "inf", 3) == 0 || memcmp(tok + k, "nan", 3) == 0)) {
		if (!(v = new_value(p, TOML_FLOAT, pos, depth)))
			return -1;
		v->u.fp = tok[k] == 'i' ? (neg ? -INFINITY : INFINITY) : (neg ? -NAN : NAN);
		*out = v;
		return 0;
	}
	if (k + 1 < len && tok[k] == '0' && (tok[k + 1] == 'x' || tok[k + 1] == 'o' || tok[k + 1] == 'b')) {
		int64_t iv = 0;
		if (sign)
			return fail(p, pos,
				    "invalid number: a sign is not allowed on hexadecimal, octal or "
				    "binary integers");
		if (parse_prefixed_int(p, tok, len, pos, &iv))
			return -1;
		if (!(v = new_value(p, TOML_INTEGER, pos, depth)))
			return -1;
		v->u.integer = iv;
		*out = v;
		return 0;
	}

	size_t int_start = k;
	if (k + 1 < len && tok[k] == '0' && (is_digit(tok[k + 1]) || tok[k + 1] == '_'))
		return fail(p, pos_plus(pos, k), "invalid number: leading zeros are not allowed");
	if (scan_digits(p, tok, len, &k, pos))
		return -1;
	size_t int_end = k;
	bool is_float = false;
	if (k < len && tok[k] == '.') {
		is_float = true;
		k++;
		if (scan_digits(p, tok, len, &k, pos))
			return -1;
	}
	if (k < len && (tok[k] == 'e' || tok[k] == 'E')) {
		is_float = true;
		k++;
		if (k < len && (tok[k] == '+' || tok[k] == '-'))
			k++;
		if (scan_digits(p, tok, len, &k, pos))
			return -1;
	}
	if (k < len)
		return fail(p, pos_plus(pos, k), "invalid number: unexpected '%c'", tok[k]);

	if (!is_float) {
		uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		uint64_t u = 0;
		for (size_t i = int_start; i < int_end; i++) {
			if (tok[i] == '_')
				continue;
			uint64_t d = (uint64_t)(tok[i] - '0');
			if (u > (limit - d) / 10)
				return fail(p, pos, "integer overflow (does not fit in 64 bits)");
			u = u * 10 + d;
		}
		if (!(v = new_value(p, TOML_INTEGER, pos, depth)))
			return -1;
		if (!neg)
			v->u.integer = (int64_t)u;
		else if (u == (uint64_t)INT64_MAX + 1)
			v->u.integer = INT64_MIN;
		else
			v->u.integer = -(int64_t)u;
		*out = v;
		return 0;
	}

	/* float: strip underscores and convert in the "C" locale */
	char *buf = malloc(len + 1);
	if (!buf)
		return fail(p, pos, "out of memory");
	size_t bl = 0;
	for (size_t i = 0; i < len; i++)
		if (tok[i] != '_')
			buf[bl++] = tok[i];
	buf[bl] = '\0';
	if (!p->cloc) {
		p->cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
		if (!p->cloc) {
			free(buf);
			return fail(p, pos, "out of memory");
		}
	}
	char *end;
	errno = 0;
	double d = strtod_l(buf, &end, p->cloc);
	bool ok = end == buf + bl;
	free(buf);
	if (!ok)
		return fail(p, pos, "invalid number");
	if (isinf(d))
		return fail(p, pos, "float out of range");
	if (!(v = new_value(p, TOML_FLOAT, pos, depth)))
		return -1;
	v->u.fp = d;
	*out = v;
	return 0;
}

static bool digits_at(const struct parser *p, size_t off, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!is_digit(peek_at(p, off + k)))
			return false;
	return true;
}

static bool is_token_char(int c)
{
	return is_bare(c) || c == '+' || c == '.';
}

static int parse_bare_value(struct parser *p, unsigned depth, struct toml_value **out)
{
	struct toml_pos pos = here(p);

	/* dates (1979-05-27...) and times (07:32:00) are rejected, never
	 * mis-read as arithmetic */
	if (digits_at(p, 0, 4) && peek_at(p, 4) == '-' && digits_at(p, 5, 2) &&
	    peek_at(p, 7) == '-' && digits_at(p, 8, 2))
		return fail(p, pos, "dates are not supported");
	if (digits_at(p, 0, 2) && peek_at(p, 2) == ':' && digits_at(p, 3, 2))
		return fail(p, pos, "dates are not supported (local time)");

	size_t start = p->i;
	while (is_token_char(peek(p)))
		adv(p);
	const char *tok = (const char *)p->s + start;
	size_t len = p->i - start;

	if ((len == 4 && memcmp(tok, "true", 4) == 0) || (len == 5 && memcmp(tok, "false", 5) == 0)) {
		struct toml_value *v = new_value(p, TOML_BOOL, pos, depth);
		if (!v)
			return -1;
		v->u.boolean = len == 4;
		*out = v;
		return 0;
	}
	if (is_digit(tok[0]) || tok[0] == '+' || tok[0] == '-' || tok[0] == '.' ||
	    (len == 3 && (memcmp(tok, "inf", 3) == 0 || memcmp(tok, "nan", 3) == 0)))
		return make_number(p, tok, len, pos, depth, out);
	return fail(p, pos, "invalid value (strings must be quoted)");
}

/* ------------------------------------------------------------------ */
/* values                                                              */

static int parse_value(struct parser *p, unsigned depth, struct toml_value **out);
static int parse_keyval(struct parser *p, struct toml_value *ctx);

static int parse_array(struct parser *p, unsigned depth, struct toml_value **out)
{
	struct toml_value *arr = new_value(p, TOML_ARRAY, here(p), depth);
	if (!arr)
		return -1;
	adv(p); /* '[' */
	for (;;) {
		if (skip_ws_nl(p))
			goto bad;
		if (peek(p) == ']') {
			adv(p);
			break;
		}
		struct toml_value *el;
		if (parse_value(p, depth + 1, &el))
			goto bad;
		if (array_push(p, arr, el)) {
			value_free(el);
			goto bad;
		}
		if (skip_ws_nl(p))
			goto bad;
		if (peek(p) == ',') {
			adv(p);
			continue;
		}
		if (peek(p) == ']') {
			adv(p);
			break;
		}
		fail_found(p, "expected ',' or ']' after an array element");
		goto bad;
	}
	*out = arr;
	return 0;
bad:
	value_free(arr);
	return -1;
}

static int parse_inline_table(struct parser *p, unsigned depth, struct toml_value **out)
{
	struct toml_value *t = new_value(p, TOML_TABLE, here(p), depth);
	if (!t)
		return -1;
	adv(p); /* '{' */
	skip_ws(p);
	if (peek(p) == '}') {
		adv(p);
		goto done;
	}
	for (;;) {
		skip_ws(p);
		if (at_newline(p) || peek(p) == '\n') {
			fail(p, here(p), "newlines are not allowed in inline tables");
			goto bad;
		}
		if (peek(p) == '#') {
			fail(p, here(p), "comments are not allowed in inline tables");
			goto bad;
		}
		if (parse_keyval(p, t))
			goto bad;
		skip_ws(p);
		int c = peek(p);
		if (c == ',') {
			adv(p);
			skip_ws(p);
			if (peek(p) == '}') {
				fail(p, here(p), "trailing comma is not allowed in an inline table");
				goto bad;
			}
			continue;
		}
		if (c == '}') {
			adv(p);
			break;
		}
		if (at_newline(p) || c == '\n')
			fail(p, here(p), "newlines are not allowed in inline tables");
		else
			fail_found(p, "expected ',' or '}' in inline table");
		goto bad;
	}
done:
	t->flags |= TOML_F_INLINE;
	*out = t;
	return 0;
bad:
	value_free(t);
	return -1;
}

static int parse_value(struct parser *p, unsigned depth, struct toml_value **out)
{
	struct toml_pos pos = here(p);
	int c = peek(p);
	*out = NULL;
	if (c == '"' || c == '\'') {
		char *s;
		size_t len;
		if (parse_string(p, true, &s, &len))
			return -1;
		struct toml_value *v = new_value(p, TOML_STRING, pos, depth);
		if (!v) {
			free(s);
			return -1;
		}
		v->u.string.ptr = s;
		v->u.string.len = len;
		*out = v;
		return 0;
	}
	if (c == '[')
		return parse_array(p, depth, out);
	if (c == '{')
		return parse_inline_table(p, depth, out);
	if (c >= 0 && (is_token_char(c)))
		return parse_bare_value(p, depth, out);
	return fail_found(p, "expected a value");
}

/* ------------------------------------------------------------------ */
/* key/value pairs and headers                                         */

static int parse_keyval(struct parser *p, struct toml_value *ctx)
{
	struct keypath kp = { 0 };
	char name[128];
	int rc = -1;

	if (parse_keypath(p, &kp))
		goto out;
	if (peek(p) != '=') {
		fail_found(p, "expected '=' after a key");
		goto out;
	}
	adv(p);
	skip_ws(p);

	struct toml_value *t = ctx;
	for (size_t i = 0; i + 1 < kp.n; i++) {
		const struct keyseg *sg = &kp.seg[i];
		const struct toml_kv *kv = table_find(t, sg->s, sg->len);
		if (!kv) {
			struct toml_value *v = new_value(p, TOML_TABLE, sg->pos, t->depth + 1);
			if (!v)
				goto out;
			v->flags = TOML_F_DOTTED;
			if (table_add(p, t, sg, v)) {
				value_free(v);
				goto out;
			}
			t = v;
			continue;
		}
		struct toml_value *v = kv->value;
		if (v->type != TOML_TABLE) {
			render_path(name, sizeof name, &kp, i);
			fail(p, sg->pos, "cannot use '%s' as a table: it is already defined as %s",
			     name, type_article(v->type));
			goto out;
		}
		if (v->flags & TOML_F_INLINE) {
			render_path(name, sizeof name, &kp, i);
			fail(p, sg->pos, "cannot add keys to inline table '%s'", name);
			goto out;
		}
		if (v->flags & TOML_F_HEADER) {
			render_path(name, sizeof name, &kp, i);
			fail(p, sg->pos,
			     "cannot add keys to table '%s' with dotted keys: it is defined by a "
			     "[header] at line %u",
			     name, v->pos.line);
			goto out;
		}
		if (v->flags & TOML_F_IMPLICIT)
			v->flags = (v->flags & ~(unsigned)TOML_F_IMPLICIT) | TOML_F_DOTTED;
		t = v;
	}

	const struct keyseg *last = &kp.seg[kp.n - 1];
	const struct toml_kv *dup = table_find(t, last->s, last->len);
	if (dup) {
		render_path(name, sizeof name, &kp, kp.n - 1);
		fail(p, last->pos, "duplicate key '%s' (first defined at line %u)", name,
		     dup->pos.line);
		goto out;
	}
	struct toml_value *val;
	if (parse_value(p, t->depth + 1, &val))
		goto out;
	if (table_add(p, t, last, val)) {
		value_free(val);
		goto out;
	}
	rc = 0;
out:
	keypath_free(&kp);
	return rc;
}

static int define_header(struct parser *p, const struct keypath *kp, bool aot,
			 struct toml_pos hpos)
{
	char name[128];
	struct toml_value *t = p->root;

	for (size_t i = 0; i + 1 < kp->n; i++) {
		const struct keyseg *sg = &kp->seg[i];
		const struct toml_kv *kv = table_find(t, sg->s, sg->len);
		if (!kv) {
			struct toml_value *v = new_value(p, TOML_TABLE, sg->pos, t->depth + 1);
			if (!v)
				return -1;
			v->flags = TOML_F_IMPLICIT;
			if (table_add(p, t, sg, v)) {
				value_free(v);
				return -1;
			}
			t = v;
			continue;
		}
		struct toml_value *v = kv->value;
		if (v->type == TOML_TABLE) {
			if (v->flags & TOML_F_INLINE) {
				render_path(name, sizeof name, kp, i);
				return fail(p, sg->pos, "cannot extend inline table '%s'", name);
			}
			t = v;
		} else if (v->type == TOML_ARRAY && (v->flags & TOML_F_ARRAY_OF_TABLES)) {
			t = v->u.array.items[v->u.array.len - 1];
		} else if (v->type == TOML_ARRAY) {
			render_path(name, sizeof name, kp, i);
			return fail(p, sg->pos,
				    "cannot extend '%s': it is a static array, not an array of tables",
				    name);
		} else {
			render_path(name, sizeof name, kp, i);
			return fail(p, sg->pos, "cannot use '%s' as a table: it is already defined as %s",
				    name, type_article(v->type));
		}
	}

	const struct keyseg *last = &kp->seg[kp->n - 1];
	const struct toml_kv *kv = table_find(t, last->s, last->len);
	render_path(name, sizeof name, kp, kp->n - 1);
	if (!aot) {
		if (!kv) {
			struct toml_value *v = new_value(p, TOML_TABLE, hpos, t->depth + 1);
			if (!v)
				return -1;
			v->flags = TOML_F_HEADER;
			if (table_add(p, t, last, v)) {
				value_free(v);
				return -1;
			}
			p->cur = v;
			return 0;
		}
		struct toml_value *v = kv->value;
		if (v->type == TOML_TABLE) {
			if (v->flags & TOML_F_IMPLICIT) {
				v->flags = TOML_F_HEADER;
				v->pos = hpos;
				p->cur = v;
				return 0;
			}
			if (v->flags & TOML_F_INLINE)
				return fail(p, last->pos, "table '%s' is already defined as an inline table",
					    name);
			if (v->flags & TOML_F_DOTTED)
				return fail(p, last->pos, "table '%s' is already defined by dotted keys",
					    name);
			return fail(p, last->pos, "table [%s] is defined twice (first at line %u)", name,
				    v->pos.line);
		}
		if (v->type == TOML_ARRAY && (v->flags & TOML_F_ARRAY_OF_TABLES))
			return fail(p, last->pos, "table [%s] conflicts with array of tables [[%s]]",
				    name, name);
		return fail(p, last->pos, "cannot define table [%s]: '%s' is already defined as %s",
			    name, name, type_article(v->type));
	}

	struct toml_value *arr;
	if (!kv) {
		arr = new_value(p, TOML_ARRAY, hpos, t->depth + 1);
		if (!arr)
			return -1;
		arr->flags = TOML_F_ARRAY_OF_TABLES;
		if (table_add(p, t, last, arr)) {
			value_free(arr);
			return -1;
		}
	} else {
		arr = kv->value;
		if (arr->type == TOML_ARRAY && !(arr->flags & TOML_F_ARRAY_OF_TABLES))
			return fail(p, last->pos, "cannot append to static array '%s' with [[%s]]",
				    name, name);
		if (arr->type == TOML_TABLE)
			return fail(p, last->pos,
				    "cannot define array of tables [[%s]]: '%s' is already a table", name,
				    name);
		if (arr->type != TOML_ARRAY)
			return fail(p, last->pos,
				    "cannot define array of tables [[%s]]: '%s' is already defined as %s",
				    name, name, type_article(arr->type));
	}
	struct toml_value *el = new_value(p, TOML_TABLE, hpos, arr->depth + 1);
	if (!el)
		return -1;
	el->flags = TOML_F_HEADER;
	if (array_push(p, arr, el)) {
		value_free(el);
		return -1;
	}
	p->cur = el;
	return 0;
}

static int parse_header(struct parser *p)
{
	struct toml_pos hpos = here(p);
	struct keypath kp = { 0 };
	bool aot = false;
	int rc = -1;

	adv(p);
	if (peek(p) == '[') {
		aot = true;
		adv(p);
	}
	skip_ws(p);
	if (parse_keypath(p, &kp))
		goto out;
	if (peek(p) != ']') {
		fail_found(p, aot ? "expected ']]' to close the array-of-tables header"
				  : "expected ']' to close the table header");
		goto out;
	}
	adv(p);
	if (aot) {
		if (peek(p) != ']') {
			fail_found(p, "expected ']]' to close the array-of-tables header");
			goto out;
		}
		adv(p);
	}
	if (define_header(p, &kp, aot, hpos))
		goto out;
	rc = expect_eol(p, "the table header");
out:
	keypath_free(&kp);
	return rc;
}

/* ------------------------------------------------------------------ */
/* document                                                            */

static int validate_utf8(struct parser *p)
{
	const unsigned char *s = p->s;
	size_t n = p->n;
	unsigned line = 1, col = 1;
	for (size_t i = p->i; i < n;) {
		unsigned c = s[i];
		size_t len;
		unsigned lo = 0x80, hi = 0xBF;
		if (c < 0x80) {
			len = 1;
		} else if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			len = 0;
		}
		bool ok = len > 0 && i + len <= n;
		for (size_t k = 1; ok && k < len; k++) {
			unsigned b = s[i + k];
			if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
				ok = false;
		}
		if (!ok) {
			struct toml_pos pos = { line, col };
			return fail(p, pos, "invalid UTF-8 in input");
		}
		if (c == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		i += len;
	}
	return 0;
}

static int parse_document(struct parser *p)
{
	for (;;) {
		skip_ws(p);
		int c = peek(p);
		if (c < 0)
			return 0;
		if (c == '#') {
			if (skip_comment(p))
				return -1;
			continue;
		}
		if (at_newline(p)) {
			eat_newline(p);
			continue;
		}
		if (c == '[') {
			if (parse_header(p))
				return -1;
			continue;
		}
		if (parse_keyval(p, p->cur))
			return -1;
		if (expect_eol(p, "a value"))
			return -1;
	}
}

static void error_init(struct toml_error *err, const char *filename)
{
	if (!err)
		return;
	snprintf(err->file, sizeof err->file, "%s", filename ? filename : "<input>");
	err->line = 0;
	err->col = 0;
	err->msg[0] = '\0';
}

struct toml_value *toml_parse(const char *buf, size_t len, const char *filename,
			      struct toml_error *err)
{
	struct parser p = { 0 };
	struct toml_pos start = { 1, 1 };

	error_init(err, filename);
	p.err = err;
	p.s = (const unsigned char *)(buf ? buf : "");
	p.n = buf ? len : 0;
	p.line = 1;
	p.col = 1;
	if (p.n > TOML_MAX_INPUT) {
		fail(&p, start, "input too large (limit %zu bytes)", TOML_MAX_INPUT);
		return NULL;
	}
	if (p.n >= 3 && p.s[0] == 0xEF && p.s[1] == 0xBB && p.s[2] == 0xBF)
		p.i = 3; /* byte-order mark: skipped, not counted as a column */
	if (validate_utf8(&p))
		return NULL;
	p.root = new_value(&p, TOML_TABLE, start, 0);
	if (!p.root)
		return NULL;
	p.cur = p.root;
	int rc = parse_document(&p);
	if (p.cloc)
		freelocale(p.cloc);
	if (rc) {
		value_free(p.root);
		return NULL;
	}
	return p.root;
}

struct toml_value *toml_parse_file(const char *path, struct toml_error *err)
{
	char eb[128];
	struct toml_error local;
	if (!err)
		err = &local;
	error_init(err, path);
	if (!path) {
		snprintf(err->msg, sizeof err->msg, "no file name");
		return NULL;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err->msg, sizeof err->msg, "cannot open: %s",
			 strerror_r(errno, eb, sizeof eb));
		return NULL;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			if (cap >= TOML_MAX_INPUT) {
				snprintf(err->msg, sizeof err->msg, "file too large (limit %zu bytes)",
					 TOML_MAX_INPUT);
				goto fail;
			}
			if (!vec_grow(&buf, &cap, cap ? cap + 1 : 8192, 1)) {
				snprintf(err->msg, sizeof err->msg, "out of memory");
				goto fail;
			}
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				snprintf(err->msg, sizeof err->msg, "read error: %s",
					 strerror_r(errno, eb, sizeof eb));
				goto fail;
			}
			break;
		}
	}
	fclose(f);
	struct toml_value *root = toml_parse(buf, len, path, err);
	free(buf);
	return root;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

void toml_free(struct toml_value *root)
{
	value_free(root);
}

int toml_error_format(const struct toml_error *err, char *buf, size_t size)
{
	if (!err)
		return snprintf(buf, size, "<input>: unknown error");
	if (err->line == 0)
		return snprintf(buf, size, "%s: %s", err->file, err->msg);
	return snprintf(buf, size, "%s:%u:%u: %s", err->file, err->line, err->col, err->msg);
}

const char *toml_type_name(enum toml_type type)
{
	switch (type) {
	case TOML_TABLE:
		return "table";
	case TOML_ARRAY:
		return "array";
	case TOML_STRING:
		return "string";
	case TOML_INTEGER:
		return "integer";
	case TOML_FLOAT:
		return "float";
	case TOML_BOOL:
		return "boolean";
	}
	return "unknown";
}

/* ------------------------------------------------------------------ */
/* lookup helpers                                                      */

const struct toml_value *toml_table_getn(const struct toml_value *tbl, const char *key,
					 size_t keylen)
{
	if (!tbl || tbl->type != TOML_TABLE || !key)
		return NULL;
	const struct toml_kv *kv = table_find(tbl, key, keylen);
	return kv ? kv->value : NULL;
}

const struct toml_value *toml_table_get(const struct toml_value *tbl, const char *key)
{
	return key ? toml_table_getn(tbl, key, strlen(key)) : NULL;
}

const struct toml_kv *toml_table_get_kv(const struct toml_value *tbl, const char *key)
{
	if (!tbl || tbl->type != TOML_TABLE || !key)
		return NULL;
	return table_find(tbl, key, strlen(key));
}

size_t toml_table_len(const struct toml_value *tbl)
{
	return tbl && tbl->type == TOML_TABLE ? tbl->u.table.len : 0;
}

const struct toml_kv *toml_table_at(const struct toml_value *tbl, size_t i)
{
	if (!tbl || tbl->type != TOML_TABLE || i >= tbl->u.table.len)
		return NULL;
	return &tbl->u.table.items[i];
}

size_t toml_array_len(const struct toml_value *arr)
{
	return arr && arr->type == TOML_ARRAY ? arr->u.array.len : 0;
}

const struct toml_value *toml_array_at(const struct toml_value *arr, size_t i)
{
	if (!arr || arr->type != TOML_ARRAY || i >= arr->u.array.len)
		return NULL;
	return arr->u.array.items[i];
}

bool toml_array_is_table_array(const struct toml_value *arr)
{
	return arr && arr->type == TOML_ARRAY && (arr->flags & TOML_F_ARRAY_OF_TABLES);
}

bool toml_get_string(const struct toml_value *v, const char **s, size_t *len)
{
	if (!v || v->type != TOML_STRING)
		return false;
	if (s)
		*s = v->u.string.ptr;
	if (len)
		*len = v->u.string.len;
	return true;
}

bool toml_get_int(const struct toml_value *v, int64_t *out)
{
	if (!v || v->type != TOML_INTEGER)
		return false;
	if (out)
		*out = v->u.integer;
	return true;
}

bool toml_get_float(const struct toml_value *v, double *out)
{
	if (!v || v->type != TOML_FLOAT)
		return false;
	if (out)
		*out = v->u.fp;
	return true;
}

bool toml_get_number(const struct toml_value *v, double *out)
{
	if (!v || (v->type != TOML_FLOAT && v->type != TOML_INTEGER))
		return false;
	if (out)
		*out = v->type == TOML_FLOAT ? v->u.fp : (double)v->u.integer;
	return true;
}

bool toml_get_bool(const struct toml_value *v, bool *out)
{
	if (!v || v->type != TOML_BOOL)
		return false;
	if (out)
		*out = v->u.boolean;
	return true;
}
