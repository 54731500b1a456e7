/* json_sink.c — renacer-json-v1 (schema 2) writer, docs/design.md, 'Trace format (JSON)'.
 *
 * Layout (one syscall record per line, written as calls complete):
 *
 *   {"version":"0.1.0","format":"renacer-json-v1","schema":2,
 *    "meta":{...},
 *    "syscalls":[
 *   {record},
 *   {record}
 *    ],
 *    "processes":[{...},{...}],
 *    "signals":[{...}],
 *    "summary":{...}
 *   }
 *
 * Records are separated by ",\n" written before each record but the
 * first, so a record never needs to know whether another follows. Memory:
 * one scratch line buffer (grows to the largest record), the process
 * table (one entry per ended process) and at most JSON_MAX_SIGNALS signal
 * entries; nothing grows with the number of calls.
 *
 * --compress=rle (src/output/rle.h): a run of identical consecutive calls of
 * one task is written as one record, the first call's, with an "rle"
 * member in front. One run is pending at a time (the first call's
 * formatted record, its key and counters); a call that extends it costs
 * a key comparison and no formatting. Any other call, a signal, a
 * process end or finish writes the pending run first, so records stay
 * in event order. A run of one call is written exactly as without
 * compression. "summary" counts calls, not records.
 *
 * "signals" is written only when the tracee received signals; past
 * JSON_MAX_SIGNALS the rest are counted in "signals_dropped". Additions
 * beyond docs/design.md, 'Trace format (JSON)' (all optional for readers): per-call "unfinished":true,
 * per-process "core_dumped":true, "signals", summary "interrupted":true. */
#include "format_sinks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_flags.h"
#include "event_text.h"
#include "json_out.h"
#include "obuf.h"
#include "rle.h"
#include "source.h"
#include "vec.h"
#include "version.h"

#define JSON_LINE_MIN (64u * 1024u)
#define JSON_EMERG_CAP 8192u
#define JSON_EMERG_STR 256u
#define JSON_MAX_SIGNALS 4096u

struct json_proc {
	struct process_info pi;
	char *exe; /* owned copy */
};

struct json_sig {
	pid_t tid;
	int signo;
	int code;
	uint64_t ts_ns;
};

struct json_sink {
	struct sink sink;
	struct writer *out;
	bool with_source;
	bool header_done;
	bool compress_rle;
	uint64_t nrecords;  /* records written */
	uint64_t ncalls;    /* calls they stand for */
	uint64_t total_ns;
	uint64_t errors;
	uint64_t last_ts;
	struct json_proc *procs;
	size_t nprocs, procs_cap;
	struct json_sig *sigs;
	size_t nsigs;
	uint64_t sigs_dropped;
	bool oom;          /* something could not be recorded fully */
	bool finished;
	struct linebuf line; /* scratch for one record */
	char emerg[JSON_EMERG_CAP];
	/* --compress=rle: the pending run */
	bool pending;
	struct rle_key key;
	struct linebuf pend;   /* the first call's record, NUL-terminated */
	size_t pend_len;
	uint64_t r_count, r_first_ts, r_last_ts, r_last_dur, r_total, r_min, r_max;
};

static void put_obuf(struct json_sink *s, const struct obuf *ob)
{
	writer_put(s->out, ob->buf, ob->len);
}

static void put_u64(struct obuf *ob, uint64_t v)
{
	obuf_printf(ob, "%llu", (unsigned long long)v);
}

static void put_hex64(struct obuf *ob, uint64_t v)
{
	obuf_printf(ob, "\"0x%llx\"", (unsigned long long)v);
}

/* A JSON string of at most `limit` input bytes of s (0: no limit). */
static void put_str_limited(struct obuf *ob, const char *s, size_t limit)
{
	if (!s) {
		obuf_puts(ob, "null");
		return;
	}
	size_t n = strlen(s);
	if (limit && n > limit)
		n = limit;
	json_put_str(ob, s, n);
}

