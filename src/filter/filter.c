/* filter.c — strace's -e trace=/status= expressions, -z/-Z, --slower-than.
 *
 * A trace set is built into a scratch bitmap and only copied into the
 * filter once the whole expression parsed, so a bad expression leaves the
 * filter unchanged. Regexes are compiled, applied to the syscall table and
 * freed at once; nothing stays allocated. */
#include "filter.h"
#include "syscall_table.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "editdist.h"

#define NWORDS (FILTER_MAX_NR / 64)
#define NAME_MAX_LEN 64 /* longer tokens cannot be syscall names */

struct tset {
	uint64_t bits[NWORDS];
	bool unknown;
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	char raw[1024];
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* Messages quote user input: keep them on one line by escaping
	 * control characters (\n, \x01). */
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)raw; *p && o + 1 < errlen; p++) {
		char esc[8];
		const char *add = NULL;
		if (*p == '\n')
			add = "\\n";
		else if (*p == '\t')
			add = "\\t";
		else if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof(esc), "\\x%02x", *p);
			add = esc;
		}
		if (!add) {
			err[o++] = (char)*p;
			continue;
		}
		size_t n = strlen(add);
		if (o + n + 1 > errlen)
			break;
		memcpy(err + o, add, n);
		o += n;
	}
	err[o] = '\0';
}

static void tset_add(struct tset *t, long nr)
{
	if (nr >= 0 && nr < FILTER_MAX_NR)
		t->bits[nr / 64] |= UINT64_C(1) << (nr % 64);
}

static void tset_fill(struct tset *t, bool on)
{
	memset(t->bits, on ? 0xff : 0, sizeof(t->bits));
	t->unknown = on;
}

static bool tset_is_all(const struct tset *t)
{
	if (!t->unknown)
		return false;
	for (size_t i = 0; i < NWORDS; i++)
		if (t->bits[i] != UINT64_MAX)
			return false;
	return true;
}

void filter_init(struct filter *f)
{
	memset(f, 0, sizeof(*f));
	memset(f->trace, 0xff, sizeof(f->trace));
	f->trace_unknown = true;
	f->narrowed = false;
	f->status = ST_ALL;
	f->slower_than_ns = 0;
}

void filter_only_successful(struct filter *f)
{
	f->status = ST_SUCCESSFUL;
}

void filter_only_failed(struct filter *f)
{
	f->status = ST_FAILED;
}

/* ---- classes ---------------------------------------------------------- */

struct class_name {
	const char *name; /* spelled without the leading '%' */
	uint32_t bits;
	bool legacy;      /* also accepted without '%' */
};

static const struct class_name class_names[] = {
	{ "file", TC_FILE, true },
	{ "process", TC_PROCESS, true },
	{ "network", TC_NETWORK, true },
	{ "net", TC_NETWORK, false },
	{ "signal", TC_SIGNAL, true },
	{ "ipc", TC_IPC, true },
	{ "desc", TC_DESC, true },
	{ "memory", TC_MEMORY, true },
	{ "creds", TC_CREDS, false },
	{ "clock", TC_CLOCK, false },
	{ "stat", TC_STAT, false },
	{ "lstat", TC_LSTAT, false },
	{ "fstat", TC_FSTAT, false },
	{ "%stat", TC_STAT_LIKE, false },
	{ "statfs", TC_STATFS, false },
	{ "fstatfs", TC_FSTATFS, false },
	{ "%statfs", TC_STATFS_LIKE, false },
	{ "pure", TC_PURE, false },
};

static const struct class_name *class_lookup(const char *s, size_t len, bool with_pct)
{
	for (size_t i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++) {
		const struct class_name *c = &class_names[i];
		if (!with_pct && !c->legacy)
			continue;
		if (strlen(c->name) == len && memcmp(c->name, s, len) == 0)
			return c;
	}
	return NULL;
}

static void add_class(struct tset *t, uint32_t bits)
{
	for (unsigned nr = 0; nr < syscall_table_size && nr < FILTER_MAX_NR; nr++)
		if (syscall_table[nr].name && (syscall_table[nr].classes & bits))
			tset_add(t, nr);
}

/* ---- "did you mean" ----------------------------------------------------- */

/* Closest syscall name within a small distance, or NULL. */
static const char *suggest(const char *s, size_t len)
{
	struct suggestion sg;
	size_t limit = len <= 4 ? 1 : 2;

	if (len == 0 || len > NAME_MAX_LEN)
		return NULL;
	suggestion_init(&sg);
	for (unsigned nr = 0; nr < syscall_table_size; nr++) {
		const char *n = syscall_table[nr].name;
		if (n)
			suggestion_offer(&sg, n, edit_distance(s, len, n, strlen(n), false), limit);
	}
	return sg.best;
}

static void err_unknown(char *err, size_t errlen, const char *tok, size_t len)
{
	const char *s = suggest(tok, len);

	if (s)
		set_err(err, errlen, "invalid system call '%.*s' (did you mean '%s'?)",
			(int)len, tok, s);
	else
		set_err(err, errlen, "invalid system call '%.*s'", (int)len, tok);
}

