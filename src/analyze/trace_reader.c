/* trace_reader.c — JSON traces back into events (see src/analyze/trace_reader.h).
 *
 * Streaming detection: the file starts with a line beginning with '{',
 * and within the first HEADER_MAX_LINES lines (HEADER_MAX_BYTES bytes) one
 * ends with `"syscalls":[`; that header plus "]}" must parse as JSON.
 * Then every line up to one starting with ']' must be exactly one JSON
 * object, followed by ',' except for the last. If the very first record
 * line does not parse (a document that only looks like the compact
 * layout), the reader starts over with a full parse; nothing has been fed
 * to the sinks at that point. */
#include "trace_reader.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_flags.h"
#include "source.h"
#include "syscall_table.h"
#include "trace_fastline_int.h"

#define HEADER_MAX_LINES 64
#define HEADER_MAX_BYTES (16u * 1024u * 1024u)
#define NAME_CACHE_SLOTS 256
#define MAX_ERRNO 4095
#define MAX_SIGNAL 64

struct name_slot {
	char *name;
	long nr;
};

struct reader {
	const char *path;
	struct sink *const *sinks;
	int nsinks;
	struct trace_summary *sum;
	char *err;
	size_t errlen;
	uint64_t synth_ts;
	struct source_loc src;
	char unknown_name[32];
	char ret_text[160];
	struct name_slot cache[NAME_CACHE_SLOTS];
};

/* ------------------------------------------------------------------ */
/* Messages                                                            */