static void write_header(struct json_sink *s, const struct run_meta *m)
{
	/* The header is written straight to the writer in pieces, so an
	 * arbitrarily long command line needs no large buffer. */
	char buf[512];
	struct obuf ob;
	obuf_init(&ob, buf, sizeof(buf));
	obuf_puts(&ob, "{\"version\":\"" RENACER_VERSION "\",\"format\":\"renacer-json-v1\",\"schema\":2,\n");
	obuf_puts(&ob, " \"meta\":{\"tracer\":\"renacer-c\"");
	put_obuf(s, &ob);
	if (m && m->command) {
		writer_put(s->out, ",\"command\":[", 12);
		for (int i = 0; m->command[i]; i++) {
			size_t n = strlen(m->command[i]);
			size_t cap = n * 6 + 4;
			char *tmp = malloc(cap);
			obuf_init(&ob, tmp ? tmp : buf, tmp ? cap : sizeof(buf));
			if (i)
				obuf_putc(&ob, ',');
			/* Without memory, keep what fits (still a valid string). */
			json_put_str(&ob, m->command[i], tmp ? n : (n < 64 ? n : 64));
			if (!tmp)
				s->oom = true;
			put_obuf(s, &ob);
			free(tmp);
		}
		writer_put(s->out, "]", 1);
	}
	obuf_init(&ob, buf, sizeof(buf));
	if (m && m->attached && m->nattached > 0) {
		writer_put(s->out, ",\"attached\":[", 13);
		for (int i = 0; i < m->nattached; i++) {
			obuf_reset(&ob);
			obuf_printf(&ob, "%s%ld", i ? "," : "", (long)m->attached[i]);
			put_obuf(s, &ob);
		}
		writer_put(s->out, "]", 1);
	}
	obuf_reset(&ob);
	obuf_puts(&ob, ",\"start_unix_ns\":");
	put_u64(&ob, m ? m->start_unix_ns : 0);
	obuf_puts(&ob, ",\"kernel\":");
	put_str_limited(&ob, m ? m->kernel : NULL, 64);
	obuf_puts(&ob, ",\"host\":");
	put_str_limited(&ob, m ? m->host : NULL, 64);
	obuf_puts(&ob, "},\n \"syscalls\":[\n");
	put_obuf(s, &ob);
	writer_line_done(s->out, 0);
	s->header_done = true;
}

/* Worst-case size of the record for ev (escaping is at most 6x). */
static size_t record_bound(const struct json_sink *s, const struct event *ev)
{
	size_t n = 1024;
	n += ev->name ? strlen(ev->name) * 6 : 0;
	n += ev->module ? strlen(ev->module) * 6 : 0;
	for (int i = 0; i < event_nshown(ev); i++)
		n += 8 + (ev->arg_text[i] ? strlen(ev->arg_text[i]) * 6 : 0);
	if (s->with_source && ev->source) {
		n += ev->source->file ? strlen(ev->source->file) * 6 : 0;
		n += ev->source->function ? strlen(ev->source->function) * 6 : 0;
	}
	return n;
}

/* Format one record. An argument without decoded text (decoding off)
 * prints as its raw value in hex. limit > 0 (emergency mode): every
 * string is cut to that many input bytes and args are printed as raw hex. */
static void format_record(const struct json_sink *s, const struct event *ev, struct obuf *ob, size_t limit)
{
	obuf_puts(ob, "{\"name\":");
	put_str_limited(ob, ev->name ? ev->name : "", limit);
	obuf_puts(ob, ",\"nr\":");
	obuf_put_long(ob, ev->nr);
	obuf_puts(ob, ",\"args\":[");
	int shown = event_nshown(ev);
	for (int i = 0; i < shown; i++) {
		if (i)
			obuf_putc(ob, ',');
		if (!limit && ev->arg_text[i])
			put_str_limited(ob, ev->arg_text[i], 0);
		else
			put_hex64(ob, ev->raw_args[i]);
	}
	obuf_puts(ob, "],\"raw_args\":[");
	for (int i = 0; i < EVENT_MAX_ARGS; i++) {
		if (i)
			obuf_putc(ob, ',');
		put_hex64(ob, ev->raw_args[i]);
	}
	obuf_puts(ob, "],\"result\":");
	if (ev->finished)
		obuf_put_long(ob, ev->result);
	else
		obuf_puts(ob, "null");
	obuf_puts(ob, ",\"errno\":");
	if (ev->finished && ev->err) {
		const char *en = errno_name(ev->err);
		if (en)
			json_put_cstr(ob, en);
		else
			obuf_printf(ob, "\"E%d\"", ev->err);
	} else {
		obuf_puts(ob, "null");
	}
	obuf_puts(ob, ",\"pid\":");
	obuf_put_long(ob, (long)ev->pid);
	obuf_puts(ob, ",\"tid\":");
	obuf_put_long(ob, (long)ev->tid);
	obuf_puts(ob, ",\"ts_ns\":");
	put_u64(ob, ev->ts_ns);
	obuf_puts(ob, ",\"duration_ns\":");
	put_u64(ob, ev->duration_ns);
	obuf_puts(ob, ",\"duration_us\":");
	put_u64(ob, ev->duration_ns / 1000);
	obuf_puts(ob, ",\"ip\":");
	put_hex64(ob, ev->ip);
	obuf_puts(ob, ",\"module\":");
	put_str_limited(ob, ev->module, limit);
	if (s->with_source && ev->source && ev->source->file) {
		obuf_puts(ob, ",\"source\":{\"file\":");
		put_str_limited(ob, ev->source->file, limit);
		obuf_puts(ob, ",\"line\":");
		obuf_put_ulong(ob, ev->source->line);
		obuf_puts(ob, ",\"function\":");
		put_str_limited(ob, ev->source->function, limit);
		obuf_putc(ob, '}');
	}
	if (!ev->finished)
		obuf_puts(ob, ",\"unfinished\":true");
	obuf_putc(ob, '}');
}

