/* trace_fastline.c — the reader's fast path for one record line in the
 * json_sink layout (see trace_fastline_int.h).
 *
 * Equivalence with the cJSON path (reader_to_event in trace_record.c) is
 * kept by construction: every value is accepted only in a form for which
 * cJSON and reader_to_event give a known result, and that result is
 * computed here the same way (the same double conversion of numbers, the
 * same unescaping, the same defaults and rle checks). Anything else returns "not handled".
 * tests/unit/test_trace_fastline.c parses a corpus both ways and compares
 * the events field by field. */
#include "trace_fastline_int.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_flags.h"
#include "syscall_table.h"
#include "trace_reader_int.h" /* MAX_ERRNO, D2_63, D2_64: the reader's limits */
#include "vec.h"

#define ERRNO_SCAN_LAST 601 /* trace_record.c's errno_of_name stops after 601 */

#define NOT_HANDLED TRACE_FASTLINE_NOT_HANDLED

struct scan {
	const char *p;
	const char *end;
	char *out;     /* next free byte of the string buffer */
	char *out_end; /* one past its last byte */
};

/* ------------------------------------------------------------------ */
/* Tokens                                                              */

/* Inlined so that memcmp sees a constant length (a few compares). */
static inline __attribute__((always_inline)) bool lit(struct scan *s, const char *l, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, l, n) != 0)
		return false;
	s->p += n;
	return true;
}
#define LIT(s, l) lit((s), (l), sizeof(l) - 1)

static inline bool peek(const struct scan *s, char c)
{
	return s->p < s->end && *s->p == c;
}

/* Hex digit values + 1; 0 for anything else. */
static const unsigned char hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static inline int hexval(unsigned char c)
{
	return (int)hex1[c] - 1;
}

/* Four hex digits at p (4 bytes available), or -1 (cJSON would read an
 * invalid digit as code 0: not handled here). */
static long hex4(const char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int d = hexval((unsigned char)p[i]);
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* A JSON string, unescaped as cJSON does, into the string buffer
 * (NUL-terminated). Raw bytes other than '"' and '\\' are copied as they
 * are, as cJSON copies them. */
static bool string(struct scan *s, const char **out)
{
	if (!peek(s, '"'))
		return false;
	const char *p = s->p + 1;
	const char *end = s->end;
	char *o = s->out;
	char *oe = s->out_end;
	for (;;) {
		/* A plain run up to the next quote or backslash. */
		const char *q = memchr(p, '"', (size_t)(end - p));
		if (!q)
			return false;
		const char *bs = memchr(p, '\\', (size_t)(q - p));
		if (bs)
			q = bs;
		size_t run = (size_t)(q - p);
		if (run >= (size_t)(oe - o))
			return false;
		memcpy(o, p, run);
		o += run;
		p = q;
		if (p >= end)
			return false;
		if (*p == '"')
			break;
		/* An escape: at least the letter must follow. */
		if (end - p < 2 || oe - o < 4)
			return false;
		char e = p[1];
		switch (e) {
		case 'b': *o++ = '\b'; p += 2; break;
		case 'f': *o++ = '\f'; p += 2; break;
		case 'n': *o++ = '\n'; p += 2; break;
		case 'r': *o++ = '\r'; p += 2; break;
		case 't': *o++ = '\t'; p += 2; break;
		case '"':
		case '\\':
		case '/':
			*o++ = e;
			p += 2;
			break;
		case 'u': {
			if (end - p < 6)
				return false;
			long cp = hex4(p + 2);
			if (cp < 0 || (cp >= 0xdc00 && cp <= 0xdfff))
				return false;
			p += 6;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
					return false;
				long lo = hex4(p + 2);
				if (lo < 0xdc00 || lo > 0xdfff)
					return false;
				cp = 0x10000 + (((cp & 0x3ff) << 10) | (lo & 0x3ff));
				p += 6;
			}
			if (cp < 0x80) {
				*o++ = (char)cp;
			} else if (cp < 0x800) {
				*o++ = (char)(0xc0 | (cp >> 6));
				*o++ = (char)(0x80 | (cp & 0x3f));
			} else if (cp < 0x10000) {
				*o++ = (char)(0xe0 | (cp >> 12));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
				*o++ = (char)(0x80 | (cp & 0x3f));
			} else {
				*o++ = (char)(0xf0 | (cp >> 18));
				*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
				*o++ = (char)(0x80 | (cp & 0x3f));
			}
			break;
		}
		default:
			return false;
		}
	}
	if (o >= oe)
		return false;
	*o++ = '\0';
	*out = s->out;
	s->out = o;
	s->p = p + 1;
	return true;
}

