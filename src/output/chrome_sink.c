/* chrome_sink.c — `--format chrome` (docs/design.md, 'Trace format (JSON)'): Chrome trace-event JSON
 * (the "JSON Object Format" that chrome://tracing and Perfetto UI load).
 *
 *   {"traceEvents":[
 *   {"ph":"M","name":"process_name","pid":P,"tid":P,"args":{"name":"ls"}},
 *   {"ph":"M","name":"thread_name","pid":P,"tid":T,"args":{"name":"ls"}},
 *   {"ph":"X","cat":"syscall","name":"openat","ts":12.345,"dur":5.300,"pid":P,"tid":T,
 *    "args":{"args":"AT_FDCWD, \"/etc/hosts\", O_RDONLY","result":"3","nr":257}},
 *   {"ph":"i","s":"t","cat":"signal","name":"SIGCHLD","ts":...,"pid":P,"tid":T,"args":{...}},
 *   ...
 *   ],"displayTimeUnit":"ns","otherData":{...}}
 *
 * One event per line. `ts` is the call's entry time and `dur` its
 * latency, both in microseconds with three decimals (exact ns). A call
 * that never returned is a complete event with dur 0 and result "?".
 * Metadata events name each process when its pid is first seen (the
 * traced command's basename for the first process, "pid N" for the
 * others until the process ends and its executable is known) and each
 * thread when its tid is first seen.
 *
 * Ordering: events arrive in completion order, but ts is the entry time.
 * Calls of one thread never overlap, so for one tid entry times already
 * increase in arrival order. The one exception is execve from a non-leader
 * thread: the old leader's last (unfinished) call is reported first and the
 * exec'ing thread then continues under the leader's tid with an execve
 * that may have been entered earlier. The sink keeps each live tid's last
 * ts and clamps an earlier one to it (the event then carries its true
 * entry time as args.entry_ts_ns), so per-tid timestamps never go backwards
 * in file order.
 *
 * Memory: the line buffers grow to the largest event; one table entry per
 * live thread and per live process (dropped when they end). */
#include "format_sinks.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_flags.h"
#include "event_text.h"
#include "hashmap.h"
#include "json_out.h"
#include "obuf.h"
#include "source.h"

/* The tables keyed by pid/tid (src/util/hashmap.h) hold these entries
 * in place. Entry pointers are valid until the table next changes. */
struct cslot {
	pid_t key;
	pid_t pid;          /* tid table: the thread's process */
	uint64_t last_ts;   /* tid table: last ts written for this tid */
};

static bool cslot_is(const void *entry, const void *key)
{
	return ((const struct cslot *)entry)->key == *(const pid_t *)key;
}

static struct cslot *ct_find(const struct hmap *t, pid_t key)
{
	return hmap_find(t, hash_u64((uint64_t)key), cslot_is, &key);
}

/* The slot for key, created zeroed (apart from key) when absent; *created
 * tells which. NULL on OOM. */
static struct cslot *ct_get(struct hmap *t, pid_t key, bool *created)
{
	struct cslot *e = hmap_get(t, hash_u64((uint64_t)key), cslot_is, &key, created);
	if (e && *created)
		e->key = key;
	return e;
}

static void ct_remove(struct hmap *t, pid_t key)
{
	struct cslot *e = ct_find(t, key);
	if (e)
		hmap_remove(t, e);
}

/* ------------------------------------------------------------------ */

struct chrome_sink {
	struct sink sink;
	struct writer *out;
	const struct run_meta *meta; /* &meta_copy, or NULL */
	struct run_meta meta_copy;
	bool finished;
	bool oom;
	bool any;           /* an event was written (comma before the next) */
	pid_t first_pid;    /* named after the command */
	struct hmap tids; /* live threads, of struct cslot */
	struct hmap pids; /* processes that have a process_name, of struct cslot */
	struct linebuf line; /* the event line */
	struct linebuf join; /* the arguments joined, before escaping */
};

/* Worst case of json_put_str: 6 bytes per input byte plus the quotes. */
static size_t json_size(size_t n)
{
	return 6 * n + 2;
}