static void set_err(struct reader *r, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(struct reader *r, unsigned long line, const char *fmt, ...)
{
	if (!r->err || r->errlen == 0)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(r->err, r->errlen, "%s:%lu: %s", r->path, line, msg);
	else
		snprintf(r->err, r->errlen, "%s: %s", r->path, msg);
}

/* A value from the file, made safe to print in a message: at most 40
 * bytes, anything but printable ASCII shown as '?'. */
struct shown {
	char s[44];
};

static struct shown show(const char *v)
{
	struct shown out;
	size_t i = 0;
	for (; v && v[i] && i < 40; i++) {
		unsigned char c = (unsigned char)v[i];
		out.s[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (v && v[i]) {
		memcpy(out.s + i, "...", 3);
		i += 3;
	}
	out.s[i] = '\0';
	return out;
}

static const char *type_name(const cJSON *it)
{
	if (cJSON_IsString(it))
		return "a string";
	if (cJSON_IsNumber(it))
		return "a number";
	if (cJSON_IsBool(it))
		return "a boolean";
	if (cJSON_IsNull(it))
		return "null";
	if (cJSON_IsArray(it))
		return "an array";
	if (cJSON_IsObject(it))
		return "an object";
	return "invalid";
}

/* ------------------------------------------------------------------ */
/* Typed field access. Each returns 0 when the key is absent (or null,
 * where allowed: *present tells), 1 when read, -1 with msg on a wrong
 * type. */

static const cJSON *field(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	return it;
}

static int want_int(const cJSON *obj, const char *key, double lo, double hi, double *out, char *msg,
		    size_t msglen)
{
	const cJSON *it = field(obj, key);
	if (!it || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsNumber(it)) {
		snprintf(msg, msglen, "\"%s\" must be an integer, not %s", key, type_name(it));
		return -1;
	}
	double v = it->valuedouble;
	if (!isfinite(v) || floor(v) != v) {
		snprintf(msg, msglen, "\"%s\" must be an integer", key);
		return -1;
	}
	if (v < lo || v > hi) {
		snprintf(msg, msglen, "\"%s\" is out of range", key);
		return -1;
	}
	*out = v;
	return 1;
}

/* 2^63 and 2^64 as doubles (exact). */
#define D2_63 9223372036854775808.0
#define D2_64 18446744073709551616.0

static int want_u64(const cJSON *obj, const char *key, uint64_t *out, char *msg, size_t msglen)
{
	double v;
	int rc = want_int(obj, key, 0, D2_64, &v, msg, msglen);
	if (rc == 1)
		*out = v >= D2_64 ? UINT64_MAX : (uint64_t)v;
	return rc;
}

static int want_long(const cJSON *obj, const char *key, long *out, char *msg, size_t msglen)
{
	double v;
	int rc = want_int(obj, key, -D2_63, D2_63, &v, msg, msglen);
	if (rc == 1)
		*out = v >= D2_63 ? LONG_MAX : (long)v;
	return rc;
}

static int want_i32(const cJSON *obj, const char *key, int *out, char *msg, size_t msglen)
{
	double v;
	int rc = want_int(obj, key, (double)INT_MIN, (double)INT_MAX, &v, msg, msglen);
	if (rc == 1)
		*out = (int)v;
	return rc;
}

static int want_str(const cJSON *obj, const char *key, const char **out, char *msg, size_t msglen)
{
	const cJSON *it = field(obj, key);
	if (!it || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsString(it) || !it->valuestring) {
		snprintf(msg, msglen, "\"%s\" must be a string, not %s", key, type_name(it));
		return -1;
	}
	*out = it->valuestring;
	return 1;
}

static int want_bool(const cJSON *obj, const char *key, bool *out, char *msg, size_t msglen)
{
	const cJSON *it = field(obj, key);
	if (!it || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsBool(it)) {
		snprintf(msg, msglen, "\"%s\" must be true or false, not %s", key, type_name(it));
		return -1;
	}
	*out = cJSON_IsTrue(it);
	return 1;
}

/* "0x1f", "31", "-1" (two's complement) -> value. */
static bool parse_num_text(const char *s, uint64_t *out)
{
	if (!s || !*s)
		return false;
	const char *p = s;
	bool neg = false;
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(p, &end, 0);
	if (errno || *end)
		return false;
	*out = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	return true;
}

/* A 64-bit value written as a hex string (or, leniently, a number). */
static int want_addr(const cJSON *it, const char *key, uint64_t *out, char *msg, size_t msglen)
{
	if (cJSON_IsString(it)) {
		if (!parse_num_text(it->valuestring, out)) {
			snprintf(msg, msglen, "\"%s\" is not a number: \"%s\"", key, show(it->valuestring).s);
			return -1;
		}
		return 1;
	}
	if (cJSON_IsNumber(it)) {
		double v = it->valuedouble;
		if (!isfinite(v) || floor(v) != v || v < -D2_63 || v >= D2_64) {
			snprintf(msg, msglen, "\"%s\" is out of range", key);
			return -1;
		}
		*out = v < 0 ? (uint64_t)(int64_t)v : (uint64_t)v;
		return 1;
	}
	snprintf(msg, msglen, "\"%s\" must be a hex string, not %s", key, type_name(it));
	return -1;
}

/* ------------------------------------------------------------------ */
/* Name lookups                                                        */

static unsigned name_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static long nr_of_name(struct reader *r, const char *name)
{
	unsigned slot = name_hash(name) % NAME_CACHE_SLOTS;
	struct name_slot *c = &r->cache[slot];
	if (c->name && !strcmp(c->name, name))
		return c->nr;
	long nr = syscall_by_name(name);
	if (nr < 0 && !strncmp(name, "syscall_0x", 10)) {
		uint64_t v;
		if (parse_num_text(name + 8, &v) && v <= (uint64_t)LONG_MAX)
			nr = (long)v;
	}
	char *copy = strdup(name);
	if (copy) { /* a cache miss without memory just costs a lookup */
		free(c->name);
		c->name = copy;
		c->nr = nr;
	}
	return nr;
}

static int errno_of_name(const char *name)
{
	if (name[0] == 'E' && name[1] >= '0' && name[1] <= '9') {
		char *end;
		long v = strtol(name + 1, &end, 10);
		if (!*end && v > 0 && v <= MAX_ERRNO)
			return (int)v;
	}
	for (int e = 1; e <= MAX_ERRNO; e++) {
		const char *n = errno_name(e);
		if (n && !strcmp(n, name))
			return e;
		if (e > 600) /* names end well below; keep the scan short */
			break;
	}
	return 0;
}

static int signal_of_name(const char *name)
{
	for (int s = 1; s <= MAX_SIGNAL; s++) {
		const char *n = signal_name(s);
		if (n && !strcmp(n, name))
			return s;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* One syscall record -> event                                         */

/* The "rle" member of a --compress=rle record (src/output/rle.h): fills the
 * event's rle_ fields. Called once ev->ts_ns (when has_ts) and
 * ev->duration_ns are read. Returns 0 when absent, 1 when read, -1 with
 * msg when invalid. */
static int read_rle(const cJSON *o, struct event *ev, bool has_ts, char *msg, size_t msglen)
{
	const cJSON *rle = field(o, "rle");
	if (!rle || cJSON_IsNull(rle))
		return 0;
	if (!cJSON_IsObject(rle)) {
		snprintf(msg, msglen, "\"rle\" must be an object, not %s", type_name(rle));
		return -1;
	}
	static const char *const keys[] = { "count", "first_ts_ns", "last_ts_ns", "duration_ns_total",
					     "duration_ns_min", "duration_ns_max" };
	uint64_t v[6];
	char sub[200];
	for (int i = 0; i < 6; i++) {
		int rc = want_u64(rle, keys[i], &v[i], sub, sizeof(sub));
		if (rc == 0)
			snprintf(sub, sizeof(sub), "\"%s\" is missing", keys[i]);
		if (rc != 1) {
			snprintf(msg, msglen, "\"rle\": %s", sub);
			return -1;
		}
	}
	uint64_t last_dur = v[5];
	int lrc = want_u64(rle, "duration_ns_last", &last_dur, sub, sizeof(sub));
	if (lrc < 0) {
		snprintf(msg, msglen, "\"rle\": %s", sub);
		return -1;
	}
	const char *bad = NULL;
	if (v[0] < 1)
		bad = "\"count\" must be at least 1";
	else if (v[2] < v[1])
		bad = "\"last_ts_ns\" is before \"first_ts_ns\"";
	else if (v[4] > v[5])
		bad = "\"duration_ns_min\" is greater than \"duration_ns_max\"";
	else if (v[3] < v[5])
		bad = "\"duration_ns_total\" is less than \"duration_ns_max\"";
	else if (lrc == 1 && (last_dur < v[4] || last_dur > v[5]))
		bad = "\"duration_ns_last\" is outside [\"duration_ns_min\", \"duration_ns_max\"]";
	else if (has_ts && ev->ts_ns != v[1])
		bad = "\"first_ts_ns\" differs from the record's \"ts_ns\"";
	else if (field(o, "duration_ns") && (ev->duration_ns < v[4] || ev->duration_ns > v[5]))
		bad = "the record's \"duration_ns\" is outside [\"duration_ns_min\", \"duration_ns_max\"]";
	else if (!ev->finished)
		bad = "an unfinished call cannot be a run";
	else if (v[0] == 1 && (v[1] != v[2] || v[3] != v[5] || v[4] != v[5]))
		bad = "a run of one call must have equal first/last times and durations";
	if (bad) {
		snprintf(msg, msglen, "\"rle\": %s", bad);
		return -1;
	}
	ev->ts_ns = v[1];
	if (v[0] == 1)
		return 1; /* a single call, as if "rle" were absent */
	ev->rle_count = v[0];
	ev->rle_last_ts_ns = v[2];
	ev->rle_duration_total_ns = v[3];
	ev->rle_duration_min_ns = v[4];
	ev->rle_duration_max_ns = v[5];
	ev->rle_last_duration_ns = last_dur;
	return 1;
}

static int to_event(struct reader *r, const cJSON *o, struct event *ev, char *msg, size_t msglen)
{
	memset(ev, 0, sizeof(*ev));
	if (!cJSON_IsObject(o)) {
		snprintf(msg, msglen, "a syscall record must be an object, not %s", type_name(o));
		return -1;
	}
	const char *name = NULL;
	long nr = 0;
	int has_name = want_str(o, "name", &name, msg, msglen);
	int has_nr = want_long(o, "nr", &nr, msg, msglen);
	if (has_name < 0 || has_nr < 0)
		return -1;
	if (!has_name && !has_nr) {
		snprintf(msg, msglen, "record has no \"name\"");
		return -1;
	}
	if (!has_nr)
		nr = nr_of_name(r, name);
	if (!has_name) {
		const struct syscall_info *si = syscall_lookup(nr);
		if (si && si->name) {
			name = si->name;
		} else {
			snprintf(r->unknown_name, sizeof(r->unknown_name), "syscall_0x%lx", (unsigned long)nr);
			name = r->unknown_name;
		}
	}
	ev->name = name;
	ev->nr = nr;

	/* args */
	const cJSON *args = field(o, "args");
	int nshown = 0;
	if (args && !cJSON_IsNull(args)) {
		if (!cJSON_IsArray(args)) {
			snprintf(msg, msglen, "\"args\" must be an array, not %s", type_name(args));
			return -1;
		}
		const cJSON *a;
		cJSON_ArrayForEach(a, args)
		{
			if (nshown >= EVENT_MAX_ARGS) {
				snprintf(msg, msglen, "\"args\" has more than %d entries", EVENT_MAX_ARGS);
				return -1;
			}
			if (!cJSON_IsString(a) || !a->valuestring) {
				snprintf(msg, msglen, "\"args\"[%d] must be a string, not %s", nshown, type_name(a));
				return -1;
			}
			ev->arg_text[nshown++] = a->valuestring;
		}
	}
	ev->nshown = nshown;

	const cJSON *raw = field(o, "raw_args");
	int nraw = 0;
	if (raw && !cJSON_IsNull(raw)) {
		if (!cJSON_IsArray(raw)) {
			snprintf(msg, msglen, "\"raw_args\" must be an array, not %s", type_name(raw));
			return -1;
		}
		const cJSON *a;
		cJSON_ArrayForEach(a, raw)
		{
			if (nraw >= EVENT_MAX_ARGS) {
				snprintf(msg, msglen, "\"raw_args\" has more than %d entries", EVENT_MAX_ARGS);
				return -1;
			}
			if (want_addr(a, "raw_args", &ev->raw_args[nraw], msg, msglen) < 0)
				return -1;
			nraw++;
		}
	} else {
		/* renacer v1: args are hex strings; keep the ones that are numbers. */
		for (int i = 0; i < nshown; i++) {
			uint64_t v;
			if (parse_num_text(ev->arg_text[i], &v))
				ev->raw_args[i] = v;
		}
	}
	const struct syscall_info *si = syscall_lookup(nr);
	if (si && si->name)
		ev->nargs = si->nargs;
	else
		ev->nargs = nshown > nraw ? nshown : nraw;

	/* result, unfinished, errno */
	ev->finished = true;
	const cJSON *res = field(o, "result");
	if (res && cJSON_IsNull(res))
		ev->finished = false;
	else if (want_long(o, "result", &ev->result, msg, msglen) < 0)
		return -1;
	bool unfinished = false;
	if (want_bool(o, "unfinished", &unfinished, msg, msglen) < 0)
		return -1;
	if (unfinished)
		ev->finished = false;

	const cJSON *en = field(o, "errno");
	if (en && !cJSON_IsNull(en)) {
		if (cJSON_IsString(en) && en->valuestring) {
			ev->err = errno_of_name(en->valuestring);
			if (!ev->err) {
				if (ev->result < 0 && ev->result >= -MAX_ERRNO) {
					ev->err = (int)-ev->result;
				} else {
					snprintf(msg, msglen, "unknown \"errno\" \"%s\"", show(en->valuestring).s);
					return -1;
				}
			}
		} else if (cJSON_IsNumber(en)) {
			int e = 0;
			if (want_i32(o, "errno", &e, msg, msglen) < 0)
				return -1;
			if (e < 0 || e > MAX_ERRNO) {
				snprintf(msg, msglen, "\"errno\" is out of range");
				return -1;
			}
			ev->err = e;
		} else {
			snprintf(msg, msglen, "\"errno\" must be a string, not %s", type_name(en));
			return -1;
		}
	} else if (!en && ev->result < 0 && ev->result >= -MAX_ERRNO) {
		ev->err = (int)-ev->result;
	}
	if (!ev->finished) {
		ev->err = 0;
		ev->result = 0;
	}

	/* pid, tid */
	int pid = 0, tid = 0;
	if (want_i32(o, "pid", &pid, msg, msglen) < 0 || want_i32(o, "tid", &tid, msg, msglen) < 0)
		return -1;
	if (pid < 0 || tid < 0) {
		snprintf(msg, msglen, "\"%s\" must not be negative", pid < 0 ? "pid" : "tid");
		return -1;
	}
	ev->pid = pid ? pid : 1;
	ev->tid = tid ? tid : ev->pid;

	/* times */
	uint64_t us = 0;
	int rc = want_u64(o, "duration_ns", &ev->duration_ns, msg, msglen);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		int urc = want_u64(o, "duration_us", &us, msg, msglen);
		if (urc < 0)
			return -1;
		if (urc == 1)
			ev->duration_ns = us > UINT64_MAX / 1000 ? UINT64_MAX : us * 1000;
	}
	rc = want_u64(o, "ts_ns", &ev->ts_ns, msg, msglen);
	if (rc < 0)
		return -1;
	int rrc = read_rle(o, ev, rc == 1, msg, msglen);
	if (rrc < 0)
		return -1;
	if (rc == 0 && rrc == 0)
		ev->ts_ns = r->synth_ts;
	r->synth_ts = event_end_ns(ev);

	/* ip, module, source */
	const cJSON *ip = field(o, "ip");
	if (ip && !cJSON_IsNull(ip) && want_addr(ip, "ip", &ev->ip, msg, msglen) < 0)
		return -1;
	if (want_str(o, "module", &ev->module, msg, msglen) < 0)
		return -1;
	const cJSON *src = field(o, "source");
	if (src && !cJSON_IsNull(src)) {
		if (!cJSON_IsObject(src)) {
			snprintf(msg, msglen, "\"source\" must be an object, not %s", type_name(src));
			return -1;
		}
		const char *file = NULL, *fn = NULL;
		double line = 0;
		int frc = want_str(src, "file", &file, msg, msglen);
		if (frc < 0 || want_int(src, "line", 0, (double)UINT_MAX, &line, msg, msglen) < 0 ||
		    want_str(src, "function", &fn, msg, msglen) < 0)
			return -1;
		if (frc == 1) {
			r->src.file = file;
			r->src.line = (unsigned)line;
			r->src.function = fn;
			ev->source = &r->src;
		}
	}

	/* ret_text, strace spelling */
	if (!ev->finished) {
		snprintf(r->ret_text, sizeof(r->ret_text), "?");
	} else if (ev->err) {
		const char *n = errno_name(ev->err);
		const char *t = errno_text(ev->err);
		if (n)
			snprintf(r->ret_text, sizeof(r->ret_text), "-1 %s (%s)", n, t ? t : "");
		else
			snprintf(r->ret_text, sizeof(r->ret_text), "-1 E%d", ev->err);
	} else {
		snprintf(r->ret_text, sizeof(r->ret_text), "%ld", ev->result);
	}
	ev->ret_text = r->ret_text;
	return 0;
}

static void feed_event(struct reader *r, const struct event *ev)
{
	for (int i = 0; i < r->nsinks; i++)
		if (r->sinks[i] && r->sinks[i]->syscall)
			r->sinks[i]->syscall(r->sinks[i]->self, ev);
	struct trace_summary *s = r->sum;
	uint64_t n = event_calls(ev);
	s->nrecords++;
	s->ncalls += n;
	if (ev->finished) {
		s->total_ns += event_total_ns(ev);
		if (ev->err)
			s->nerrors += n;
	}
	uint64_t end = event_end_ns(ev);
	if (end > s->end_ns)
		s->end_ns = end;
}

/* ------------------------------------------------------------------ */
/* Top-level pieces: version/format/schema/meta, processes, summary, gpu */

static int read_process(const cJSON *o, struct process_info *p, char *msg, size_t msglen)
{
	memset(p, 0, sizeof(*p));
	if (!cJSON_IsObject(o)) {
		snprintf(msg, msglen, "a process record must be an object, not %s", type_name(o));
		return -1;
	}
	int pid = 0, ppid = 0, code = 0;
	int has_code;
	if (want_i32(o, "pid", &pid, msg, msglen) < 0 || want_i32(o, "ppid", &ppid, msg, msglen) < 0 ||
	    want_str(o, "exe", &p->exe, msg, msglen) < 0 || want_u64(o, "start_ns", &p->start_ns, msg, msglen) < 0 ||
	    want_u64(o, "end_ns", &p->end_ns, msg, msglen) < 0 ||
	    (has_code = want_i32(o, "exit_code", &code, msg, msglen)) < 0 ||
	    want_u64(o, "utime_us", &p->utime_us, msg, msglen) < 0 ||
	    want_u64(o, "stime_us", &p->stime_us, msg, msglen) < 0 ||
	    want_u64(o, "maxrss_kb", &p->maxrss_kb, msg, msglen) < 0 ||
	    want_bool(o, "core_dumped", &p->core_dumped, msg, msglen) < 0)
		return -1;
	p->pid = pid;
	p->ppid = ppid;
	const cJSON *sig = field(o, "signal");
	if (sig && !cJSON_IsNull(sig)) {
		if (cJSON_IsString(sig) && sig->valuestring) {
			p->signal = signal_of_name(sig->valuestring);
			if (!p->signal) {
				snprintf(msg, msglen, "unknown \"signal\" \"%s\"", show(sig->valuestring).s);
				return -1;
			}
		} else if (cJSON_IsNumber(sig)) {
			if (want_i32(o, "signal", &p->signal, msg, msglen) < 0)
				return -1;
			if (p->signal <= 0 || p->signal > MAX_SIGNAL) {
				snprintf(msg, msglen, "\"signal\" is out of range");
				return -1;
			}
		} else {
			snprintf(msg, msglen, "\"signal\" must be a string or number, not %s", type_name(sig));
			return -1;
		}
	}
	p->exited = p->signal == 0;
	p->exit_code = p->exited && has_code == 1 ? code : 0;
	return 0;
}

static int read_head(struct reader *r, const cJSON *root, unsigned long line)
{
	struct trace_summary *s = r->sum;
	char msg[256];
	const char *str = NULL;
	int rc = want_str(root, "version", &str, msg, sizeof(msg));
	if (rc < 0)
		goto bad;
	if (rc == 1)
		snprintf(s->version, sizeof(s->version), "%s", str);
	rc = want_str(root, "format", &str, msg, sizeof(msg));
	if (rc < 0)
		goto bad;
	if (rc == 1) {
		snprintf(s->format, sizeof(s->format), "%s", str);
		if (strcmp(str, "renacer-json-v1") != 0) {
			set_err(r, line, "not a renacer-json-v1 trace (format \"%s\")", show(str).s);
			return TRACE_ERR_FORMAT;
		}
	}
	if (want_i32(root, "schema", &s->schema, msg, sizeof(msg)) < 0)
		goto bad;
	const cJSON *meta = field(root, "meta");
	if (meta && !cJSON_IsNull(meta)) {
		if (!cJSON_IsObject(meta)) {
			snprintf(msg, sizeof(msg), "\"meta\" must be an object, not %s", type_name(meta));
			goto bad;
		}
		const cJSON *cmd = field(meta, "command");
		if (cmd && !cJSON_IsNull(cmd)) {
			if (!cJSON_IsArray(cmd)) {
				snprintf(msg, sizeof(msg), "\"command\" must be an array, not %s", type_name(cmd));
				goto bad;
			}
			int n = cJSON_GetArraySize(cmd);
			const cJSON *a;
			cJSON_ArrayForEach(a, cmd)
			{
				if (!cJSON_IsString(a) || !a->valuestring) {
					snprintf(msg, sizeof(msg), "\"command\" entries must be strings, not %s",
						 type_name(a));
					goto bad;
				}
			}
			if (!s->command && n >= 0) {
				s->command = calloc((size_t)n + 1, sizeof(char *));
				if (!s->command)
					goto oom;
				int i = 0;
				cJSON_ArrayForEach(a, cmd)
				{
					s->command[i] = strdup(a->valuestring);
					if (!s->command[i])
						goto oom;
					s->ncommand = ++i;
				}
			}
		}
	}
	return TRACE_OK;
bad:
	set_err(r, line, "%s", msg);
	return TRACE_ERR_FORMAT;
oom:
	set_err(r, 0, "out of memory");
	return TRACE_ERR_NOMEM;
}

static int read_tail(struct reader *r, const cJSON *root, unsigned long line)
{
	struct trace_summary *s = r->sum;
	char msg[256];
	const cJSON *procs = field(root, "processes");
	if (procs && !cJSON_IsNull(procs)) {
		if (!cJSON_IsArray(procs)) {
			set_err(r, line, "\"processes\" must be an array, not %s", type_name(procs));
			return TRACE_ERR_FORMAT;
		}
		const cJSON *p;
		int i = 0;
		cJSON_ArrayForEach(p, procs)
		{
			struct process_info pi;
			if (read_process(p, &pi, msg, sizeof(msg)) < 0) {
				set_err(r, line, "processes[%d]: %s", i, msg);
				return TRACE_ERR_FORMAT;
			}
			for (int k = 0; k < r->nsinks; k++)
				if (r->sinks[k] && r->sinks[k]->process_end)
					r->sinks[k]->process_end(r->sinks[k]->self, &pi);
			s->nprocesses++;
			i++;
		}
	}
	const cJSON *sum = field(root, "summary");
	if (sum && !cJSON_IsNull(sum)) {
		if (!cJSON_IsObject(sum)) {
			set_err(r, line, "\"summary\" must be an object, not %s", type_name(sum));
			return TRACE_ERR_FORMAT;
		}
		int rc[5];
		rc[0] = want_u64(sum, "total_syscalls", &s->total_syscalls, msg, sizeof(msg));
		rc[1] = rc[0] < 0 ? -1 : want_u64(sum, "total_time_us", &s->total_time_us, msg, sizeof(msg));
		rc[2] = rc[1] < 0 ? -1 : want_u64(sum, "errors", &s->errors, msg, sizeof(msg));
		rc[3] = rc[2] < 0 ? -1 : want_u64(sum, "wall_time_us", &s->wall_time_us, msg, sizeof(msg));
		rc[4] = rc[3] < 0 ? -1 : want_i32(sum, "exit_code", &s->exit_code, msg, sizeof(msg));
		if (rc[4] < 0) {
			set_err(r, line, "summary: %s", msg);
			return TRACE_ERR_FORMAT;
		}
		s->has_summary = true;
		s->has_total_syscalls = rc[0] == 1;
		s->has_total_time_us = rc[1] == 1;
		s->has_errors = rc[2] == 1;
		s->has_wall_time_us = rc[3] == 1;
		s->has_exit_code = rc[4] == 1;
	}
	const cJSON *gpu = field(root, "gpu");
	if (gpu && !cJSON_IsNull(gpu)) {
		if (!cJSON_IsArray(gpu)) {
			set_err(r, line, "\"gpu\" must be an array, not %s", type_name(gpu));
			return TRACE_ERR_FORMAT;
		}
		int n = cJSON_GetArraySize(gpu);
		if (n > 0) {
			struct trace_gpu_span *g = calloc((size_t)n, sizeof(*g));
			if (!g) {
				set_err(r, 0, "out of memory");
				return TRACE_ERR_NOMEM;
			}
			free(s->gpu);
			s->gpu = g;
			s->ngpu = 0;
			const cJSON *o;
			cJSON_ArrayForEach(o, gpu)
			{
				struct trace_gpu_span *sp = &g[s->ngpu];
				const char *kind = NULL;
				if (!cJSON_IsObject(o)) {
					set_err(r, line, "gpu[%zu] must be an object, not %s", s->ngpu, type_name(o));
					return TRACE_ERR_FORMAT;
				}
				int krc = want_str(o, "kind", &kind, msg, sizeof(msg));
				if (krc == 0)
					snprintf(msg, sizeof(msg), "\"kind\" is missing");
				bool kind_ok = false;
				if (krc == 1) {
					kind_ok = true;
					if (!strcmp(kind, "transfer"))
						sp->kind = TRACE_GPU_TRANSFER;
					else if (!strcmp(kind, "kernel"))
						sp->kind = TRACE_GPU_KERNEL;
					else
						kind_ok = false;
					if (!kind_ok)
						snprintf(msg, sizeof(msg), "\"kind\" must be \"transfer\" or \"kernel\"");
				}
				if (!kind_ok || want_u64(o, "ts_ns", &sp->ts_ns, msg, sizeof(msg)) < 0 ||
				    want_u64(o, "duration_ns", &sp->duration_ns, msg, sizeof(msg)) < 0 ||
				    want_u64(o, "bytes", &sp->bytes, msg, sizeof(msg)) < 0) {
					set_err(r, line, "gpu[%zu]: %s", s->ngpu, msg);
					return TRACE_ERR_FORMAT;
				}
				s->ngpu++;
			}
		}
	}
	return TRACE_OK;
}

/* ------------------------------------------------------------------ */
/* Full parse                                                          */

static unsigned long line_at(const char *text, size_t len, const char *pos, unsigned long first)
{
	unsigned long line = first;
	if (!pos || pos < text)
		return line;
	size_t off = (size_t)(pos - text);
	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

static int read_all(FILE *f, char **out, size_t *outlen)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		return TRACE_ERR_NOMEM;
	for (;;) {
		if (cap - len < 4096) {
			if (cap > SIZE_MAX / 2) {
				free(buf);
				return TRACE_ERR_NOMEM;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return TRACE_ERR_NOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0) {
			if (ferror(f)) {
				free(buf);
				return TRACE_ERR_IO;
			}
			break;
		}
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return TRACE_OK;
}

static int full_parse(struct reader *r, FILE *f)
{
	char *text = NULL;
	size_t len = 0;
	int rc = read_all(f, &text, &len);
	if (rc == TRACE_ERR_IO) {
		set_err(r, 0, "read error: %s", strerror(errno));
		return rc;
	}
	if (rc != TRACE_OK) {
		set_err(r, 0, "out of memory");
		return rc;
	}
	if (memchr(text, '\0', len)) {
		set_err(r, line_at(text, len, memchr(text, '\0', len), 1), "NUL byte in the file");
		free(text);
		return TRACE_ERR_FORMAT;
	}
	const char *end = NULL;
	/* cJSON counts the terminating NUL in the length it checks. */
	cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, true);
	if (!root) {
		const char *ep = end ? end : cJSON_GetErrorPtr();
		bool at_end = !ep || ep >= text + len;
		size_t i = len;
		while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '\t' ||
				 text[i - 1] == '\r'))
			i--;
		if (i == 0)
			set_err(r, 0, "empty file, not a JSON trace");
		else if (at_end)
			set_err(r, line_at(text, len, text + i, 1), "truncated JSON (the document is not closed)");
		else
			set_err(r, line_at(text, len, ep, 1), "invalid JSON");
		free(text);
		return TRACE_ERR_FORMAT;
	}
	free(text);
	rc = TRACE_OK;
	if (!cJSON_IsObject(root)) {
		set_err(r, 0, "a trace must be a JSON object, not %s", type_name(root));
		rc = TRACE_ERR_FORMAT;
		goto out;
	}
	rc = read_head(r, root, 0);
	if (rc != TRACE_OK)
		goto out;
	const cJSON *calls = field(root, "syscalls");
	if (!calls || !cJSON_IsArray(calls)) {
		set_err(r, 0, calls ? "\"syscalls\" must be an array, not %s" : "no \"syscalls\" array%s",
			calls ? type_name(calls) : "");
		rc = TRACE_ERR_FORMAT;
		goto out;
	}
	const cJSON *o;
	unsigned long idx = 0;
	cJSON_ArrayForEach(o, calls)
	{
		struct event ev;
		char msg[256];
		if (to_event(r, o, &ev, msg, sizeof(msg)) < 0) {
			set_err(r, 0, "syscalls[%lu]: %s", idx, msg);
			rc = TRACE_ERR_FORMAT;
			goto out;
		}
		feed_event(r, &ev);
		idx++;
	}
	rc = read_tail(r, root, 0);
out:
	cJSON_Delete(root);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Streaming                                                           */

struct linebuf {
	char *buf;
	size_t cap;
	ssize_t len;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trim in place; returns the start, sets *n. */
static char *trim(char *s, size_t len, size_t *n)
{
	while (len && is_ws(s[len - 1]))
		len--;
	while (len && is_ws(*s)) {
		s++;
		len--;
	}
	*n = len;
	return s;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && !memcmp(s + n - k, suffix, k);
}

/* Append to a growable buffer; false without memory or past max. */
static bool buf_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n, size_t max)
{
	if (*len + n + 1 > max)
		return false;
	if (*len + n + 1 > *cap) {
		size_t ncap = *cap ? *cap : 4096;
		while (ncap < *len + n + 1)
			ncap *= 2;
		char *nb = realloc(*buf, ncap);
		if (!nb)
			return false;
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return true;
}

enum stream_rc { STREAM_DONE, STREAM_NOT_STREAMED, STREAM_FAILED };

/* Header: returns true (and the header text) when the layout matches. */
static bool read_header(FILE *f, struct linebuf *lb, char **hdr, size_t *hlen, unsigned long *lineno)
{
	size_t hcap = 0;
	*hdr = NULL;
	*hlen = 0;
	for (int i = 0; i < HEADER_MAX_LINES; i++) {
		lb->len = getline(&lb->buf, &lb->cap, f);
		if (lb->len < 0)
			return false;
		(*lineno)++;
		size_t n;
		char *t = trim(lb->buf, (size_t)lb->len, &n);
		if (i == 0 && (n == 0 || t[0] != '{'))
			return false;
		if (!buf_append(hdr, hlen, &hcap, lb->buf, (size_t)lb->len, HEADER_MAX_BYTES))
			return false;
		if (ends_with(t, n, "\"syscalls\":["))
			return true;
	}
	return false;
}

static int stream(struct reader *r, FILE *f, enum stream_rc *how)
{
	struct linebuf lb = { 0 };
	char *hdr = NULL, *tail = NULL;
	size_t hlen = 0, tlen = 0, tcap = 0;
	unsigned long lineno = 0;
	int rc = TRACE_OK;
	cJSON *root = NULL;
	struct trace_fastline fast = { 0 }; /* json_sink's exact layout, without cJSON */
	*how = STREAM_NOT_STREAMED;

	if (!read_header(f, &lb, &hdr, &hlen, &lineno))
		goto out;
	size_t hcap = hlen + 1;
	if (!buf_append(&hdr, &hlen, &hcap, "]}", 2, SIZE_MAX)) {
		rc = TRACE_ERR_NOMEM;
		set_err(r, 0, "out of memory");
		*how = STREAM_FAILED;
		goto out;
	}
	if (memchr(hdr, '\0', hlen))
		goto out;
	root = cJSON_ParseWithLengthOpts(hdr, hlen + 1, NULL, true);
	if (!root || !cJSON_IsObject(root))
		goto out; /* not our layout after all: full parse */
	*how = STREAM_FAILED;
	r->sum->streamed = true;
	rc = read_head(r, root, 1);
	cJSON_Delete(root);
	root = NULL;
	if (rc != TRACE_OK)
		goto out;

	bool need_comma = false, had_comma = false, closed = false;
	unsigned long first_record_line = lineno + 1;
	unsigned long close_line = 0;
	while ((lb.len = getline(&lb.buf, &lb.cap, f)) >= 0) {
		lineno++;
		size_t n;
		char *t = trim(lb.buf, (size_t)lb.len, &n);
		if (n == 0)
			continue;
		if (t[0] == ']') {
			if (had_comma) {
				set_err(r, lineno, "',' after the last record");
				rc = TRACE_ERR_FORMAT;
				goto out;
			}
			closed = true;
			close_line = lineno;
			/* What follows ']' continues the top-level object. */
			if (!buf_append(&tail, &tlen, &tcap, "{\"syscalls\":[", 13, SIZE_MAX) ||
			    !buf_append(&tail, &tlen, &tcap, t, (size_t)(lb.buf + lb.len - t), SIZE_MAX)) {
				rc = TRACE_ERR_NOMEM;
				set_err(r, 0, "out of memory");
				goto out;
			}
			break;
		}
		if (need_comma) {
			set_err(r, lineno, "missing ',' between records");
			rc = TRACE_ERR_FORMAT;
			goto out;
		}
		struct event fev;
		bool fcomma;
		if (trace_fastline_parse(&fast, t, n, &fev, &fcomma) == TRACE_FASTLINE_OK) {
			had_comma = fcomma;
			need_comma = !fcomma;
			r->synth_ts = event_end_ns(&fev);
			feed_event(r, &fev);
			continue;
		}
		/* Any other layout, or an error: cJSON and to_event. */
		const char *end = NULL;
		cJSON *rec = cJSON_ParseWithLengthOpts(t, n, &end, false);
		if (!rec) {
			if (r->sum->nrecords == 0 && lineno == first_record_line) {
				/* Records span lines: not the compact layout. */
				*how = STREAM_NOT_STREAMED;
				r->sum->streamed = false;
				goto out;
			}
			/* A last line without its newline: the file ends inside it. */
			bool at_end = !end || end >= t + n || lb.buf[lb.len - 1] != '\n';
			set_err(r, lineno, at_end ? "truncated syscall record" : "invalid JSON in syscall record");
			rc = TRACE_ERR_FORMAT;
			goto out;
		}
		const char *p = end;
		while (p < t + n && is_ws(*p))
			p++;
		had_comma = false;
		need_comma = true;
		if (p < t + n && *p == ',') {
			had_comma = true;
			need_comma = false;
			p++;
			while (p < t + n && is_ws(*p))
				p++;
		}
		if (p != t + n) {
			cJSON_Delete(rec);
			set_err(r, lineno, "unexpected text after the syscall record");
			rc = TRACE_ERR_FORMAT;
			goto out;
		}
		struct event ev;
		char msg[256];
		if (to_event(r, rec, &ev, msg, sizeof(msg)) < 0) {
			cJSON_Delete(rec);
			set_err(r, lineno, "%s", msg);
			rc = TRACE_ERR_FORMAT;
			goto out;
		}
		feed_event(r, &ev);
		cJSON_Delete(rec);
	}
	if (ferror(f)) {
		set_err(r, lineno, "read error: %s", strerror(errno));
		rc = TRACE_ERR_IO;
		goto out;
	}
	if (!closed) {
		set_err(r, lineno, "truncated trace: the \"syscalls\" array is not closed");
		rc = TRACE_ERR_FORMAT;
		goto out;
	}
	/* Trailer: the rest of the file (processes, summary, gpu). */
	while ((lb.len = getline(&lb.buf, &lb.cap, f)) >= 0) {
		if (!buf_append(&tail, &tlen, &tcap, lb.buf, (size_t)lb.len, SIZE_MAX)) {
			rc = TRACE_ERR_NOMEM;
			set_err(r, 0, "out of memory");
			goto out;
		}
	}
	if (ferror(f)) {
		set_err(r, 0, "read error: %s", strerror(errno));
		rc = TRACE_ERR_IO;
		goto out;
	}
	const char *end = NULL;
	const char *nul = memchr(tail, '\0', tlen);
	if (nul) {
		set_err(r, close_line + line_at(tail, tlen, nul, 0), "NUL byte in the file");
		rc = TRACE_ERR_FORMAT;
		goto out;
	}
	root = cJSON_ParseWithLengthOpts(tail, tlen + 1, &end, true);
	if (!root) {
		const char *ep = end ? end : cJSON_GetErrorPtr();
		bool at_end = !ep || ep >= tail + tlen;
		unsigned long l = at_end ? close_line + (unsigned long)line_at(tail, tlen, tail + tlen, 0)
					 : close_line + line_at(tail, tlen, ep, 0);
		if (at_end && tlen > 0 && tail[tlen - 1] == '\n' && l > close_line)
			l--;
		set_err(r, l, at_end ? "truncated trace: the document is not closed"
				     : "invalid JSON after the syscalls array");
		rc = TRACE_ERR_FORMAT;
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		set_err(r, close_line, "invalid JSON after the syscalls array");
		rc = TRACE_ERR_FORMAT;
		goto out;
	}
	rc = read_tail(r, root, close_line);
	if (rc == TRACE_OK)
		*how = STREAM_DONE;
out:
	cJSON_Delete(root);
	trace_fastline_free(&fast);
	free(hdr);
	free(tail);
	free(lb.buf);
	return rc;
}

/* ------------------------------------------------------------------ */

void trace_summary_free(struct trace_summary *s)
{
	if (!s)
		return;
	if (s->command) {
		for (int i = 0; i < s->ncommand; i++)
			free(s->command[i]);
		free(s->command);
	}
	free(s->gpu);
	memset(s, 0, sizeof(*s));
}

void trace_summary_run_info(const struct trace_summary *s, struct run_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->exit_code = s->has_exit_code ? s->exit_code : 0;
	if (s->has_wall_time_us)
		ri->wall_ns = s->wall_time_us > UINT64_MAX / 1000 ? UINT64_MAX : s->wall_time_us * 1000;
	else
		ri->wall_ns = s->end_ns;
}

int trace_read_file(const char *path, struct sink *const *sinks, int nsinks, struct trace_summary *out,
		    char *err, size_t errlen)
{
	struct trace_summary local;
	struct reader *r = calloc(1, sizeof(*r));
	if (err && errlen)
		err[0] = '\0';
	if (!r) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", path ? path : "(null)");
		return TRACE_ERR_NOMEM;
	}
	r->path = path ? path : "(null)";
	r->sinks = sinks;
	r->nsinks = sinks ? nsinks : 0;
	r->sum = out ? out : &local;
	memset(r->sum, 0, sizeof(*r->sum));
	r->err = err;
	r->errlen = errlen;

	int rc;
	FILE *f = path ? fopen(path, "r") : NULL;
	if (!f) {
		set_err(r, 0, "cannot open: %s", path ? strerror(errno) : "no path");
		rc = TRACE_ERR_IO;
		goto out;
	}
	enum stream_rc how;
	rc = stream(r, f, &how);
	if (how == STREAM_NOT_STREAMED && rc == TRACE_OK) {
		if (fseek(f, 0, SEEK_SET) != 0) {
			set_err(r, 0, "not in the one-record-per-line layout and cannot be re-read: %s",
				strerror(errno));
			rc = TRACE_ERR_IO;
		} else {
			trace_summary_free(r->sum);
			r->synth_ts = 0;
			rc = full_parse(r, f);
		}
	}
	fclose(f);
out:
	for (int i = 0; i < NAME_CACHE_SLOTS; i++)
		free(r->cache[i].name);
	if (!out)
		trace_summary_free(&local);
	free(r);
	return rc;
}
