/* otlp_sink.c — the OTLP export as a sink: builds the span tree (root,
 * processes, system calls; signals and exec as events) and hands each
 * finished span, as its OTLP JSON object, to the background exporter. */
#include "otlp_int.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "decode_flags.h"
#include "diag.h"
#include "hashmap.h"
#include "source.h"
#include "version.h"

#define SPAN_KIND_INTERNAL 1
#define STATUS_ERROR 2

struct otlp_proc {
	pid_t pid;
	uint64_t span_id;
	uint64_t first_ns, last_ns; /* trace-relative, from its calls */
	bool seen;                   /* first_ns/last_ns valid */
	char *exe;                   /* from exec, NULL when unknown */
	char *cmdline;
	struct sbuf events;          /* its span events, comma-separated JSON objects */
};

struct otlp_sink {
	struct sink sink;
	struct otlp_config cfg;
	struct otlp_exporter *x;
	struct otlp_run run;
	struct filter filter;
	bool have_filter;
	uint8_t trace_id[16];
	uint64_t root_id;
	uint64_t root_parent;        /* TRACEPARENT's span id, or 0 */
	char *command_line;          /* the launched command, joined */
	char *program;               /* its name */
	bool launched_done;          /* the first process got command_line */
	struct hmap procs;           /* pid -> struct otlp_proc * */
	struct hmap forks;           /* child pid -> span id of the call that made it */
	struct hmap threads;         /* tid -> pid, for threads other than the leader */
	struct sbuf span;            /* the span being built (reused) */
	struct sbuf args;            /* syscall.args being joined (reused) */
	uint64_t sent, dropped;
	bool failed, finished;
};

/* Span and trace ids: splitmix64 seeded once from getrandom (no system
 * call per span on the tracer's thread); never 0. */
static uint64_t rng_state;

static uint64_t rand_u64(void)
{
	if (!rng_state) {
		if (getrandom(&rng_state, sizeof(rng_state), 0) != (ssize_t)sizeof(rng_state)) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			rng_state = hash_u64((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
					     (uint64_t)getpid() << 48);
		}
		rng_state |= 1;
	}
	for (;;) {
		uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		z ^= z >> 31;
		if (z)
			return z;
	}
}

static void put_hex(struct sbuf *b, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	sbuf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		sbuf_putc(b, hex[p[i] >> 4]);
		sbuf_putc(b, hex[p[i] & 15]);
	}
	sbuf_putc(b, '"');
}

static void put_span_id(struct sbuf *b, uint64_t id)
{
	uint8_t p[8];
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(id >> (56 - 8 * i));
	put_hex(b, p, 8);
}

static void put_ustr(struct sbuf *b, uint64_t v)
{
	sbuf_putc(b, '"');
	sbuf_put_u64(b, v);
	sbuf_putc(b, '"');
}

/* Attribute writers: FIRST tracks the comma. */
static void attr_str(struct sbuf *b, bool *first, const char *k, const char *v)
{
	if (!v)
		return;
	if (!*first)
		sbuf_putc(b, ',');
	*first = false;
	sbuf_puts(b, "{\"key\":");
	otlp_json_str(b, k, strlen(k));
	sbuf_puts(b, ",\"value\":{\"stringValue\":");
	otlp_json_str(b, v, strlen(v));
	sbuf_puts(b, "}}");
}

static void attr_int(struct sbuf *b, bool *first, const char *k, int64_t v)
{
	if (!*first)
		sbuf_putc(b, ',');
	*first = false;
	sbuf_puts(b, "{\"key\":");
	otlp_json_str(b, k, strlen(k));
	sbuf_puts(b, ",\"value\":{\"intValue\":\"");
	sbuf_put_i64(b, v);
	sbuf_puts(b, "\"}}");
}

static uint64_t unix_ns(const struct otlp_sink *o, uint64_t ts)
{
	return o->run.start_unix_ns + ts;
}

/* {"traceId":…,"spanId":…,["parentSpanId":…,]"name":…,"kind":1,
 * "startTimeUnixNano":…,"endTimeUnixNano":…,"attributes":[  — the caller
 * writes the attributes and calls span_end. */