static bool cs_begin(struct chrome_sink *cs, struct obuf *ob, size_t need)
{
	if (!linebuf_reserve(&cs->line, need + 4)) {
		cs->oom = true;
		return false;
	}
	obuf_init(ob, cs->line.buf, cs->line.cap);
	if (cs->any)
		obuf_puts(ob, ",\n");
	return true;
}

static void cs_end(struct chrome_sink *cs, struct obuf *ob, uint64_t now)
{
	if (ob->overflow) { /* cannot happen: callers bound the line */
		cs->oom = true;
		return;
	}
	writer_put(cs->out, ob->buf, ob->len);
	if (now) /* 0: not a trace-time line (head, metadata, summary) */
		writer_line_done(cs->out, now);
	cs->any = true;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

static void cs_meta_name(struct chrome_sink *cs, const char *what, pid_t pid, pid_t tid, const char *name,
			 long num)
{
	struct obuf ob;
	if (!cs_begin(cs, &ob, 256 + (name ? json_size(strlen(name)) : 0)))
		return;
	obuf_printf(&ob, "{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%ld,\"tid\":%ld,\"args\":{\"name\":", what,
		    (long)pid, (long)tid);
	if (name)
		json_put_cstr(&ob, name);
	else
		obuf_printf(&ob, "\"%s %ld\"", strcmp(what, "process_name") == 0 ? "pid" : "thread", num);
	obuf_puts(&ob, "}}");
	cs_end(cs, &ob, 0);
}

static const char *first_name(const struct chrome_sink *cs)
{
	const struct run_meta *m = cs->meta;
	if (m && m->command && m->command[0] && m->command[0][0])
		return base_name(m->command[0]);
	return NULL;
}

/* Make sure pid and tid are known (writing their metadata the first time)
 * and return the tid's slot (NULL on OOM). */
static struct cslot *cs_thread(struct chrome_sink *cs, pid_t pid, pid_t tid)
{
	bool created;
	if (pid > 0) {
		struct cslot *p = ct_get(&cs->pids, pid, &created);
		if (!p) {
			cs->oom = true;
			return NULL;
		}
		if (created) {
			if (!cs->first_pid)
				cs->first_pid = pid;
			const char *name = pid == cs->first_pid ? first_name(cs) : NULL;
			cs_meta_name(cs, "process_name", pid, pid, name, (long)pid);
		}
	}
	struct cslot *t = ct_get(&cs->tids, tid, &created);
	if (!t) {
		cs->oom = true;
		return NULL;
	}
	if (created || (pid > 0 && t->pid != pid)) {
		t->pid = pid > 0 ? pid : tid;
		const char *name = tid == t->pid && t->pid == cs->first_pid ? first_name(cs) : NULL;
		cs_meta_name(cs, "thread_name", t->pid, tid, name, (long)tid);
	}
	return t;
}

/* The ts to write for tid's next event: never before its last one. */
static uint64_t cs_ts(struct cslot *t, uint64_t ts)
{
	if (!t)
		return ts;
	if (ts < t->last_ts)
		ts = t->last_ts;
	t->last_ts = ts;
	return ts;
}

static void chrome_syscall(void *self, const struct event *ev)
{
	struct chrome_sink *cs = self;
	if (cs->finished)
		return;
	struct cslot *t = cs_thread(cs, ev->pid, ev->tid);
	uint64_t ts = cs_ts(t, ev->ts_ns);
	const char *name = ev->name ? ev->name : "?";

	/* The arguments joined with ", ", strace spelling. */
	struct obuf jb;
	if (!event_join_args(&cs->join, ev, &jb)) {
		cs->oom = true;
		return;
	}

	char resbuf[EVENT_RESULT_MAX];
	const char *res = event_result_text(ev, resbuf, true);

	size_t need = 512 + json_size(strlen(name)) + json_size(jb.len) + json_size(strlen(res));
	if (ev->source && ev->source->file)
		need += json_size(strlen(ev->source->file)) + 16;
	struct obuf ob;
	if (!cs_begin(cs, &ob, need))
		return;
	obuf_puts(&ob, "{\"ph\":\"X\",\"cat\":\"syscall\",\"name\":");
	json_put_cstr(&ob, name);
	obuf_puts(&ob, ",\"ts\":");
	event_put_usec(&ob, ts);
	obuf_puts(&ob, ",\"dur\":");
	event_put_usec(&ob, ev->finished ? ev->duration_ns : 0);
	obuf_printf(&ob, ",\"pid\":%ld,\"tid\":%ld,\"args\":{\"args\":", (long)(t ? t->pid : ev->pid),
		    (long)ev->tid);
	json_put_str(&ob, jb.buf, jb.len);
	obuf_puts(&ob, ",\"result\":");
	json_put_cstr(&ob, res);
	obuf_printf(&ob, ",\"nr\":%ld", ev->nr);
	if (ev->finished && ev->err) {
		const char *en = errno_name(ev->err);
		if (en)
			obuf_printf(&ob, ",\"errno\":\"%s\"", en);
		else
			obuf_printf(&ob, ",\"errno\":%d", ev->err);
	}
	if (!ev->finished)
		obuf_puts(&ob, ",\"unfinished\":true");
	if (ev->source && ev->source->file) {
		/* "file:line" as one string */
		char lbuf[24];
		snprintf(lbuf, sizeof lbuf, ":%u", ev->source->line);
		size_t fl = strlen(ev->source->file);
		obuf_puts(&ob, ",\"source\":");
		size_t at = ob.len;
		json_put_str(&ob, ev->source->file, fl);
		if (!ob.overflow && ob.len > at && ob.buf[ob.len - 1] == '"') {
			ob.len--; /* reopen the string to append ":line" */
			obuf_puts(&ob, lbuf);
			obuf_putc(&ob, '"');
		}
	}
	if (ts != ev->ts_ns)
		obuf_printf(&ob, ",\"entry_ts_ns\":%llu", (unsigned long long)ev->ts_ns);
	obuf_puts(&ob, "}}");
	cs_end(cs, &ob, ev->ts_ns + ev->duration_ns);
}

static void chrome_signal(void *self, pid_t tid, uint64_t ts_ns, const siginfo_t *si)
{
	struct chrome_sink *cs = self;
	if (cs->finished || !si)
		return;
	struct cslot *t = ct_find(&cs->tids, tid);
	if (!t)
		t = cs_thread(cs, 0, tid);
	uint64_t ts = cs_ts(t, ts_ns);
	struct obuf ob;
	if (!cs_begin(cs, &ob, 512))
		return;
	obuf_puts(&ob, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"signal\",\"name\":\"");
	event_put_signame(&ob, si->si_signo, "signal ");
	obuf_puts(&ob, "\",\"ts\":");
	event_put_usec(&ob, ts);
	obuf_printf(&ob, ",\"pid\":%ld,\"tid\":%ld,\"args\":{\"si_signo\":%d,\"si_code\":",
		    (long)(t ? t->pid : tid), (long)tid, si->si_signo);
	event_put_sicode(&ob, si->si_signo, si->si_code, true);
	if (si->si_code <= 0 || si->si_signo == SIGCHLD)
		obuf_printf(&ob, ",\"si_pid\":%ld", (long)si->si_pid);
	obuf_puts(&ob, "}}");
	cs_end(cs, &ob, ts_ns);
}

static void chrome_exited(void *self, pid_t tid, uint64_t ts_ns, int status)
{
	struct chrome_sink *cs = self;
	if (cs->finished)
		return;
	struct cslot *t = ct_find(&cs->tids, tid);
	uint64_t ts = cs_ts(t, ts_ns);
	pid_t pid = t ? t->pid : tid;
	struct obuf ob;
	if (cs_begin(cs, &ob, 512)) {
		obuf_puts(&ob, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"exit\",\"name\":\"");
		event_put_wstatus(&ob, status, "signal ");
		obuf_puts(&ob, "\",\"ts\":");
		event_put_usec(&ob, ts);
		obuf_printf(&ob, ",\"pid\":%ld,\"tid\":%ld}", (long)pid, (long)tid);
		cs_end(cs, &ob, ts_ns);
	}
	ct_remove(&cs->tids, tid);
}

static void chrome_superseded(void *self, pid_t tid, uint64_t ts_ns, pid_t by_tid)
{
	(void)tid;
	(void)ts_ns;
	struct chrome_sink *cs = self;
	/* by_tid now runs as tid; its own id never appears again. tid keeps
	 * its last ts, so the execve that follows cannot go back in time. */
	if (by_tid != tid)
		ct_remove(&cs->tids, by_tid);
}

static void chrome_process_end(void *self, const struct process_info *p)
{
	struct chrome_sink *cs = self;
	if (cs->finished || !p)
		return;
	/* Processes other than the first are "pid N" until now: name them
	 * after what they ran. */
	if (p->exe && p->pid != cs->first_pid && ct_find(&cs->pids, p->pid))
		cs_meta_name(cs, "process_name", p->pid, p->pid, base_name(p->exe), 0);
	ct_remove(&cs->pids, p->pid);
}

static int chrome_finish(void *self, const struct run_info *ri)
{
	struct chrome_sink *cs = self;
	if (cs->finished)
		return writer_flush(cs->out);
	cs->finished = true;
	const struct run_meta *m = cs->meta;
	size_t need = 1024;
	if (m && m->command)
		for (size_t i = 0; m->command[i]; i++)
			need += json_size(strlen(m->command[i])) + 1;
	if (m && m->host)
		need += json_size(strlen(m->host));
	if (m && m->kernel)
		need += json_size(strlen(m->kernel));
	bool wrote = false;
	if (linebuf_reserve(&cs->line, need)) {
		struct obuf ob;
		obuf_init(&ob, cs->line.buf, cs->line.cap);
		obuf_puts(&ob, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"tracer\":\"renacer-c\"");
		if (m && m->command) {
			obuf_puts(&ob, ",\"command\":[");
			for (size_t i = 0; m->command[i]; i++) {
				if (i)
					obuf_putc(&ob, ',');
				json_put_cstr(&ob, m->command[i]);
			}
			obuf_putc(&ob, ']');
		}
		if (m && m->attached && m->nattached > 0) {
			obuf_puts(&ob, ",\"attached\":[");
			for (int i = 0; i < m->nattached; i++)
				obuf_printf(&ob, "%s%ld", i ? "," : "", (long)m->attached[i]);
			obuf_putc(&ob, ']');
		}
		if (m && m->start_unix_ns)
			obuf_printf(&ob, ",\"start_unix_ns\":%llu", (unsigned long long)m->start_unix_ns);
		if (m && m->kernel) {
			obuf_puts(&ob, ",\"kernel\":");
			json_put_cstr(&ob, m->kernel);
		}
		if (m && m->host) {
			obuf_puts(&ob, ",\"host\":");
			json_put_cstr(&ob, m->host);
		}
		if (ri)
			obuf_printf(&ob, ",\"exit_code\":%d,\"wall_ns\":%llu,\"interrupted\":%s", ri->exit_code,
				    (unsigned long long)ri->wall_ns, ri->interrupted ? "true" : "false");
		obuf_puts(&ob, "}}\n");
		if (!ob.overflow) {
			writer_put(cs->out, ob.buf, ob.len);
			wrote = true;
		}
	}
	if (!wrote) {
		cs->oom = true;
		/* never leave the JSON open */
		static const char tail[] = "\n],\"displayTimeUnit\":\"ns\"}\n";
		writer_put(cs->out, tail, sizeof(tail) - 1);
	}
	return sink_flush_report(cs->out, cs->oom, cs->out->name, "some trace events were not written");
}

static void chrome_destroy(void *self)
{
	struct chrome_sink *cs = self;
	hmap_free(&cs->tids);
	hmap_free(&cs->pids);
	linebuf_free(&cs->line);
	linebuf_free(&cs->join);
	free(cs);
}

struct sink *chrome_sink_new(struct writer *out, const struct run_meta *m)
{
	struct chrome_sink *cs = calloc(1, sizeof(*cs));
	if (!cs)
		return NULL;
	cs->out = out;
	hmap_init(&cs->tids, sizeof(struct cslot));
	hmap_init(&cs->pids, sizeof(struct cslot));
	if (m) {
		cs->meta_copy = *m;
		cs->meta = &cs->meta_copy;
	}
	cs->sink = (struct sink){ .self = cs, .syscall = chrome_syscall, .signal = chrome_signal,
				  .exited = chrome_exited, .superseded = chrome_superseded,
				  .process_end = chrome_process_end, .finish = chrome_finish,
				  .destroy = chrome_destroy };
	static const char head[] = "{\"traceEvents\":[\n";
	writer_put(out, head, sizeof(head) - 1);
	return &cs->sink;
}