/* null or a string (*out NULL for null). */
static bool string_or_null(struct scan *s, const char **out)
{
	if (LIT(s, "null")) {
		*out = NULL;
		return true;
	}
	return string(s, out);
}

/* An integer as cJSON reads it: cJSON hands at most 63 of the characters
 * [0-9+-.eE] to strtod. Accepted here: -?[0-9]+ not followed by any of
 * those characters. Up to 15 digits the value is an exact integer (below
 * 2^53), which is what strtod returns: then exact is set, with neg and
 * mag (the double is -mag or mag). Longer ones go through strtod itself,
 * into d. */
struct jnum {
	bool exact;
	bool neg;
	uint64_t mag;
	double d;
};

static bool number(struct scan *s, struct jnum *out)
{
	const char *start = s->p, *p = s->p, *end = s->end;
	bool neg = false;
	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	const char *digits = p;
	uint64_t v = 0;
	while (p < end && *p >= '0' && *p <= '9') {
		if (p - digits < 15)
			v = v * 10 + (uint64_t)(*p - '0');
		p++;
	}
	size_t nd = (size_t)(p - digits);
	if (nd == 0)
		return false;
	if (p < end && (*p == '+' || *p == '-' || *p == '.' || *p == 'e' || *p == 'E'))
		return false;
	out->exact = nd <= 15;
	if (out->exact) {
		out->neg = neg;
		out->mag = v;
	} else {
		size_t len = (size_t)(p - start);
		char tmp[64];
		if (len > sizeof(tmp) - 1)
			return false;
		memcpy(tmp, start, len);
		tmp[len] = '\0';
		char *e = NULL;
		out->d = strtod(tmp, &e);
		if (e != tmp + len)
			return false;
	}
	s->p = p;
	return true;
}

/* The range checks and conversions of trace_fields.c's reader_want_int
 * family, on the double cJSON would have made (exact integers: the same
 * checks on the integer). */