static void span_begin(struct otlp_sink *o, uint64_t id, uint64_t parent, const char *name,
		       uint64_t start, uint64_t end)
{
	struct sbuf *b = &o->span;
	sbuf_reset(b);
	sbuf_puts(b, "{\"traceId\":");
	put_hex(b, o->trace_id, 16);
	sbuf_puts(b, ",\"spanId\":");
	put_span_id(b, id);
	if (parent) {
		sbuf_puts(b, ",\"parentSpanId\":");
		put_span_id(b, parent);
	}
	sbuf_puts(b, ",\"name\":");
	otlp_json_str(b, name, strlen(name));
	sbuf_puts(b, ",\"kind\":1,\"startTimeUnixNano\":");
	put_ustr(b, start);
	sbuf_puts(b, ",\"endTimeUnixNano\":");
	put_ustr(b, end < start ? start : end);
	sbuf_puts(b, ",\"attributes\":[");
}

/* Close the attributes; EVENTS (may be NULL), STATUS 0 or 2. */
static void span_end(struct otlp_sink *o, const struct sbuf *events, int status, const char *message)
{
	struct sbuf *b = &o->span;
	sbuf_putc(b, ']');
	if (events && events->len) {
		sbuf_puts(b, ",\"events\":[");
		sbuf_putn(b, events->p, events->len);
		sbuf_putc(b, ']');
	}
	if (status) {
		sbuf_puts(b, ",\"status\":{\"code\":2");
		if (message) {
			sbuf_puts(b, ",\"message\":");
			otlp_json_str(b, message, strlen(message));
		}
		sbuf_putc(b, '}');
	}
	sbuf_putc(b, '}');
	if (b->oom)
		o->dropped++;
	else
		otlp_exporter_push(o->x, b->p, b->len);
}

static struct otlp_proc *proc_get(struct otlp_sink *o, pid_t pid)
{
	struct otlp_proc *p = hmap_u64_find(&o->procs, (uint64_t)pid);
	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->span_id = rand_u64();
	if (!hmap_u64_put(&o->procs, (uint64_t)pid, p)) {
		free(p);
		return NULL;
	}
	return p;
}

static void proc_free(struct otlp_proc *p)
{
	free(p->exe);
	free(p->cmdline);
	sbuf_free(&p->events);
	free(p);
}

static void proc_touch(struct otlp_proc *p, uint64_t start, uint64_t end)
{
	if (!p->seen || start < p->first_ns)
		p->first_ns = start;
	if (!p->seen || end > p->last_ns)
		p->last_ns = end;
	p->seen = true;
}

/* A quoted decoded string ("\"/bin/ls\"") without its quotes; else as is. */
static char *unquote(const char *s)
{
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		return strndup(s + 1, n - 2);
	return strdup(s);
}

static void add_event(struct otlp_sink *o, struct otlp_proc *p, const char *name, uint64_t ts,
		      const char *k1, const char *v1, const char *k2, const char *v2, const char *ki,
		      int64_t vi)
{
	struct sbuf *b = &p->events;
	if (b->len)
		sbuf_putc(b, ',');
	sbuf_puts(b, "{\"timeUnixNano\":");
	put_ustr(b, unix_ns(o, ts));
	sbuf_puts(b, ",\"name\":");
	otlp_json_str(b, name, strlen(name));
	sbuf_puts(b, ",\"attributes\":[");
	bool first = true;
	attr_str(b, &first, k1, v1);
	if (k2)
		attr_str(b, &first, k2, v2);
	if (ki)
		attr_int(b, &first, ki, vi);
	sbuf_puts(b, "]}");
	(void)o;
}

static bool is_fork(const char *name)
{
	return !strcmp(name, "clone") || !strcmp(name, "clone3") || !strcmp(name, "fork") ||
	       !strcmp(name, "vfork");
}

