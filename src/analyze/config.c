/* config.c — load and validate renacer.toml (config.h; docs/design.md,
 * "Assertions").
 *
 * The TOML tree comes from toml.c; this file only checks the schema:
 * the top level holds `[[assertion]]` tables and an optional
 * `expect_exit` integer, every assertion has a unique `name` and a known
 * `type`, each key is one of the common keys or a key of that type, with
 * the right value type and range, and at least one assertion is enabled.
 * The first problem stops loading; its message names FILE:LINE:COL of the
 * offending key or value and, for near-miss names, suggests the closest
 * known one (edit distance). Messages are always one line: user text
 * quoted in them is sanitized and shortened. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "editdist.h"
#include "syscall_table.h"
#include "toml.h"

#define QUOTE_MAX 64 /* longest user text quoted in a message */

/* ------------------------------------------------------------------ */
/* Names                                                               */

static const char *const type_names[] = {
	[AT_CRITICAL_PATH] = "critical_path",
	[AT_SPAN_COUNT] = "span_count",
	[AT_MEMORY_USAGE] = "memory_usage",
	[AT_ANTI_PATTERN] = "anti_pattern",
	[AT_SYSCALL_COUNT] = "syscall_count",
	[AT_SYSCALL_PERCENTAGE] = "syscall_percentage",
	[AT_TOTAL_TIME] = "total_time",
	[AT_GOLDEN] = "golden",
};
#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

static const char *const pattern_names[] = {
	[AP_GOD_PROCESS] = "GodProcess",
	[AP_TIGHT_LOOP] = "TightLoop",
	[AP_PCIE_BOTTLENECK] = "PcieBottleneck",
	[AP_EXCESSIVE_IO] = "ExcessiveIO",
	[AP_BLOCKING_MAIN_THREAD] = "BlockingMainThread",
};
#define NPATTERNS (sizeof(pattern_names) / sizeof(pattern_names[0]))

const char *assertion_type_name(enum assertion_type t)
{
	if ((unsigned)t < NTYPES)
		return type_names[t];
	return "unknown";
}

const char *anti_pattern_name(enum anti_pattern p)
{
	if ((unsigned)p < NPATTERNS)
		return pattern_names[p];
	return "unknown";
}

/* ------------------------------------------------------------------ */
/* Loader state and messages                                           */

struct loader {
	const char *file; /* for messages */
	char *err;
	size_t errlen;
};

/* Copy S (LEN bytes) into OUT as printable one-line text: control bytes
 * and NULs become '?', long text is cut with "...". */