/* Write one formatted record ("{...}", len bytes), preceded by ",\n"
 * unless it is the first, and by the "rle" member when count > 1. */
static void put_record(struct json_sink *s, const char *rec, size_t len, uint64_t count, uint64_t first_ts,
		       uint64_t last_ts, uint64_t total, uint64_t min, uint64_t max, uint64_t last_dur)
{
	char buf[320];
	struct obuf ob;
	obuf_init(&ob, buf, sizeof(buf));
	if (s->nrecords)
		obuf_puts(&ob, ",\n");
	if (count > 1 && len > 1) {
		obuf_puts(&ob, "{\"rle\":{\"count\":");
		put_u64(&ob, count);
		obuf_puts(&ob, ",\"first_ts_ns\":");
		put_u64(&ob, first_ts);
		obuf_puts(&ob, ",\"last_ts_ns\":");
		put_u64(&ob, last_ts);
		obuf_puts(&ob, ",\"duration_ns_total\":");
		put_u64(&ob, total);
		obuf_puts(&ob, ",\"duration_ns_min\":");
		put_u64(&ob, min);
		obuf_puts(&ob, ",\"duration_ns_max\":");
		put_u64(&ob, max);
		obuf_puts(&ob, ",\"duration_ns_last\":");
		put_u64(&ob, last_dur);
		obuf_puts(&ob, "},");
		rec++; /* the record's own '{' is already written */
		len--;
	}
	put_obuf(s, &ob);
	writer_put(s->out, rec, len);
	writer_line_done(s->out, last_ts + last_dur);
	s->nrecords++;
}

/* Format ev into s->line (or the emergency buffer): the record alone. */
static void format_into(struct json_sink *s, const struct event *ev, struct obuf *ob)
{
	if (linebuf_reserve(&s->line, record_bound(s, ev))) {
		obuf_init(ob, s->line.buf, s->line.cap);
		format_record(s, ev, ob, 0);
		if (!ob->overflow)
			return;
	}
	/* Out of memory: a shortened record (still valid JSON). */
	s->oom = true;
	obuf_init(ob, s->emerg, sizeof(s->emerg));
	format_record(s, ev, ob, JSON_EMERG_STR);
}

/* Write the pending run, if any. */
static void flush_run(struct json_sink *s)
{
	if (!s->pending)
		return;
	s->pending = false;
	put_record(s, s->pend.buf, s->pend_len, s->r_count, s->r_first_ts, s->r_last_ts, s->r_total, s->r_min,
		   s->r_max, s->r_last_dur);
}

