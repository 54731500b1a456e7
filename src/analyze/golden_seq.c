/* golden_seq.c — the observable call sequence of a trace (golden.h): its
 * tasks and processes, the accessors, the sink that fills it from an
 * event stream and the loader that reads a saved trace into one. */
#include "golden_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "trace_reader.h"
#include "vec.h"

/* ------------------------------------------------------------------ */
/* The sequence                                                        */

struct golden_seq *golden_seq_new(void)
{
	struct golden_seq *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	if (golden_intern_add(&s->in, "", 0) != 0) {
		golden_seq_free(s);
		return NULL;
	}
	return s;
}

void golden_seq_free(struct golden_seq *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ntasks; i++)
		free(s->tasks[i].e);
	free(s->tasks);
	for (size_t i = 0; i < s->nprocs; i++) {
		golden_imap_free(&s->procs[i].fds);
		free(s->procs[i].ents);
		free(s->procs[i].used);
	}
	free(s->procs);
	golden_imap_free(&s->tid_task);
	golden_imap_free(&s->pid_proc);
	free(s->cls);
	sbuf_free(&s->tbuf);
	sbuf_free(&s->kbuf);
	golden_intern_free(&s->in);
	free(s);
}

size_t golden_seq_len(const struct golden_seq *s)
{
	return s ? s->len : 0;
}

uint64_t golden_seq_records(const struct golden_seq *s)
{
	return s ? s->records : 0;
}

bool golden_seq_has_source(const struct golden_seq *s)
{
	return s && s->has_source;
}

bool golden_seq_failed(const struct golden_seq *s)
{
	return s && s->failed;
}

long golden_proc_index(struct golden_seq *s, pid_t pid)
{
	uint32_t pi = golden_imap_get(&s->pid_proc, pid);
	if (pi != IMAP_ABSENT)
		return pi;
	if (!vec_grow(&s->procs, &s->pcap, s->nprocs + 1, sizeof(*s->procs)))
		return -1;
	if (golden_imap_put(&s->pid_proc, pid, (uint32_t)s->nprocs) != 0)
		return -1;
	struct proc *p = &s->procs[s->nprocs];
	memset(p, 0, sizeof(*p));
	p->ordinal = (uint32_t)s->nprocs + 1;
	p->hint = 1;
	p->in_prelude = true;
	return (long)s->nprocs++;
}

long golden_task_index(struct golden_seq *s, pid_t tid, struct proc *p)
{
	uint32_t ti = golden_imap_get(&s->tid_task, tid);
	if (ti != IMAP_ABSENT)
		return ti;
	if (!vec_grow(&s->tasks, &s->tcap, s->ntasks + 1, sizeof(*s->tasks)))
		return -1;
	char label[64];
	uint32_t thread = p ? ++p->nthreads : 1;
	if (s->ntasks == 0)
		label[0] = '\0';
	else if (thread <= 1)
		snprintf(label, sizeof(label), "[p%u] ", p ? p->ordinal : 1u);
	else
		snprintf(label, sizeof(label), "[p%u.t%u] ", p ? p->ordinal : 1u, thread);
	long lid = golden_intern_add(&s->in, label, strlen(label));
	if (lid < 0)
		return -1;
	if (golden_imap_put(&s->tid_task, tid, (uint32_t)s->ntasks) != 0)
		return -1;
	s->tasks[s->ntasks] = (struct task){ .label = (uint32_t)lid };
	return (long)s->ntasks++;
}

int golden_task_push(struct golden_seq *s, struct task *t, const struct elem *e)
{
	if (!vec_grow(&t->e, &t->cap, t->n + 1, sizeof(*t->e)))
		return -1;
	t->e[t->n++] = *e;
	s->len++;
	return 0;
}

int golden_seq_append(struct golden_seq *s, const char *text, const char *key)
{
	if (!s || !text)
		return -1;
	if (s->ntasks == 0 && golden_task_index(s, 0, NULL) < 0)
		goto oom;
	long t = golden_intern_add(&s->in, text, strlen(text));
	long k = key ? golden_intern_add(&s->in, key, strlen(key)) : t;
	if (t < 0 || k < 0)
		goto oom;
	struct elem e = { .text = (uint32_t)t, .key = (uint32_t)k, .record = s->records++ };
	if (golden_task_push(s, &s->tasks[0], &e) != 0)
		goto oom;
	return 0;
oom:
	s->failed = true;
	return -1;
}

int golden_seq_at(const struct golden_seq *s, size_t i, struct golden_call *out)
{
	if (!s || i >= s->len)
		return -1;
	for (size_t t = 0; t < s->ntasks; t++) {
		if (i < s->tasks[t].n) {
			const struct elem *e = &s->tasks[t].e[i];
			out->text = golden_intern_str(&s->in, e->text);
			out->key = golden_intern_str(&s->in, e->key);
			out->file = e->file ? golden_intern_str(&s->in, e->file) : NULL;
			out->line = e->line;
			out->function = e->fn ? golden_intern_str(&s->in, e->fn) : NULL;
			out->record = e->record;
			return 0;
		}
		i -= s->tasks[t].n;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* The sink                                                            */

struct gsink {
	struct sink sink;
	struct golden_seq *seq;
};

static void gs_syscall(void *self, const struct event *ev)
{
	struct gsink *g = self;
	golden_seq_event(g->seq, ev);
}

static int gs_finish(void *self, const struct run_info *ri)
{
	struct gsink *g = self;
	(void)ri;
	if (g->seq->failed) {
		diag("golden sequence: out of memory");
		return -1;
	}
	return 0;
}

static void gs_destroy(void *self)
{
	free(self);
}

struct sink *golden_seq_sink(struct golden_seq *s)
{
	if (!s)
		return NULL;
	struct gsink *g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->seq = s;
	g->sink.self = g;
	g->sink.syscall = gs_syscall;
	g->sink.finish = gs_finish;
	g->sink.destroy = gs_destroy;
	return &g->sink;
}

int golden_seq_load(const char *path, struct golden_seq **out, char *err, size_t errlen)
{
	*out = NULL;
	struct golden_seq *s = golden_seq_new();
	struct sink *sk = s ? golden_seq_sink(s) : NULL;
	if (!sk) {
		golden_seq_free(s);
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", path);
		return TRACE_ERR_NOMEM;
	}
	int rc = trace_read_file(path, &sk, 1, NULL, err, errlen);
	sk->destroy(sk->self);
	if (rc == TRACE_OK && s->failed) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", path);
		rc = TRACE_ERR_NOMEM;
	}
	if (rc != TRACE_OK) {
		golden_seq_free(s);
		return rc;
	}
	*out = s;
	return 0;
}
