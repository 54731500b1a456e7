/* summary_sink.c — feeds completed calls into a struct summary. */
#include "summary_sink.h"
#include "diag.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct summary_sink {
	struct sink sink;
	struct summary *sum;
	struct writer *out;
	const struct filter *filter;
	enum summary_sort sort;
	uint64_t overhead_ns;
	bool oom;
};

static void sum_syscall(void *self, const struct event *ev)
{
	struct summary_sink *s = self;
	/* strace -c counts calls that returned; those that never did
	 * (exit_group, a killed task) have no time to count. */
	if (!ev->finished)
		return;
	unsigned st = ev->err ? ST_FAILED : ST_SUCCESSFUL;
	if (!(s->filter->status & st))
		return;
	uint64_t calls = event_calls(ev), ns = event_total_ns(ev);
	uint64_t off = s->overhead_ns * calls;
	ns = ns > off ? ns - off : 0;
	if (summary_add_n(s->sum, ev->nr, ev->name, calls, ev->err != 0, ns) != 0)
		s->oom = true;
}

static int sum_finish(void *self, const struct run_info *ri)
{
	(void)ri;
	struct summary_sink *s = self;
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem) {
		diag("summary: %s", strerror(errno));
		return -1;
	}
	int rc = summary_print(s->sum, s->sort, mem);
	if (fclose(mem) != 0)
		rc = -1;
	if (rc == 0)
		writer_put(s->out, text, len);
	free(text);
	if (s->oom) {
		diag("summary: out of memory; some calls were not counted");
		rc = -1;
	}
	return writer_flush(s->out) == 0 ? rc : -1;
}

void summary_sink_set_overhead(struct sink *sink, uint64_t ns)
{
	struct summary_sink *s = sink->self;
	s->overhead_ns = ns;
}

static void sum_destroy(void *self)
{
	struct summary_sink *s = self;
	summary_free(s->sum);
	free(s);
}

struct sink *summary_sink_new(struct writer *out, const struct filter *filter, enum summary_sort sort)
{
	struct summary_sink *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->sum = summary_new();
	if (!s->sum) {
		free(s);
		return NULL;
	}
	s->out = out;
	s->filter = filter;
	s->sort = sort;
	s->sink = (struct sink){ .self = s, .syscall = sum_syscall, .finish = sum_finish,
				 .destroy = sum_destroy };
	return &s->sink;
}