static void json_syscall(void *self, const struct event *ev)
{
	struct json_sink *s = self;
	if (s->finished)
		return;
	uint64_t n = event_calls(ev);
	s->ncalls += n;
	if (ev->finished) {
		s->total_ns += event_total_ns(ev);
		if (ev->err)
			s->errors += n;
	}
	uint64_t end = event_end_ns(ev);
	if (end > s->last_ts)
		s->last_ts = end;

	bool mergeable = s->compress_rle && rle_event_mergeable(ev);
	if (s->pending) {
		if (mergeable && rle_key_match(&s->key, ev, s->with_source)) {
			uint64_t d = ev->duration_ns;
			s->r_count++;
			s->r_last_ts = ev->ts_ns;
			s->r_last_dur = d;
			s->r_total = s->r_total + d < s->r_total ? UINT64_MAX : s->r_total + d;
			if (d < s->r_min)
				s->r_min = d;
			if (d > s->r_max)
				s->r_max = d;
			return;
		}
		flush_run(s);
	}
	struct obuf ob;
	format_into(s, ev, &ob);
	if (mergeable && ob.buf == s->line.buf && rle_key_set(&s->key, ev, s->with_source)) {
		/* Start a run: keep the record; the scratch buffers swap. */
		struct linebuf tmp = s->pend;
		s->pend = s->line;
		s->line = tmp;
		s->pend_len = ob.len;
		s->pending = true;
		s->r_count = 1;
		s->r_first_ts = s->r_last_ts = ev->ts_ns;
		s->r_total = s->r_min = s->r_max = s->r_last_dur = ev->duration_ns;
		return;
	}
	/* Not mergeable, shortened, or no memory for the key: on its own. */
	put_record(s, ob.buf, ob.len, event_calls(ev), ev->ts_ns, event_last_ts(ev), event_total_ns(ev),
		   ev->rle_count > 1 ? ev->rle_duration_min_ns : ev->duration_ns, event_max_ns(ev),
		   ev->rle_count > 1 ? ev->rle_last_duration_ns : ev->duration_ns);
}

static void json_signal(void *self, pid_t tid, uint64_t ts_ns, const siginfo_t *si)
{
	struct json_sink *s = self;
	if (s->finished || !si)
		return;
	flush_run(s);
	if (!s->sigs) {
		s->sigs = malloc(JSON_MAX_SIGNALS * sizeof(*s->sigs));
		if (!s->sigs) {
			s->oom = true;
			s->sigs_dropped++;
			return;
		}
	}
	if (s->nsigs >= JSON_MAX_SIGNALS) {
		s->sigs_dropped++;
		return;
	}
	struct json_sig *g = &s->sigs[s->nsigs++];
	g->tid = tid;
	g->ts_ns = ts_ns;
	g->signo = si->si_signo;
	g->code = si->si_code;
}

static void json_process_end(void *self, const struct process_info *p)
{
	struct json_sink *s = self;
	if (s->finished || !p)
		return;
	flush_run(s);
	if (!vec_grow(&s->procs, &s->procs_cap, s->nprocs + 1, sizeof(*s->procs))) {
		s->oom = true;
		return;
	}
	struct json_proc *jp = &s->procs[s->nprocs];
	jp->pi = *p;
	jp->exe = NULL;
	if (p->exe) {
		jp->exe = strdup(p->exe);
		if (!jp->exe)
			s->oom = true;
	}
	jp->pi.exe = jp->exe;
	s->nprocs++;
}

static void put_signal_value(struct obuf *ob, int sig)
{
	const char *n = signal_name(sig);
	if (n)
		json_put_cstr(ob, n);
	else
		obuf_put_long(ob, sig);
}

static void write_process(struct json_sink *s, const struct json_proc *jp, bool first)
{
	const struct process_info *p = &jp->pi;
	char fixed[512];
	size_t need = 512 + (jp->exe ? strlen(jp->exe) * 6 : 0);
	char *buf = need > sizeof(fixed) ? malloc(need) : NULL;
	size_t limit = 0;
	if (need > sizeof(fixed) && !buf) {
		s->oom = true;
		limit = 64;
	}
	struct obuf ob;
	obuf_init(&ob, buf ? buf : fixed, buf ? need : sizeof(fixed));
	if (!first)
		obuf_putc(&ob, ',');
	obuf_puts(&ob, "{\"pid\":");
	obuf_put_long(&ob, (long)p->pid);
	obuf_puts(&ob, ",\"ppid\":");
	obuf_put_long(&ob, (long)p->ppid);
	obuf_puts(&ob, ",\"exe\":");
	put_str_limited(&ob, jp->exe, limit);
	obuf_puts(&ob, ",\"start_ns\":");
	put_u64(&ob, p->start_ns);
	obuf_puts(&ob, ",\"end_ns\":");
	put_u64(&ob, p->end_ns);
	obuf_puts(&ob, ",\"exit_code\":");
	if (p->exited)
		obuf_put_long(&ob, p->exit_code);
	else
		obuf_puts(&ob, "null");
	obuf_puts(&ob, ",\"signal\":");
	if (!p->exited && p->signal)
		put_signal_value(&ob, p->signal);
	else
		obuf_puts(&ob, "null");
	obuf_puts(&ob, ",\"utime_us\":");
	put_u64(&ob, p->utime_us);
	obuf_puts(&ob, ",\"stime_us\":");
	put_u64(&ob, p->stime_us);
	obuf_puts(&ob, ",\"maxrss_kb\":");
	put_u64(&ob, p->maxrss_kb);
	if (p->core_dumped)
		obuf_puts(&ob, ",\"core_dumped\":true");
	obuf_putc(&ob, '}');
	put_obuf(s, &ob);
	free(buf);
}