static void otlp_syscall(void *self, const struct event *ev)
{
	struct otlp_sink *o = self;
	unsigned st = !ev->finished ? ST_UNFINISHED : ev->err ? ST_FAILED : ST_SUCCESSFUL;
	struct otlp_proc *p = proc_get(o, ev->pid);
	if (!p) {
		o->dropped++;
		return;
	}
	uint64_t end = ev->finished ? event_end_ns(ev) : ev->ts_ns;
	proc_touch(p, ev->ts_ns, end);
	if (ev->tid != ev->pid && !hmap_u64_find(&o->threads, (uint64_t)ev->tid))
		hmap_u64_put(&o->threads, (uint64_t)ev->tid, (void *)(uintptr_t)ev->pid);
	const char *name = ev->name ? ev->name : "syscall";
	bool exec = ev->finished && !ev->err && (!strcmp(name, "execve") || !strcmp(name, "execveat"));
	if (exec) {
		int pi = !strcmp(name, "execveat") ? 1 : 0;
		char *path = pi < ev->nshown && ev->arg_text[pi] ? unquote(ev->arg_text[pi]) : NULL;
		const char *argv = pi + 1 < ev->nshown ? ev->arg_text[pi + 1] : NULL;
		add_event(o, p, "exec", ev->ts_ns, "process.executable.path", path, "process.command_line",
			  argv, NULL, 0);
		if (path) {
			free(p->exe);
			p->exe = path;
		}
		if (argv && !p->cmdline)
			p->cmdline = strdup(argv);
	}
	if (o->have_filter && !filter_shows(&o->filter, st, event_max_ns(ev)))
		return;
	uint64_t id = rand_u64();
	if (is_fork(name) && ev->finished && ev->result > 0) {
		/* A thread's tid lands here too: harmless, it never gets a process span. */
		void *old = hmap_u64_remove(&o->forks, (uint64_t)ev->result);
		(void)old;
		hmap_u64_put(&o->forks, (uint64_t)ev->result, (void *)(uintptr_t)id);
	}
	span_begin(o, id, p->span_id, name, unix_ns(o, ev->ts_ns), unix_ns(o, end));
	struct sbuf *b = &o->span;
	bool first = true;
	attr_int(b, &first, "process.pid", ev->pid);
	attr_int(b, &first, "thread.id", ev->tid);
	attr_str(b, &first, "syscall.name", name);
	if (ev->nshown > 0 && ev->arg_text[0]) {
		/* Joined as strace prints them. */
		sbuf_reset(&o->args);
		for (int i = 0; i < ev->nshown && i < EVENT_MAX_ARGS; i++) {
			if (i)
				sbuf_puts(&o->args, ", ");
			sbuf_puts(&o->args, ev->arg_text[i] ? ev->arg_text[i] : "?");
		}
		if (!o->args.oom)
			attr_str(b, &first, "syscall.args", o->args.p);
	}
	if (ev->finished)
		attr_int(b, &first, "syscall.return_value", ev->result);
	if (ev->ret_text)
		attr_str(b, &first, "syscall.return", ev->ret_text);
	attr_int(b, &first, "syscall.duration_ns", (int64_t)event_total_ns(ev));
	if (ev->rle_count > 1)
		attr_int(b, &first, "syscall.count", (int64_t)ev->rle_count);
	if (!ev->finished)
		attr_str(b, &first, "syscall.unfinished", "true");
	const char *ename = ev->err ? errno_name(ev->err) : NULL;
	if (ev->finished && ev->err)
		attr_str(b, &first, "error.type", ename ? ename : "error");
	if (ev->source) {
		attr_str(b, &first, "code.filepath", ev->source->file);
		if (ev->source->line)
			attr_int(b, &first, "code.lineno", ev->source->line);
		attr_str(b, &first, "code.function", ev->source->function);
	}
	if (ev->module)
		attr_str(b, &first, "syscall.module", ev->module);
	span_end(o, NULL, ev->finished && ev->err ? STATUS_ERROR : 0,
		 ev->finished && ev->err ? (ename ? ename : "error") : NULL);
}

static void otlp_signal(void *self, pid_t tid, uint64_t ts_ns, const siginfo_t *si)
{
	struct otlp_sink *o = self;
	struct otlp_proc *p = hmap_u64_find(&o->procs, (uint64_t)tid);
	if (!p) {
		/* A thread's signal goes to its process's span. */
		uintptr_t pid = (uintptr_t)hmap_u64_find(&o->threads, (uint64_t)tid);
		p = pid ? hmap_u64_find(&o->procs, (uint64_t)pid) : NULL;
	}
	if (!p)
		return;
	const char *abbrev = sigabbrev_np(si->si_signo);
	char name[32];
	snprintf(name, sizeof(name), "SIG%s", abbrev ? abbrev : "?");
	add_event(o, p, "signal", ts_ns, "syscall.signal", name, NULL, NULL, "syscall.signal.number",
		  si->si_signo);
}

static const char *base_name(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;
	return s ? s + 1 : path;
}