/* ---- one token of a trace set ------------------------------------------- */

static int add_regex(struct tset *t, const char *re, size_t len, bool optional,
		     const char *tok, size_t toklen, char *err, size_t errlen)
{
	regex_t rx;
	char *pat = malloc(len + 1);
	int rc;
	bool matched = false;

	if (!pat) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	memcpy(pat, re, len);
	pat[len] = '\0';
	rc = regcomp(&rx, pat, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		char msg[128];
		regerror(rc, &rx, msg, sizeof(msg));
		set_err(err, errlen, "invalid regular expression '%.*s': %s",
			(int)toklen, tok, msg);
		free(pat);
		return -1;
	}
	for (unsigned nr = 0; nr < syscall_table_size && nr < FILTER_MAX_NR; nr++) {
		const char *n = syscall_table[nr].name;
		if (n && regexec(&rx, n, 0, NULL, 0) == 0) {
			tset_add(t, nr);
			matched = true;
		}
	}
	regfree(&rx);
	free(pat);
	if (!matched && !optional) {
		/* strace 6.1 refuses a regex that selects nothing */
		set_err(err, errlen, "invalid system call '%.*s': no system call matches",
			(int)toklen, tok);
		return -1;
	}
	return 0;
}

static bool all_digits(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int add_token(struct tset *t, const char *tok, size_t toklen, char *err, size_t errlen)
{
	const char *s = tok;
	size_t len = toklen;
	bool optional = false;
	bool other_pers = false;

	if (len > 0 && s[0] == '?') {
		optional = true;
		s++;
		len--;
	}
	/* Personality designator: @64 is ours; @32/@x32 select nothing here. */
	const char *at = memrchr(s, '@', len);
	if (at) {
		const char *p = at + 1;
		size_t plen = len - (size_t)(p - s);
		if (plen == 2 && memcmp(p, "64", 2) == 0) {
			/* native */
		} else if ((plen == 2 && memcmp(p, "32", 2) == 0) ||
			   (plen == 3 && memcmp(p, "x32", 3) == 0)) {
			other_pers = true;
		} else {
			set_err(err, errlen,
				"incorrect personality designator '%.*s' in qualification '%.*s'",
				(int)plen, p, (int)toklen, tok);
			return -1;
		}
		len = (size_t)(at - s);
	}

	struct tset scratch;
	struct tset *dst = t;
	if (other_pers) {
		/* validate the token, but add nothing */
		memset(&scratch, 0, sizeof(scratch));
		dst = &scratch;
	}

	if (len == 0) {
		if (optional)
			return 0;
		set_err(err, errlen, "invalid system call '%.*s'", (int)toklen, tok);
		return -1;
	}
	if (len == 3 && memcmp(s, "all", 3) == 0) {
		tset_fill(dst, true);
		return 0;
	}
	if (len == 4 && memcmp(s, "none", 4) == 0)
		return 0;
	if (s[0] == '/') {
		const char *re = s + 1;
		size_t rlen = len - 1;
		if (rlen > 0 && re[rlen - 1] == '/')
			rlen--; /* "/regex/" spelling */
		if (other_pers)
			return 0;
		return add_regex(dst, re, rlen, optional, tok, toklen, err, errlen);
	}
	if (s[0] == '%') {
		const struct class_name *c = class_lookup(s + 1, len - 1, true);
		if (!c) {
			if (optional)
				return 0;
			set_err(err, errlen, "invalid syscall class '%.*s'", (int)toklen, tok);
			return -1;
		}
		add_class(dst, c->bits);
		return 0;
	}
	const struct class_name *c = class_lookup(s, len, false);
	if (c) {
		add_class(dst, c->bits);
		return 0;
	}
	if (all_digits(s, len)) {
		long nr = 0;
		size_t i;
		for (i = 0; i < len && nr < FILTER_MAX_NR; i++)
			nr = nr * 10 + (s[i] - '0');
		if (i == len && nr < FILTER_MAX_NR) {
			tset_add(dst, nr);
			return 0;
		}
		if (optional)
			return 0;
		set_err(err, errlen, "invalid system call '%.*s'", (int)toklen, tok);
		return -1;
	}
	if (len < NAME_MAX_LEN) {
		char name[NAME_MAX_LEN];
		memcpy(name, s, len);
		name[len] = '\0';
		long nr = syscall_by_name(name);
		if (nr >= 0) {
			tset_add(dst, nr);
			return 0;
		}
	}
	if (optional)
		return 0;
	if (s[0] == '!') {
		set_err(err, errlen,
			"invalid system call '%.*s' ('!' negates the whole set and must come first)",
			(int)len, s);
		return -1;
	}
	err_unknown(err, errlen, s, len);
	return -1;
}

/* Count and skip leading '!': returns true when the set is negated. */
static bool strip_negation(const char **s)
{
	bool neg = false;

	while (**s == '!') {
		neg = !neg;
		(*s)++;
	}
	return neg;
}

static int parse_trace_set(struct filter *f, const char *set, char *err, size_t errlen)
{
	struct tset t;
	const char *p = set;
	bool neg = strip_negation(&p);
	bool any = false;

	memset(&t, 0, sizeof(t));
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len > 0) {
			any = true;
			if (add_token(&t, p, len, err, errlen) < 0)
				return -1;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (!any) {
		set_err(err, errlen, "invalid system call '%s'", set);
		return -1;
	}
	if (neg) {
		for (size_t i = 0; i < NWORDS; i++)
			t.bits[i] = ~t.bits[i];
		t.unknown = !t.unknown;
	}
	memcpy(f->trace, t.bits, sizeof(f->trace));
	f->trace_unknown = t.unknown;
	f->narrowed = !tset_is_all(&t);
	return 0;
}

/* ---- status ------------------------------------------------------------- */

static const struct {
	const char *name;
	unsigned bits;
} status_names[] = {
	{ "successful", ST_SUCCESSFUL },
	{ "failed", ST_FAILED },
	{ "unfinished", ST_UNFINISHED },
	{ "unavailable", ST_UNAVAILABLE },
	{ "detached", ST_DETACHED },
	{ "all", ST_ALL },
	{ "none", 0 },
};

int filter_parse_status(struct filter *f, const char *set, char *err, size_t errlen)
{
	const char *p = set;
	bool neg = strip_negation(&p);
	bool any = false;
	unsigned bits = 0;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len > 0) {
			size_t i;
			any = true;
			for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
				if (strlen(status_names[i].name) == len &&
				    memcmp(status_names[i].name, p, len) == 0)
					break;
			if (i == sizeof(status_names) / sizeof(status_names[0])) {
				set_err(err, errlen, "invalid status '%.*s'", (int)len, p);
				return -1;
			}
			bits |= status_names[i].bits;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (!any) {
		set_err(err, errlen, "invalid status '%s'", set);
		return -1;
	}
	if (neg)
		bits = ~bits & ST_ALL;
	f->status = bits;
	return 0;
}

/* ---- -e EXPR ------------------------------------------------------------ */

/* strace qualifiers this tool does not implement. */
static const char *const other_qualifiers[] = {
	"abbrev", "a", "verbose", "v", "raw", "x", "signal", "signals", "s",
	"read", "reads", "r", "write", "writes", "w", "fault", "inject",
	"quiet", "silent", "silence", "q", "decode-fds", "decode-fd",
	"decode-pids", "decode-pid", "kvm",
};

int filter_parse_expr(struct filter *f, const char *expr, char *err, size_t errlen)
{
	const char *eq;

	if (!expr) {
		set_err(err, errlen, "missing expression");
		return -1;
	}
	eq = strchr(expr, '=');
	if (eq) {
		size_t klen = (size_t)(eq - expr);
		if ((klen == 5 && memcmp(expr, "trace", 5) == 0) ||
		    (klen == 1 && expr[0] == 't'))
			return parse_trace_set(f, eq + 1, err, errlen);
		if (klen == 6 && memcmp(expr, "status", 6) == 0)
			return filter_parse_status(f, eq + 1, err, errlen);
		for (size_t i = 0; i < sizeof(other_qualifiers) / sizeof(other_qualifiers[0]); i++) {
			if (strlen(other_qualifiers[i]) == klen &&
			    memcmp(other_qualifiers[i], expr, klen) == 0) {
				set_err(err, errlen, "-e %.*s= is not supported", (int)klen, expr);
				return -1;
			}
		}
	}
	return parse_trace_set(f, expr, err, errlen);
}

/* ---- durations ---------------------------------------------------------- */

int parse_duration(const char *s, uint64_t *out_ns, char *err, size_t errlen)
{
	const char *p = s;
	char *end;
	double v, scale;

	if (!s) {
		set_err(err, errlen, "missing duration");
		return -1;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		p++;
	/* strtod would also take hex, "inf" and "nan": strace refuses them */
	if (!(isdigit((unsigned char)p[0]) ||
	      (p[0] == '.' && isdigit((unsigned char)p[1]))) ||
	    (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))) {
		set_err(err, errlen, "invalid duration '%s'", s);
		return -1;
	}
	v = strtod(s, &end);
	if (end == s) {
		set_err(err, errlen, "invalid duration '%s'", s);
		return -1;
	}
	if (*end == '\0' || strcmp(end, "us") == 0)
		scale = 1e3; /* no unit: microseconds, as strace's time spec */
	else if (strcmp(end, "s") == 0)
		scale = 1e9;
	else if (strcmp(end, "ms") == 0)
		scale = 1e6;
	else if (strcmp(end, "ns") == 0)
		scale = 1;
	else {
		set_err(err, errlen, "invalid duration '%s' (units: s, ms, us, ns)", s);
		return -1;
	}
	if (v < 0) {
		set_err(err, errlen, "invalid duration '%s': must not be negative", s);
		return -1;
	}
	v = v * scale + 0.5; /* round to the nearest ns */
	if (!isfinite(v) || v >= 18446744073709551616.0) {
		set_err(err, errlen, "invalid duration '%s': out of range", s);
		return -1;
	}
	*out_ns = (uint64_t)v;
	return 0;
}
