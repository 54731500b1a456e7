/* function_time_sink.c — per-function syscall time table. */
#include "function_time_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obuf.h"
#include "source.h"
#include "vec.h"
#include "diag.h"

struct fn_row {
	const char *function;  /* interned by the resolver, or NULL */
	const char *file;      /* interned, or NULL (unattributed) */
	uint64_t calls;
	uint64_t total_ns;
	uint64_t max_ns;
	/* The slowest call's name, held by value: rows move when the table
	 * grows and when it is sorted, so no pointer into a row survives. */
	char slowest[32];      /* "" until the first call */
};

struct fn_sink {
	struct sink sink;
	struct writer *out;
	struct fn_row *rows;
	size_t n, cap;
	bool oom;
};

static struct fn_row *row_for(struct fn_sink *s, const char *function, const char *file)
{
	/* Resolver strings are interned, so pointer equality is identity. A
	 * linear scan is fine: programs have few functions that make calls,
	 * and the last row hit is checked first. */
	if (s->n && s->rows[s->n - 1].function == function && s->rows[s->n - 1].file == file)
		return &s->rows[s->n - 1];
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i].function == function && s->rows[i].file == file)
			return &s->rows[i];
	if (!vec_grow(&s->rows, &s->cap, s->n + 1, sizeof(*s->rows)))
		return NULL;
	struct fn_row *r = &s->rows[s->n++];
	memset(r, 0, sizeof(*r));
	r->function = function;
	r->file = file;
	return r;
}

static void fn_syscall(void *self, const struct event *ev)
{
	struct fn_sink *s = self;
	if (!ev->finished)
		return;
	const char *fn = ev->source ? ev->source->function : NULL;
	const char *file = ev->source ? ev->source->file : NULL;
	struct fn_row *r = row_for(s, fn, file);
	if (!r) {
		s->oom = true;
		return;
	}
	r->calls++;
	r->total_ns += ev->duration_ns;
	if (ev->duration_ns >= r->max_ns) {
		r->max_ns = ev->duration_ns;
		snprintf(r->slowest, sizeof(r->slowest), "%s", ev->name);
	}
}

static int cmp_rows(const void *a, const void *b)
{
	const struct fn_row *x = a, *y = b;
	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	const char *nx = x->function ? x->function : "", *ny = y->function ? y->function : "";
	return strcmp(nx, ny);
}

static int fn_finish(void *self, const struct run_info *ri)
{
	(void)ri;
	struct fn_sink *s = self;
	qsort(s->rows, s->n, sizeof(*s->rows), cmp_rows);
	uint64_t total = 0;
	for (size_t i = 0; i < s->n; i++)
		total += s->rows[i].total_ns;
	char line[1024];
	struct obuf ob;
	obuf_init(&ob, line, sizeof(line));
	obuf_puts(&ob, "\nsyscall time by function (-s attribution)\n"
		       "% time     seconds     calls  slowest(us) syscall          function\n"
		       "------ ----------- --------- ------------ ---------------- ----------------\n");
	writer_put(s->out, ob.buf, ob.len);
	for (size_t i = 0; i < s->n; i++) {
		const struct fn_row *r = &s->rows[i];
		obuf_reset(&ob);
		double pct = total ? 100.0 * (double)r->total_ns / (double)total : 0.0;
		obuf_printf(&ob, "%6.2f %11.6f %9llu %12llu %-16s ", pct, (double)r->total_ns / 1e9,
			    (unsigned long long)r->calls, (unsigned long long)(r->max_ns / 1000),
			    r->slowest[0] ? r->slowest : "-");
		if (r->file)
			obuf_printf(&ob, "%s (%s)\n", r->function ? r->function : "?", r->file);
		else
			obuf_puts(&ob, "(no source location)\n");
		writer_put(s->out, ob.buf, ob.len);
	}
	if (s->oom)
		diag("--function-time: out of memory; some calls were not counted");
	return writer_flush(s->out) == 0 && !s->oom ? 0 : -1;
}

static void fn_destroy(void *self)
{
	struct fn_sink *s = self;
	free(s->rows);
	free(s);
}

struct sink *function_time_sink_new(struct writer *out)
{
	struct fn_sink *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->out = out;
	s->sink = (struct sink){ .self = s, .syscall = fn_syscall, .finish = fn_finish,
				 .destroy = fn_destroy };
	return &s->sink;
}