static void emit_proc(struct otlp_sink *o, struct otlp_proc *p, const struct process_info *pi)
{
	uint64_t start = pi ? pi->start_ns : p->first_ns;
	uint64_t end = pi ? pi->end_ns : p->last_ns;
	if (pi && p->seen) {
		if (p->first_ns < start)
			start = p->first_ns;
		if (p->last_ns > end)
			end = p->last_ns;
	}
	uint64_t parent = (uint64_t)(uintptr_t)hmap_u64_find(&o->forks, (uint64_t)p->pid);
	if (!parent && pi && pi->ppid > 0 && pi->ppid != pi->pid) {
		struct otlp_proc *pp = hmap_u64_find(&o->procs, (uint64_t)pi->ppid);
		if (pp)
			parent = pp->span_id;
	}
	if (!parent)
		parent = o->root_id;
	const char *exe = pi && pi->exe ? pi->exe : p->exe;
	const char *cmdline = p->cmdline;
	if (parent == o->root_id && !o->launched_done && o->command_line) {
		/* The launched program: its command line is the run's. */
		cmdline = o->command_line;
		o->launched_done = true;
	}
	char name[64];
	if (exe)
		snprintf(name, sizeof(name), "%s", base_name(exe));
	else
		snprintf(name, sizeof(name), "process %d", (int)p->pid);
	span_begin(o, p->span_id, parent, name, unix_ns(o, start), unix_ns(o, end));
	struct sbuf *b = &o->span;
	bool first = true;
	attr_int(b, &first, "process.pid", p->pid);
	if (pi && pi->ppid > 0)
		attr_int(b, &first, "process.parent_pid", pi->ppid);
	attr_str(b, &first, "process.executable.path", exe);
	attr_str(b, &first, "process.command_line", cmdline);
	if (pi && pi->exited)
		attr_int(b, &first, "process.exit.code", pi->exit_code);
	if (pi && !pi->exited && pi->signal) {
		const char *ab = sigabbrev_np(pi->signal);
		char sig[32];
		snprintf(sig, sizeof(sig), "SIG%s", ab ? ab : "?");
		attr_str(b, &first, "syscall.signal", sig);
	}
	span_end(o, &p->events, pi && !pi->exited && pi->signal ? STATUS_ERROR : 0,
		 pi && !pi->exited && pi->signal ? "killed by a signal" : NULL);
}

static void otlp_process_end(void *self, const struct process_info *pi)
{
	struct otlp_sink *o = self;
	struct otlp_proc *p = proc_get(o, pi->pid);
	if (!p) {
		o->dropped++;
		return;
	}
	emit_proc(o, p, pi);
	hmap_u64_remove(&o->procs, (uint64_t)pi->pid);
	hmap_u64_remove(&o->forks, (uint64_t)pi->pid);
	proc_free(p);
}

static int otlp_finish(void *self, const struct run_info *ri)
{
	struct otlp_sink *o = self;
	if (o->finished)
		return 0;
	o->finished = true;
	/* Processes that never reported an end (attached, offline traces
	 * without a process table). */
	size_t pos = 0;
	struct hmap_u64 *e;
	while ((e = hmap_next(&o->procs, &pos)))
		emit_proc(o, e->ptr, NULL);
	span_begin(o, o->root_id, o->root_parent, o->program ? o->program : "renacer-c",
		   unix_ns(o, 0), unix_ns(o, ri->wall_ns));
	struct sbuf *b = &o->span;
	bool first = true;
	attr_str(b, &first, "process.command_line", o->command_line);
	attr_str(b, &first, "syscall.tracer", "renacer-c " RENACER_VERSION);
	attr_int(b, &first, "syscall.exit_code", ri->exit_code);
	span_end(o, NULL, 0, NULL);

	bool failed = false;
	otlp_exporter_shutdown(o->x, &o->sent, &o->dropped, &failed);
	o->failed = failed || o->dropped;
	if (o->dropped)
		diag("otlp: %llu spans sent to %s, %llu dropped", (unsigned long long)o->sent, o->cfg.url,
		     (unsigned long long)o->dropped);
	else
		diag("otlp: %llu spans sent to %s", (unsigned long long)o->sent, o->cfg.url);
	return 0;
}

static void otlp_destroy(void *self)
{
	struct otlp_sink *o = self;
	otlp_exporter_free(o->x);
	size_t pos = 0;
	struct hmap_u64 *e;
	while ((e = hmap_next(&o->procs, &pos)))
		proc_free(e->ptr);
	hmap_free(&o->procs);
	hmap_free(&o->forks);
	hmap_free(&o->threads);
	sbuf_free(&o->span);
	sbuf_free(&o->args);
	otlp_config_free(&o->cfg);
	free(o->command_line);
	free(o->program);
	free(o);
}