static const char *quote(char *out, size_t outsz, const char *s, size_t len)
{
	size_t o = 0;
	if (outsz < 8) {
		if (outsz)
			out[0] = '\0';
		return out;
	}
	for (size_t i = 0; i < len; i++) {
		if (o >= QUOTE_MAX || o + 4 >= outsz) {
			/* Do not split a UTF-8 sequence before the ellipsis. */
			while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
				o--;
			if (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0xC0)
				o--;
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		unsigned char c = (unsigned char)s[i];
		out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[o] = '\0';
	return out;
}

static void vmsg(struct loader *L, struct toml_pos pos, const char *fmt, va_list ap)
{
	if (!L->err || L->errlen == 0)
		return;
	int n;
	if (pos.line)
		n = snprintf(L->err, L->errlen, "%s:%u:%u: ", L->file, pos.line, pos.col);
	else
		n = snprintf(L->err, L->errlen, "%s: ", L->file);
	if (n < 0)
		n = 0;
	if ((size_t)n < L->errlen)
		vsnprintf(L->err + n, L->errlen - (size_t)n, fmt, ap);
}

static int fail(struct loader *L, struct toml_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct loader *L, struct toml_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(L, pos, fmt, ap);
	va_end(ap);
	return -1;
}

/* One line, always: anything that could break it (a file name with a
 * newline, say) is replaced. */
static void one_line(char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* ------------------------------------------------------------------ */
/* Suggestions                                                         */

/* Offer cand as the suggestion for word[0, wlen) (editdist.h): within
 * an edit distance of a third of its length (1 to 3), or sharing a
 * prefix of 4+ characters either way ("memory" for "memory_usage"). */
static void suggest_try(struct suggestion *s, const char *word, size_t wlen, const char *cand)
{
	size_t cl = strlen(cand);
	size_t limit = cl / 3;
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	size_t d = edit_distance(word, wlen, cand, cl, true);
	size_t shorter = wlen < cl ? wlen : cl;
	if (d > limit && shorter >= 4 && strncasecmp(word, cand, shorter) == 0)
		d = limit;
	suggestion_offer(s, cand, d, limit);
}

/* " (did you mean 'X'?)" or "" into buf. */
static const char *suggest_text(const struct suggestion *s, char *buf, size_t n)
{
	if (s->best)
		snprintf(buf, n, " (did you mean '%s'?)", s->best);
	else if (n)
		buf[0] = '\0';
	return buf;
}

/* ------------------------------------------------------------------ */
/* Value helpers                                                       */

static const char *type_of(const struct toml_value *v)
{
	return toml_type_name(v->type);
}

/* A string without NUL bytes. */
static int get_str(struct loader *L, const char *key, const struct toml_value *v, const char **out,
		   size_t *len)
{
	if (!toml_get_string(v, out, len))
		return fail(L, v->pos, "%s: expected a string, got %s", key, type_of(v));
	if (strlen(*out) != *len)
		return fail(L, v->pos, "%s: must not contain NUL characters", key);
	return 0;
}

static int get_bool(struct loader *L, const char *key, const struct toml_value *v, bool *out)
{
	if (!toml_get_bool(v, out))
		return fail(L, v->pos, "%s: expected a boolean (true or false), got %s", key, type_of(v));
	return 0;
}

/* A finite number within [lo, hi] (hi may be INFINITY). */
static int get_num(struct loader *L, const char *key, const struct toml_value *v, double lo, double hi,
		   double *out)
{
	double d;
	if (!toml_get_number(v, &d))
		return fail(L, v->pos, "%s: expected a number, got %s", key, type_of(v));
	if (!isfinite(d))
		return fail(L, v->pos, "%s: must be a finite number", key);
	if (d < lo || d > hi) {
		if (isinf(hi) && lo == 0)
			return fail(L, v->pos, "%s: must not be negative, got %g", key, d);
		if (isinf(hi))
			return fail(L, v->pos, "%s: must be at least %g, got %g", key, lo, d);
		return fail(L, v->pos, "%s: must be between %g and %g, got %g", key, lo, hi, d);
	}
	*out = d;
	return 0;
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static int get_regex(struct loader *L, const char *key, const struct toml_value *v, struct pattern *pat)
{
	const char *s;
	size_t len;
	if (get_str(L, key, v, &s, &len) != 0)
		return -1;
	if (pat->set)
		return fail(L, v->pos, "%s: given twice", key); /* cannot happen: toml rejects duplicates */
	int rc = regcomp(&pat->re, s, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		char why[256], q[QUOTE_MAX + 8];
		regerror(rc, &pat->re, why, sizeof(why));
		one_line(why);
		return fail(L, v->pos, "%s: invalid regular expression '%s': %s", key, quote(q, sizeof(q), s, len),
			    why);
	}
	pat->src = dup_n(s, len);
	if (!pat->src) {
		regfree(&pat->re);
		return fail(L, v->pos, "out of memory");
	}
	pat->set = true;
	return 0;
}

static void pattern_free(struct pattern *p)
{
	if (p->set)
		regfree(&p->re);
	free(p->src);
	p->src = NULL;
	p->set = false;
}

/* "syscall_0x1b3": the name the tracer gives unknown numbers. */
static bool generic_syscall_name(const char *s)
{
	if (strncmp(s, "syscall_0x", 10) != 0 || !s[10])
		return false;
	for (s += 10; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

enum key_id {
	K_NAME,
	K_TYPE,
	K_FAIL_ON_VIOLATION,
	K_ENABLED,
	K_MAX_DURATION_MS,
	K_TRACE_NAME_PATTERN,
	K_MAX_SPANS,
	K_SPAN_NAME_PATTERN,
	K_MAX_BYTES,
	K_TRACKING_MODE,
	K_PATTERN,
	K_THRESHOLD,
	K_PROCESS_NAME_PATTERN,
	K_MIN_RUN,
	K_MAX_OPS_PER_SEC,
	K_MAX_BLOCK_MS,
	K_SYSCALL,
	K_MAX_COUNT,
	K_MAX_PERCENTAGE,
	K_MAX_TIME_MS,
	K_BASELINE,
	K_MIN_SIMILARITY,
	K_COUNT
};

#define T(x) (1u << (x))
#define ALL_TYPES 0xffu

static const struct keydef {
	const char *name;
	unsigned types;   /* T(type) bits the key belongs to */
	unsigned req;     /* T(type) bits it is required for */
} keys[K_COUNT] = {
	[K_NAME] = {"name", ALL_TYPES, ALL_TYPES},
	[K_TYPE] = {"type", ALL_TYPES, ALL_TYPES},
	[K_FAIL_ON_VIOLATION] = {"fail_on_violation", ALL_TYPES, 0},
	[K_ENABLED] = {"enabled", ALL_TYPES, 0},
	[K_MAX_DURATION_MS] = {"max_duration_ms", T(AT_CRITICAL_PATH), T(AT_CRITICAL_PATH)},
	[K_TRACE_NAME_PATTERN] = {"trace_name_pattern", T(AT_CRITICAL_PATH), 0},
	[K_MAX_SPANS] = {"max_spans", T(AT_SPAN_COUNT), T(AT_SPAN_COUNT)},
	[K_SPAN_NAME_PATTERN] = {"span_name_pattern", T(AT_SPAN_COUNT), 0},
	[K_MAX_BYTES] = {"max_bytes", T(AT_MEMORY_USAGE), T(AT_MEMORY_USAGE)},
	[K_TRACKING_MODE] = {"tracking_mode", T(AT_MEMORY_USAGE), 0},
	[K_PATTERN] = {"pattern", T(AT_ANTI_PATTERN), T(AT_ANTI_PATTERN)},
	[K_THRESHOLD] = {"threshold", T(AT_ANTI_PATTERN), 0},
	[K_PROCESS_NAME_PATTERN] = {"process_name_pattern", T(AT_ANTI_PATTERN), 0},
	[K_MIN_RUN] = {"min_run", T(AT_ANTI_PATTERN), 0},
	[K_MAX_OPS_PER_SEC] = {"max_ops_per_sec", T(AT_ANTI_PATTERN), 0},
	[K_MAX_BLOCK_MS] = {"max_block_ms", T(AT_ANTI_PATTERN), 0},
	[K_SYSCALL] = {"syscall", T(AT_SYSCALL_COUNT) | T(AT_SYSCALL_PERCENTAGE),
		       T(AT_SYSCALL_COUNT) | T(AT_SYSCALL_PERCENTAGE)},
	[K_MAX_COUNT] = {"max_count", T(AT_SYSCALL_COUNT), T(AT_SYSCALL_COUNT)},
	[K_MAX_PERCENTAGE] = {"max_percentage", T(AT_SYSCALL_PERCENTAGE), T(AT_SYSCALL_PERCENTAGE)},
	[K_MAX_TIME_MS] = {"max_time_ms", T(AT_TOTAL_TIME), T(AT_TOTAL_TIME)},
	[K_BASELINE] = {"baseline", T(AT_GOLDEN), T(AT_GOLDEN)},
	[K_MIN_SIMILARITY] = {"min_similarity", T(AT_GOLDEN), 0},
};

/* The anti-pattern keys that belong to one detector only. */
static bool key_fits_pattern(enum key_id k, enum anti_pattern p, enum anti_pattern *owner)
{
	switch (k) {
	case K_MIN_RUN:
		*owner = AP_TIGHT_LOOP;
		return p == AP_TIGHT_LOOP;
	case K_MAX_OPS_PER_SEC:
		*owner = AP_EXCESSIVE_IO;
		return p == AP_EXCESSIVE_IO;
	case K_MAX_BLOCK_MS:
		*owner = AP_BLOCKING_MAIN_THREAD;
		return p == AP_BLOCKING_MAIN_THREAD;
	default:
		return true;
	}
}

static int key_lookup(const struct toml_kv *kv)
{
	if (strlen(kv->name) != kv->len)
		return -1;
	for (int k = 0; k < K_COUNT; k++)
		if (!strcmp(kv->name, keys[k].name))
			return k;
	return -1;
}

/* ------------------------------------------------------------------ */
/* One assertion                                                       */

static int parse_type(struct loader *L, const struct toml_value *v, enum assertion_type *out)
{
	const char *s;
	size_t len;
	if (get_str(L, "type", v, &s, &len) != 0)
		return -1;
	for (unsigned t = 0; t < NTYPES; t++)
		if (!strcmp(s, type_names[t])) {
			*out = (enum assertion_type)t;
			return 0;
		}
	struct suggestion sg;
	suggestion_init(&sg);
	for (unsigned t = 0; t < NTYPES; t++)
		suggest_try(&sg, s, len, type_names[t]);
	char q[QUOTE_MAX + 8], hint[160];
	if (!sg.best)
		snprintf(hint, sizeof(hint),
			 " (expected critical_path, span_count, memory_usage, anti_pattern, syscall_count, "
			 "syscall_percentage, total_time or golden)");
	else
		suggest_text(&sg, hint, sizeof(hint));
	return fail(L, v->pos, "unknown assertion type '%s'%s", quote(q, sizeof(q), s, len), hint);
}

static int parse_pattern(struct loader *L, const struct toml_value *v, enum anti_pattern *out)
{
	const char *s;
	size_t len;
	if (get_str(L, "pattern", v, &s, &len) != 0)
		return -1;
	for (unsigned p = 0; p < NPATTERNS; p++)
		if (!strcmp(s, pattern_names[p])) {
			*out = (enum anti_pattern)p;
			return 0;
		}
	if (!strcmp(s, "PCIeBottleneck")) {
		*out = AP_PCIE_BOTTLENECK;
		return 0;
	}
	struct suggestion sg;
	suggestion_init(&sg);
	for (unsigned p = 0; p < NPATTERNS; p++)
		suggest_try(&sg, s, len, pattern_names[p]);
	char q[QUOTE_MAX + 8], hint[160];
	if (!sg.best)
		snprintf(hint, sizeof(hint),
			 " (expected GodProcess, TightLoop, PcieBottleneck, ExcessiveIO or BlockingMainThread)");
	else
		suggest_text(&sg, hint, sizeof(hint));
	return fail(L, v->pos, "unknown anti-pattern '%s'%s", quote(q, sizeof(q), s, len), hint);
}

static int parse_syscall(struct loader *L, const struct toml_value *v, char **out)
{
	const char *s;
	size_t len;
	if (get_str(L, "syscall", v, &s, &len) != 0)
		return -1;
	if (syscall_by_name(s) < 0 && !generic_syscall_name(s)) {
		struct suggestion sg;
		suggestion_init(&sg);
		for (unsigned nr = 0; nr < syscall_table_size; nr++)
			if (syscall_table[nr].name)
				suggest_try(&sg, s, len, syscall_table[nr].name);
		char q[QUOTE_MAX + 8], hint[160];
		return fail(L, v->pos, "syscall: unknown system call '%s'%s", quote(q, sizeof(q), s, len),
			    suggest_text(&sg, hint, sizeof(hint)));
	}
	*out = dup_n(s, len);
	if (!*out)
		return fail(L, v->pos, "out of memory");
	return 0;
}

static int parse_key(struct loader *L, struct assertion *a, enum key_id k, const struct toml_value *v)
{
	const double inf = INFINITY;
	const char *s;
	size_t len;
	switch (k) {
	case K_NAME:
	case K_TYPE:
		return 0; /* handled first */
	case K_FAIL_ON_VIOLATION:
		return get_bool(L, "fail_on_violation", v, &a->fail_on_violation);
	case K_ENABLED:
		return get_bool(L, "enabled", v, &a->enabled);
	case K_MAX_DURATION_MS:
		return get_num(L, "max_duration_ms", v, 0, inf, &a->max_duration_ms);
	case K_TRACE_NAME_PATTERN:
		return get_regex(L, "trace_name_pattern", v, &a->trace_name_pattern);
	case K_MAX_SPANS:
		return get_num(L, "max_spans", v, 0, inf, &a->max_spans);
	case K_SPAN_NAME_PATTERN:
		return get_regex(L, "span_name_pattern", v, &a->span_name_pattern);
	case K_MAX_BYTES:
		return get_num(L, "max_bytes", v, 0, inf, &a->max_bytes);
	case K_TRACKING_MODE:
		if (get_str(L, "tracking_mode", v, &s, &len) != 0)
			return -1;
		if (!strcmp(s, "allocations")) {
			a->tracking_mode = TRACK_ALLOCATIONS;
		} else if (!strcmp(s, "rss")) {
			a->tracking_mode = TRACK_RSS;
		} else {
			struct suggestion sg;
			suggestion_init(&sg);
			suggest_try(&sg, s, len, "allocations");
			suggest_try(&sg, s, len, "rss");
			char q[QUOTE_MAX + 8], hint[160];
			if (!sg.best)
				snprintf(hint, sizeof(hint), " (expected allocations or rss)");
			else
				suggest_text(&sg, hint, sizeof(hint));
			return fail(L, v->pos, "tracking_mode: unknown mode '%s'%s", quote(q, sizeof(q), s, len),
				    hint);
		}
		return 0;
	case K_PATTERN:
		return 0; /* handled first */
	case K_THRESHOLD:
		return get_num(L, "threshold", v, 0, 1, &a->threshold);
	case K_PROCESS_NAME_PATTERN:
		return get_regex(L, "process_name_pattern", v, &a->process_name_pattern);
	case K_MIN_RUN:
		return get_num(L, "min_run", v, 1, inf, &a->min_run);
	case K_MAX_OPS_PER_SEC:
		return get_num(L, "max_ops_per_sec", v, 0, inf, &a->max_ops_per_sec);
	case K_MAX_BLOCK_MS:
		return get_num(L, "max_block_ms", v, 0, inf, &a->max_block_ms);
	case K_SYSCALL:
		return parse_syscall(L, v, &a->syscall);
	case K_MAX_COUNT:
		return get_num(L, "max_count", v, 0, inf, &a->max_count);
	case K_MAX_PERCENTAGE:
		return get_num(L, "max_percentage", v, 0, 100, &a->max_percentage);
	case K_MAX_TIME_MS:
		return get_num(L, "max_time_ms", v, 0, inf, &a->max_time_ms);
	case K_BASELINE:
		if (get_str(L, "baseline", v, &s, &len) != 0)
			return -1;
		if (len == 0)
			return fail(L, v->pos, "baseline: must not be empty");
		a->baseline = dup_n(s, len);
		if (!a->baseline)
			return fail(L, v->pos, "out of memory");
		return 0;
	case K_MIN_SIMILARITY:
		return get_num(L, "min_similarity", v, 0, 1, &a->min_similarity);
	case K_COUNT:
		break;
	}
	return 0;
}

static void assertion_defaults(struct assertion *a)
{
	memset(a, 0, sizeof(*a));
	a->fail_on_violation = true;
	a->enabled = true;
	a->tracking_mode = TRACK_ALLOCATIONS;
	a->threshold = 0.8;
	a->min_run = 1000;
	a->max_ops_per_sec = 10000;
	a->max_block_ms = 100;
	a->min_similarity = 0.95;
}

static void assertion_free(struct assertion *a)
{
	free(a->name);
	pattern_free(&a->trace_name_pattern);
	pattern_free(&a->span_name_pattern);
	pattern_free(&a->process_name_pattern);
	free(a->syscall);
	free(a->baseline);
	a->name = a->syscall = a->baseline = NULL;
}

/* Parse table TBL into *A (already defaulted). PREV holds the N earlier
 * assertions, for the duplicate-name check. */
static int parse_assertion(struct loader *L, const struct toml_value *tbl, struct assertion *a,
			   const struct assertion *prev, size_t n)
{
	a->line = tbl->pos.line;
	a->col = tbl->pos.col;

	/* name and type first: the other keys are checked against the type. */
	const struct toml_kv *nkv = toml_table_get_kv(tbl, "name");
	if (!nkv)
		return fail(L, tbl->pos, "assertion: missing required key 'name'");
	const char *s;
	size_t len;
	if (get_str(L, "name", nkv->value, &s, &len) != 0)
		return -1;
	if (len == 0)
		return fail(L, nkv->value->pos, "name: must not be empty");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return fail(L, nkv->value->pos, "name: must not contain control characters");
	for (size_t i = 0; i < n; i++)
		if (!strcmp(prev[i].name, s)) {
			char q[QUOTE_MAX + 8];
			return fail(L, nkv->value->pos, "duplicate assertion name '%s' (first defined at line %u)",
				    quote(q, sizeof(q), s, len), prev[i].line);
		}
	a->name = dup_n(s, len);
	if (!a->name)
		return fail(L, nkv->value->pos, "out of memory");

	char qn[QUOTE_MAX + 8];
	quote(qn, sizeof(qn), s, len);

	const struct toml_kv *tkv = toml_table_get_kv(tbl, "type");
	if (!tkv)
		return fail(L, tbl->pos, "assertion '%s': missing required key 'type'", qn);
	if (parse_type(L, tkv->value, &a->type) != 0)
		return -1;
	unsigned tbit = T(a->type);

	if (a->type == AT_ANTI_PATTERN) {
		const struct toml_kv *pkv = toml_table_get_kv(tbl, "pattern");
		if (pkv && parse_pattern(L, pkv->value, &a->pattern) != 0)
			return -1;
	}

	bool seen[K_COUNT] = {false};
	for (size_t i = 0; i < toml_table_len(tbl); i++) {
		const struct toml_kv *kv = toml_table_at(tbl, i);
		int k = key_lookup(kv);
		enum anti_pattern owner;
		if (k < 0 || !(keys[k].types & tbit)) {
			struct suggestion sg;
			suggestion_init(&sg);
			for (int j = 0; j < K_COUNT; j++)
				if (keys[j].types & tbit)
					suggest_try(&sg, kv->name, kv->len, keys[j].name);
			char q[QUOTE_MAX + 8], hint[160];
			suggest_text(&sg, hint, sizeof(hint));
			/* TOML puts a key written after [[assertion]] into that
			 * table: say where expect_exit belongs. */
			if (!sg.best && kv->len == strlen(kv->name) && !strcmp(kv->name, "expect_exit"))
				snprintf(hint, sizeof(hint),
					 " (expect_exit is a top-level key: write it before the first [[assertion]])");
			return fail(L, kv->pos, "unknown key '%s' for type %s%s", quote(q, sizeof(q), kv->name, kv->len),
				    type_names[a->type], hint);
		}
		if (a->type == AT_ANTI_PATTERN && toml_table_get(tbl, "pattern") &&
		    !key_fits_pattern((enum key_id)k, a->pattern, &owner))
			return fail(L, kv->pos, "key '%s' applies only to pattern %s, not %s", keys[k].name,
				    pattern_names[owner], pattern_names[a->pattern]);
		seen[k] = true;
		if (parse_key(L, a, (enum key_id)k, kv->value) != 0)
			return -1;
	}
	for (int k = 0; k < K_COUNT; k++)
		if ((keys[k].req & tbit) && !seen[k])
			return fail(L, tbl->pos, "assertion '%s' (type %s): missing required key '%s'", qn,
				    type_names[a->type], keys[k].name);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The document                                                        */

/* expect_exit = N: an exit status, so an integer 0..255 (a float such
 * as 3.0 is a type error, not silently truncated). */
static int parse_expect_exit(struct loader *L, const struct toml_value *v, struct config *c)
{
	int64_t n;
	if (!toml_get_int(v, &n))
		return fail(L, v->pos, "expect_exit: expected an integer (an exit status, 0 to 255), got %s",
			    type_of(v));
	if (n < 0 || n > 255)
		return fail(L, v->pos, "expect_exit: must be between 0 and 255, got %lld", (long long)n);
	c->has_expect_exit = true;
	c->expect_exit = (int)n;
	return 0;
}

static bool key_is(const struct toml_kv *kv, const char *name)
{
	return kv->len == strlen(kv->name) && !strcmp(kv->name, name);
}

static int check_top(struct loader *L, const struct toml_value *root, const struct toml_value **arr,
		     struct config *c)
{
	*arr = NULL;
	for (size_t i = 0; i < toml_table_len(root); i++) {
		const struct toml_kv *kv = toml_table_at(root, i);
		const struct toml_value *v = kv->value;
		bool is_table = v->type == TOML_TABLE || toml_array_is_table_array(v);
		if (key_is(kv, "expect_exit")) {
			if (parse_expect_exit(L, v, c) != 0)
				return -1;
			continue;
		}
		if (key_is(kv, "assertion")) {
			if (v->type == TOML_ARRAY) {
				for (size_t j = 0; j < toml_array_len(v); j++) {
					const struct toml_value *e = toml_array_at(v, j);
					if (e->type != TOML_TABLE)
						return fail(L, e->pos,
							    "assertion: expected [[assertion]] tables, got an array of %s",
							    type_of(e));
				}
				*arr = v;
				continue;
			}
			if (v->type == TOML_TABLE)
				return fail(L, kv->pos,
					    "'assertion' must be an array of tables: write [[assertion]], not [assertion]");
			return fail(L, kv->pos, "'assertion' must be an array of tables ([[assertion]]), got %s",
				    type_of(v));
		}
		struct suggestion sg;
		suggestion_init(&sg);
		suggest_try(&sg, kv->name, kv->len, "assertion");
		if (!is_table)
			suggest_try(&sg, kv->name, kv->len, "expect_exit");
		char q[QUOTE_MAX + 8], hint[160];
		return fail(L, kv->pos, "unknown %s '%s'%s", is_table ? "table" : "key",
			    quote(q, sizeof(q), kv->name, kv->len), suggest_text(&sg, hint, sizeof(hint)));
	}
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return dup_n(path, (size_t)(slash - path));
}

static bool any_enabled(const struct config *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->items[i].enabled)
			return true;
	return false;
}

static struct config *build(struct loader *L, const struct toml_value *root, const char *path, bool from_file)
{
	struct config *c = calloc(1, sizeof(*c));
	if (!c) {
		fail(L, (struct toml_pos){0, 0}, "out of memory");
		return NULL;
	}
	c->path = strdup(path);
	c->dir = from_file ? dir_of(path) : strdup(".");
	if (!c->path || !c->dir) {
		fail(L, (struct toml_pos){0, 0}, "out of memory");
		config_free(c);
		return NULL;
	}
	const struct toml_value *arr;
	if (check_top(L, root, &arr, c) != 0) {
		config_free(c);
		return NULL;
	}
	size_t n = toml_array_len(arr);
	if (n) {
		c->items = calloc(n, sizeof(*c->items));
		if (!c->items) {
			fail(L, (struct toml_pos){0, 0}, "out of memory");
			config_free(c);
			return NULL;
		}
	}
	for (size_t i = 0; i < n; i++) {
		assertion_defaults(&c->items[i]);
		c->n = i + 1; /* so config_free releases a half-built entry */
		if (parse_assertion(L, toml_array_at(arr, i), &c->items[i], c->items, i) != 0) {
			config_free(c);
			return NULL;
		}
	}
	if (!any_enabled(c)) {
		fail(L, (struct toml_pos){0, 0}, "no enabled assertions: a gate that checks nothing cannot pass");
		config_free(c);
		return NULL;
	}
	return c;
}

static struct config *finish(struct loader *L, struct toml_value *root, const struct toml_error *terr,
			     const char *path, bool from_file)
{
	struct config *c = NULL;
	if (!root) {
		if (L->err && L->errlen)
			toml_error_format(terr, L->err, L->errlen);
	} else {
		c = build(L, root, path, from_file);
		toml_free(root);
	}
	if (!c)
		one_line(L->err);
	return c;
}

struct config *config_load(const char *path, char *err, size_t errlen)
{
	struct loader L = {.file = path ? path : "<config>", .err = err, .errlen = errlen};
	if (err && errlen)
		err[0] = '\0';
	if (!path) {
		fail(&L, (struct toml_pos){0, 0}, "no configuration file given");
		return NULL;
	}
	struct toml_error terr;
	struct toml_value *root = toml_parse_file(path, &terr);
	return finish(&L, root, &terr, path, true);
}

struct config *config_load_buffer(const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	if (!name)
		name = "<input>";
	struct loader L = {.file = name, .err = err, .errlen = errlen};
	if (err && errlen)
		err[0] = '\0';
	struct toml_error terr;
	struct toml_value *root = toml_parse(text ? text : "", text ? len : 0, name, &terr);
	return finish(&L, root, &terr, name, false);
}

void config_free(struct config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		assertion_free(&c->items[i]);
	free(c->items);
	free(c->path);
	free(c->dir);
	free(c);
}