static bool num_in_d(const struct jnum *j, double lo, double hi, double *out)
{
	double v = j->exact ? (j->neg ? -(double)j->mag : (double)j->mag) : j->d;
	if (!isfinite(v) || floor(v) != v || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool num_u64(struct scan *s, uint64_t *out)
{
	struct jnum j;
	if (!number(s, &j))
		return false;
	if (j.exact) {
		if (j.neg && j.mag) /* -0 is 0 */
			return false;
		*out = j.mag;
		return true;
	}
	double v;
	if (!num_in_d(&j, 0, D2_64, &v))
		return false;
	*out = v >= D2_64 ? UINT64_MAX : (uint64_t)v;
	return true;
}

static bool num_long(struct scan *s, long *out)
{
	struct jnum j;
	if (!number(s, &j))
		return false;
	if (j.exact) {
		*out = j.neg ? -(long)j.mag : (long)j.mag;
		return true;
	}
	double v;
	if (!num_in_d(&j, -D2_63, D2_63, &v))
		return false;
	*out = v >= D2_63 ? LONG_MAX : (long)v;
	return true;
}

/* An integer in [0, hi] (hi below 2^53). */
static bool num_upto(struct scan *s, uint64_t hi, uint64_t *out)
{
	struct jnum j;
	if (!number(s, &j))
		return false;
	double v;
	if (j.exact) {
		if ((j.neg && j.mag) || j.mag > hi)
			return false;
		*out = j.mag;
		return true;
	}
	if (!num_in_d(&j, 0, (double)hi, &v))
		return false;
	*out = (uint64_t)v;
	return true;
}

static bool num_i32(struct scan *s, int *out)
{
	struct jnum j;
	if (!number(s, &j))
		return false;
	if (j.exact) {
		if (j.neg ? j.mag > (uint64_t)INT_MAX + 1 : j.mag > (uint64_t)INT_MAX)
			return false;
		*out = j.neg ? (int)(-(long)j.mag) : (int)j.mag;
		return true;
	}
	double v;
	if (!num_in_d(&j, (double)INT_MIN, (double)INT_MAX, &v))
		return false;
	*out = (int)v;
	return true;
}

/* "0x" and 1..16 hex digits, in quotes: the value strtoull gives. */
static bool hexstr(struct scan *s, uint64_t *out)
{
	if (!LIT(s, "\"0x"))
		return false;
	uint64_t v = 0;
	int nd = 0;
	while (s->p < s->end) {
		int d = hexval((unsigned char)*s->p);
		if (d < 0)
			break;
		if (++nd > 16)
			return false;
		v = v << 4 | (uint64_t)d;
		s->p++;
	}
	if (nd == 0 || !peek(s, '"'))
		return false;
	s->p++;
	*out = v;
	return true;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ------------------------------------------------------------------ */
/* Semantics shared with reader_to_event                               */

/* Whether no errno below e has the name errno_name(e). */
static bool errno_is_first(struct trace_fastline *fl, int e, const char *name)
{
	if (!fl->errno_first[e]) {
		fl->errno_first[e] = 1;
		for (int k = 1; k < e; k++) {
			const char *n = errno_name(k);
			if (n && !strcmp(n, name)) {
				fl->errno_first[e] = 2;
				break;
			}
		}
	}
	return fl->errno_first[e] == 1;
}

/* trace_record.c's errno_of_name, with a shortcut: the errno the result
 * implies is tried first (and taken only when no lower errno has the same
 * name, as the reader's scan would find that one). */
static int errno_lookup(struct trace_fastline *fl, const char *name, long result)
{
	if (name[0] == 'E' && name[1] >= '0' && name[1] <= '9') {
		char *end;
		long v = strtol(name + 1, &end, 10);
		if (!*end && v > 0 && v <= MAX_ERRNO)
			return (int)v;
	}
	if (result < 0 && result >= -ERRNO_SCAN_LAST) {
		int e = (int)-result;
		const char *n = errno_name(e);
		if (n && !strcmp(n, name) && errno_is_first(fl, e, name))
			return e;
	}
	for (int e = 1; e <= ERRNO_SCAN_LAST; e++) {
		const char *n = errno_name(e);
		if (n && !strcmp(n, name))
			return e;
	}
	return 0;
}

/* snprintf(buf, "%ld", v) */
static void put_long(char *buf, long v)
{
	char tmp[24];
	int i = 0;
	unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
	do {
		tmp[i++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[i++] = '-';
	while (i)
		*buf++ = tmp[--i];
	*buf = '\0';
}

/* ------------------------------------------------------------------ */

int trace_fastline_parse(struct trace_fastline *fl, const char *line, size_t n, struct event *ev, bool *comma)
{
	if (!fl || !line || !ev || n < 2 || line[0] != '{' || line[1] != '"')
		return NOT_HANDLED;
	/* Unescaped strings never take more room than the line: each one
	 * loses its two quotes and gains one NUL, and escapes only shrink. */
	if (n == SIZE_MAX || !vec_grow(&fl->buf, &fl->cap, n + 1, 1))
		return NOT_HANDLED;
	struct scan sc = { line + 1, line + n, fl->buf, fl->buf + fl->cap };
	struct scan *s = &sc;
	struct event e;
	memset(&e, 0, sizeof(e));

	/* "rle" (optional, first) */
	bool has_rle = false;
	uint64_t rle[6] = { 0 }, last_dur = 0;
	bool has_last = false;
	if (LIT(s, "\"rle\":{\"count\":")) {
		has_rle = true;
		if (!num_u64(s, &rle[0]) || !LIT(s, ",\"first_ts_ns\":") || !num_u64(s, &rle[1]) ||
		    !LIT(s, ",\"last_ts_ns\":") || !num_u64(s, &rle[2]) || !LIT(s, ",\"duration_ns_total\":") ||
		    !num_u64(s, &rle[3]) || !LIT(s, ",\"duration_ns_min\":") || !num_u64(s, &rle[4]) ||
		    !LIT(s, ",\"duration_ns_max\":") || !num_u64(s, &rle[5]))
			return NOT_HANDLED;
		last_dur = rle[5];
		if (LIT(s, ",\"duration_ns_last\":")) {
			if (!num_u64(s, &last_dur))
				return NOT_HANDLED;
			has_last = true;
		}
		if (!LIT(s, "},"))
			return NOT_HANDLED;
	}

	/* name, nr */
	const char *name;
	long nr;
	if (!LIT(s, "\"name\":") || !string(s, &name) || !LIT(s, ",\"nr\":") || !num_long(s, &nr))
		return NOT_HANDLED;

	/* args */
	int nshown = 0;
	if (!LIT(s, ",\"args\":["))
		return NOT_HANDLED;
	if (!peek(s, ']')) {
		for (;;) {
			if (nshown >= EVENT_MAX_ARGS || !string(s, &e.arg_text[nshown]))
				return NOT_HANDLED;
			nshown++;
			if (!peek(s, ','))
				break;
			s->p++;
		}
	}

	/* raw_args */
	int nraw = 0;
	if (!LIT(s, "],\"raw_args\":["))
		return NOT_HANDLED;
	if (!peek(s, ']')) {
		for (;;) {
			if (nraw >= EVENT_MAX_ARGS || !hexstr(s, &e.raw_args[nraw]))
				return NOT_HANDLED;
			nraw++;
			if (!peek(s, ','))
				break;
			s->p++;
		}
	}

	/* result, errno */
	bool finished = true;
	long result = 0;
	if (!LIT(s, "],\"result\":"))
		return NOT_HANDLED;
	if (LIT(s, "null"))
		finished = false;
	else if (!num_long(s, &result))
		return NOT_HANDLED;
	const char *errname;
	if (!LIT(s, ",\"errno\":") || !string_or_null(s, &errname))
		return NOT_HANDLED;

	/* pid, tid, times, ip, module */
	int pid, tid;
	uint64_t ts, dur, dur_us, ip;
	const char *module;
	if (!LIT(s, ",\"pid\":") || !num_i32(s, &pid) || !LIT(s, ",\"tid\":") || !num_i32(s, &tid) ||
	    !LIT(s, ",\"ts_ns\":") || !num_u64(s, &ts) || !LIT(s, ",\"duration_ns\":") || !num_u64(s, &dur) ||
	    !LIT(s, ",\"duration_us\":") || !num_u64(s, &dur_us) || !LIT(s, ",\"ip\":") || !hexstr(s, &ip) ||
	    !LIT(s, ",\"module\":") || !string_or_null(s, &module))
		return NOT_HANDLED;

	/* source (optional) */
	const char *file = NULL, *fn = NULL;
	uint64_t line_no = 0;
	if (LIT(s, ",\"source\":{\"file\":")) {
		if (!string_or_null(s, &file) || !LIT(s, ",\"line\":") || !num_upto(s, UINT_MAX, &line_no) ||
		    !LIT(s, ",\"function\":") || !string_or_null(s, &fn) || !LIT(s, "}"))
			return NOT_HANDLED;
	}

	/* unfinished (optional) */
	bool unfinished = false;
	if (LIT(s, ",\"unfinished\":")) {
		if (LIT(s, "true"))
			unfinished = true;
		else if (!LIT(s, "false"))
			return NOT_HANDLED;
	}

	/* the end: '}', then what stream() allows after a record */
	if (!LIT(s, "}"))
		return NOT_HANDLED;
	while (s->p < s->end && is_ws(*s->p))
		s->p++;
	bool had_comma = false;
	if (peek(s, ',')) {
		had_comma = true;
		s->p++;
		while (s->p < s->end && is_ws(*s->p))
			s->p++;
	}
	if (s->p != s->end)
		return NOT_HANDLED;

	/* The event, in reader_to_event's order. */
	e.name = name;
	e.nr = nr;
	e.nshown = nshown;
	const struct syscall_info *si = syscall_lookup(nr);
	if (si && si->name)
		e.nargs = si->nargs;
	else
		e.nargs = nshown > nraw ? nshown : nraw;

	e.finished = finished && !unfinished;
	e.result = result;
	if (errname) {
		e.err = errno_lookup(fl, errname, e.result);
		if (!e.err) {
			if (e.result < 0 && e.result >= -MAX_ERRNO)
				e.err = (int)-e.result;
			else
				return NOT_HANDLED; /* unknown "errno": the reader's error */
		}
	}
	if (!e.finished) {
		e.err = 0;
		e.result = 0;
	}

	if (pid < 0 || tid < 0)
		return NOT_HANDLED;
	e.pid = pid ? pid : 1;
	e.tid = tid ? tid : e.pid;

	e.duration_ns = dur;
	e.ts_ns = ts;
	if (has_rle) {
		/* read_rle's checks, in its order; any failure is its error. */
		if (rle[0] < 1 || rle[2] < rle[1] || rle[4] > rle[5] || rle[3] < rle[5] ||
		    (has_last && (last_dur < rle[4] || last_dur > rle[5])) || e.ts_ns != rle[1] ||
		    e.duration_ns < rle[4] || e.duration_ns > rle[5] || !e.finished ||
		    (rle[0] == 1 && (rle[1] != rle[2] || rle[3] != rle[5] || rle[4] != rle[5])))
			return NOT_HANDLED;
		e.ts_ns = rle[1];
		if (rle[0] > 1) {
			e.rle_count = rle[0];
			e.rle_last_ts_ns = rle[2];
			e.rle_duration_total_ns = rle[3];
			e.rle_duration_min_ns = rle[4];
			e.rle_duration_max_ns = rle[5];
			e.rle_last_duration_ns = last_dur;
		}
	}

	e.ip = ip;
	e.module = module;
	if (file) {
		fl->src.file = file;
		fl->src.line = (unsigned)line_no;
		fl->src.function = fn;
		e.source = &fl->src;
	}

	if (!e.finished) {
		memcpy(fl->ret_text, "?", 2);
	} else if (e.err) {
		const char *en = errno_name(e.err);
		const char *et = errno_text(e.err);
		if (en)
			snprintf(fl->ret_text, sizeof(fl->ret_text), "-1 %s (%s)", en, et ? et : "");
		else
			snprintf(fl->ret_text, sizeof(fl->ret_text), "-1 E%d", e.err);
	} else {
		put_long(fl->ret_text, e.result);
	}
	e.ret_text = fl->ret_text;

	*ev = e;
	*comma = had_comma;
	return TRACE_FASTLINE_OK;
}

void trace_fastline_free(struct trace_fastline *fl)
{
	if (!fl)
		return;
	free(fl->buf);
	fl->buf = NULL;
	fl->cap = 0;
}