bool otlp_sink_failed(const struct sink *s)
{
	const struct otlp_sink *o = s->self;
	return o->failed;
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* W3C traceparent "00-<32 hex>-<16 hex>-<2 hex>"; false when malformed
 * or all-zero (then a new trace is started). */
static bool parse_traceparent(const char *s, uint8_t tid[16], uint64_t *sid)
{
	if (!s || strlen(s) < 55 || s[2] != '-' || s[35] != '-' || s[52] != '-')
		return false;
	if (hexval(s[0]) < 0 || hexval(s[1]) < 0 || !strncmp(s, "ff", 2))
		return false;
	bool nz = false;
	for (int i = 0; i < 16; i++) {
		int h = hexval(s[3 + 2 * i]), l = hexval(s[4 + 2 * i]);
		if (h < 0 || l < 0)
			return false;
		tid[i] = (uint8_t)(h << 4 | l);
		nz |= tid[i] != 0;
	}
	uint64_t v = 0;
	for (int i = 0; i < 16; i++) {
		int h = hexval(s[36 + i]);
		if (h < 0)
			return false;
		v = v << 4 | (uint64_t)h;
	}
	return nz && v != 0 && (*sid = v, true);
}

/* The request body around the spans. */
static int build_envelope(struct otlp_sink *o, struct sbuf *pre)
{
	bool first = true;
	sbuf_puts(pre, "{\"resourceSpans\":[{\"resource\":{\"attributes\":[");
	const char *service = o->cfg.service_name ? o->cfg.service_name : o->program ? o->program : "renacer-c";
	attr_str(pre, &first, "service.name", service);
	attr_str(pre, &first, "host.name", o->run.host && *o->run.host ? o->run.host : NULL);
	attr_str(pre, &first, "telemetry.sdk.name", "renacer-c");
	attr_str(pre, &first, "telemetry.sdk.language", "c");
	attr_str(pre, &first, "telemetry.sdk.version", RENACER_VERSION);
	for (int i = 0; i < o->cfg.nres; i++) {
		const char *k = o->cfg.res_keys[i];
		if (strcmp(k, "service.name") && strcmp(k, "host.name") && strncmp(k, "telemetry.sdk.", 14))
			attr_str(pre, &first, k, o->cfg.res_values[i]);
	}
	sbuf_puts(pre, "]},\"scopeSpans\":[{\"scope\":{\"name\":\"renacer-c\",\"version\":\"" RENACER_VERSION
		  "\"},\"spans\":[");
	return pre->oom ? -1 : 0;
}

struct sink *otlp_sink_new(const struct otlp_options *opt, const struct otlp_run *run)
{
	struct otlp_sink *o = calloc(1, sizeof(*o));
	if (!o) {
		diag("out of memory");
		return NULL;
	}
	hmap_u64_init(&o->procs);
	hmap_u64_init(&o->forks);
	hmap_u64_init(&o->threads);
	if (otlp_config_resolve(&o->cfg, opt) != 0) {
		free(o);
		return NULL;
	}
	o->run = *run;
	if (run->filter) {
		o->filter = *run->filter;
		o->have_filter = true;
	}
	o->run.filter = NULL;
	if (run->command && run->command[0]) {
		struct sbuf cl = SBUF_INIT;
		for (int i = 0; run->command[i]; i++) {
			if (i)
				sbuf_putc(&cl, ' ');
			sbuf_puts(&cl, run->command[i]);
		}
		size_t n;
		o->command_line = sbuf_take(&cl, &n);
		o->program = strdup(base_name(run->command[0]));
	}
	if (!parse_traceparent(getenv("TRACEPARENT"), o->trace_id, &o->root_parent)) {
		uint64_t a = rand_u64(), b = rand_u64();
		memcpy(o->trace_id, &a, 8);
		memcpy(o->trace_id + 8, &b, 8);
		o->root_parent = 0;
	}
	o->root_id = rand_u64();
	struct sbuf pre = SBUF_INIT;
	if (build_envelope(o, &pre) == 0)
		o->x = otlp_exporter_start(&o->cfg, pre.p, "]}]}]}");
	sbuf_free(&pre);
	if (!o->x) {
		diag("otlp: cannot start the exporter");
		otlp_config_free(&o->cfg);
		free(o->command_line);
		free(o->program);
		free(o);
		return NULL;
	}
	o->sink = (struct sink){
		.self = o,
		.syscall = otlp_syscall,
		.signal = otlp_signal,
		.process_end = otlp_process_end,
		.finish = otlp_finish,
		.destroy = otlp_destroy,
	};
	return &o->sink;
}