static int json_finish(void *self, const struct run_info *ri)
{
	struct json_sink *s = self;
	if (s->finished)
		return 0;
	flush_run(s);
	s->finished = true;
	char buf[512];
	struct obuf ob;
	obuf_init(&ob, buf, sizeof(buf));
	obuf_puts(&ob, s->nrecords ? "\n ],\n \"processes\":[" : " ],\n \"processes\":[");
	put_obuf(s, &ob);
	for (size_t i = 0; i < s->nprocs; i++)
		write_process(s, &s->procs[i], i == 0);
	writer_put(s->out, "],\n", 3);
	if (s->nsigs || s->sigs_dropped) {
		writer_put(s->out, " \"signals\":[", 12);
		for (size_t i = 0; i < s->nsigs; i++) {
			const struct json_sig *g = &s->sigs[i];
			obuf_reset(&ob);
			obuf_printf(&ob, "%s{\"tid\":%ld,\"ts_ns\":", i ? "," : "", (long)g->tid);
			put_u64(&ob, g->ts_ns);
			obuf_printf(&ob, ",\"signo\":%d,\"name\":", g->signo);
			const char *sn = signal_name(g->signo);
			json_put_cstr(&ob, sn);
			obuf_printf(&ob, ",\"code\":%d", g->code);
			const char *cn = sicode_name(g->signo, g->code);
			if (cn) {
				obuf_puts(&ob, ",\"code_name\":");
				json_put_cstr(&ob, cn);
			}
			obuf_putc(&ob, '}');
			put_obuf(s, &ob);
		}
		obuf_reset(&ob);
		obuf_puts(&ob, "],\n");
		if (s->sigs_dropped) {
			obuf_puts(&ob, " \"signals_dropped\":");
			put_u64(&ob, s->sigs_dropped);
			obuf_puts(&ob, ",\n");
		}
		put_obuf(s, &ob);
	}
	obuf_reset(&ob);
	uint64_t wall_ns = ri ? ri->wall_ns : s->last_ts;
	obuf_puts(&ob, " \"summary\":{\"total_syscalls\":");
	put_u64(&ob, s->ncalls);
	obuf_puts(&ob, ",\"total_time_us\":");
	put_u64(&ob, s->total_ns / 1000);
	obuf_puts(&ob, ",\"errors\":");
	put_u64(&ob, s->errors);
	obuf_puts(&ob, ",\"wall_time_us\":");
	put_u64(&ob, wall_ns / 1000);
	obuf_puts(&ob, ",\"exit_code\":");
	obuf_put_long(&ob, ri ? ri->exit_code : 0);
	if (ri && ri->interrupted)
		obuf_puts(&ob, ",\"interrupted\":true");
	obuf_puts(&ob, "}\n}\n");
	put_obuf(s, &ob);
	/* A write error is reported once, with its reason, by the caller. */
	return sink_flush_report(s->out, s->oom, "json", "some records were shortened or processes left out");
}

static void json_destroy(void *self)
{
	struct json_sink *s = self;
	if (!s)
		return;
	for (size_t i = 0; i < s->nprocs; i++)
		free(s->procs[i].exe);
	free(s->procs);
	free(s->sigs);
	linebuf_free(&s->line);
	linebuf_free(&s->pend);
	rle_key_free(&s->key);
	free(s);
}

struct sink *json_sink_new(struct writer *out, const struct run_meta *m, bool compress_rle)
{
	if (!out)
		return NULL;
	struct json_sink *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	if (!linebuf_reserve(&s->line, JSON_LINE_MIN)) {
		free(s);
		return NULL;
	}
	s->out = out;
	s->compress_rle = compress_rle;
	s->with_source = m && m->with_source;
	s->sink = (struct sink){ .self = s, .syscall = json_syscall, .signal = json_signal,
				 .process_end = json_process_end, .finish = json_finish,
				 .destroy = json_destroy };
	write_header(s, m);
	return &s->sink;
}
