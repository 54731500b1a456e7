/* trace_record.c — one syscall record of a JSON trace into an event (the
 * defaults for missing fields are listed in trace_reader.h). */
#include "trace_reader_int.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_flags.h"
#include "syscall_table.h"

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
		if (reader_parse_num(name + 8, &v) && v <= (uint64_t)LONG_MAX)
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

int reader_signal_of_name(const char *name)
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
	const cJSON *rle = reader_field(o, "rle");
	if (!rle || cJSON_IsNull(rle))
		return 0;
	if (!cJSON_IsObject(rle)) {
		snprintf(msg, msglen, "\"rle\" must be an object, not %s", reader_type_name(rle));
		return -1;
	}
	static const char *const keys[] = { "count", "first_ts_ns", "last_ts_ns", "duration_ns_total",
					     "duration_ns_min", "duration_ns_max" };
	uint64_t v[6];
	char sub[200];
	for (int i = 0; i < 6; i++) {
		int rc = reader_want_u64(rle, keys[i], &v[i], sub, sizeof(sub));
		if (rc == 0)
			snprintf(sub, sizeof(sub), "\"%s\" is missing", keys[i]);
		if (rc != 1) {
			snprintf(msg, msglen, "\"rle\": %s", sub);
			return -1;
		}
	}
	uint64_t last_dur = v[5];
	int lrc = reader_want_u64(rle, "duration_ns_last", &last_dur, sub, sizeof(sub));
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
	else if (reader_field(o, "duration_ns") && (ev->duration_ns < v[4] || ev->duration_ns > v[5]))
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

int reader_to_event(struct reader *r, const cJSON *o, struct event *ev, char *msg, size_t msglen)
{
	memset(ev, 0, sizeof(*ev));
	if (!cJSON_IsObject(o)) {
		snprintf(msg, msglen, "a syscall record must be an object, not %s", reader_type_name(o));
		return -1;
	}
	const char *name = NULL;
	long nr = 0;
	int has_name = reader_want_str(o, "name", &name, msg, msglen);
	int has_nr = reader_want_long(o, "nr", &nr, msg, msglen);
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
	const cJSON *args = reader_field(o, "args");
	int nshown = 0;
	if (args && !cJSON_IsNull(args)) {
		if (!cJSON_IsArray(args)) {
			snprintf(msg, msglen, "\"args\" must be an array, not %s", reader_type_name(args));
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
				snprintf(msg, msglen, "\"args\"[%d] must be a string, not %s", nshown, reader_type_name(a));
				return -1;
			}
			ev->arg_text[nshown++] = a->valuestring;
		}
	}
	ev->nshown = nshown;

	const cJSON *raw = reader_field(o, "raw_args");
	int nraw = 0;
	if (raw && !cJSON_IsNull(raw)) {
		if (!cJSON_IsArray(raw)) {
			snprintf(msg, msglen, "\"raw_args\" must be an array, not %s", reader_type_name(raw));
			return -1;
		}
		const cJSON *a;
		cJSON_ArrayForEach(a, raw)
		{
			if (nraw >= EVENT_MAX_ARGS) {
				snprintf(msg, msglen, "\"raw_args\" has more than %d entries", EVENT_MAX_ARGS);
				return -1;
			}
			if (reader_want_addr(a, "raw_args", &ev->raw_args[nraw], msg, msglen) < 0)
				return -1;
			nraw++;
		}
	} else {
		/* renacer v1: args are hex strings; keep the ones that are numbers. */
		for (int i = 0; i < nshown; i++) {
			uint64_t v;
			if (reader_parse_num(ev->arg_text[i], &v))
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
	const cJSON *res = reader_field(o, "result");
	if (res && cJSON_IsNull(res))
		ev->finished = false;
	else if (reader_want_long(o, "result", &ev->result, msg, msglen) < 0)
		return -1;
	bool unfinished = false;
	if (reader_want_bool(o, "unfinished", &unfinished, msg, msglen) < 0)
		return -1;
	if (unfinished)
		ev->finished = false;

	const cJSON *en = reader_field(o, "errno");
	if (en && !cJSON_IsNull(en)) {
		if (cJSON_IsString(en) && en->valuestring) {
			ev->err = errno_of_name(en->valuestring);
			if (!ev->err) {
				if (ev->result < 0 && ev->result >= -MAX_ERRNO) {
					ev->err = (int)-ev->result;
				} else {
					snprintf(msg, msglen, "unknown \"errno\" \"%s\"", reader_show(en->valuestring).s);
					return -1;
				}
			}
		} else if (cJSON_IsNumber(en)) {
			int e = 0;
			if (reader_want_i32(o, "errno", &e, msg, msglen) < 0)
				return -1;
			if (e < 0 || e > MAX_ERRNO) {
				snprintf(msg, msglen, "\"errno\" is out of range");
				return -1;
			}
			ev->err = e;
		} else {
			snprintf(msg, msglen, "\"errno\" must be a string, not %s", reader_type_name(en));
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
	if (reader_want_i32(o, "pid", &pid, msg, msglen) < 0 || reader_want_i32(o, "tid", &tid, msg, msglen) < 0)
		return -1;
	if (pid < 0 || tid < 0) {
		snprintf(msg, msglen, "\"%s\" must not be negative", pid < 0 ? "pid" : "tid");
		return -1;
	}
	ev->pid = pid ? pid : 1;
	ev->tid = tid ? tid : ev->pid;

	/* times */
	uint64_t us = 0;
	int rc = reader_want_u64(o, "duration_ns", &ev->duration_ns, msg, msglen);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		int urc = reader_want_u64(o, "duration_us", &us, msg, msglen);
		if (urc < 0)
			return -1;
		if (urc == 1)
			ev->duration_ns = us > UINT64_MAX / 1000 ? UINT64_MAX : us * 1000;
	}
	rc = reader_want_u64(o, "ts_ns", &ev->ts_ns, msg, msglen);
	if (rc < 0)
		return -1;
	int rrc = read_rle(o, ev, rc == 1, msg, msglen);
	if (rrc < 0)
		return -1;
	if (rc == 0 && rrc == 0)
		ev->ts_ns = r->synth_ts;
	r->synth_ts = event_end_ns(ev);

	/* ip, module, source */
	const cJSON *ip = reader_field(o, "ip");
	if (ip && !cJSON_IsNull(ip) && reader_want_addr(ip, "ip", &ev->ip, msg, msglen) < 0)
		return -1;
	if (reader_want_str(o, "module", &ev->module, msg, msglen) < 0)
		return -1;
	const cJSON *src = reader_field(o, "source");
	if (src && !cJSON_IsNull(src)) {
		if (!cJSON_IsObject(src)) {
			snprintf(msg, msglen, "\"source\" must be an object, not %s", reader_type_name(src));
			return -1;
		}
		const char *file = NULL, *fn = NULL;
		double line = 0;
		int frc = reader_want_str(src, "file", &file, msg, msglen);
		if (frc < 0 || reader_want_int(src, "line", 0, (double)UINT_MAX, &line, msg, msglen) < 0 ||
		    reader_want_str(src, "function", &fn, msg, msglen) < 0)
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

void reader_feed_event(struct reader *r, const struct event *ev)
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
