/* metrics_runs.c — TightLoop: per thread, runs of consecutive identical
 * calls, and per process the histogram of their lengths. Definitions in
 * metrics.h. */
#include "metrics_int.h"

#include <string.h>

#include "source.h"
#include "vec.h"

static void hist_add(struct metrics *m, struct mproc *p, uint64_t len)
{
	size_t lo = 0, hi = p->nbins;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->bins[mid].len < len)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->nbins && p->bins[lo].len == len) {
		p->bins[lo].nruns++;
		return;
	}
	if (!vec_grow(&p->bins, &p->cbins, p->nbins + 1, sizeof(*p->bins))) {
		m->oom = true;
		return;
	}
	memmove(&p->bins[lo + 1], &p->bins[lo], (p->nbins - lo) * sizeof(*p->bins));
	p->bins[lo] = (struct runbin){len, 1};
	p->nbins++;
}

static void close_run(struct metrics *m, struct tstate *t)
{
	if (!t->len || !t->p)
		return;
	struct mproc *p = t->p;
	hist_add(m, p, t->len);
	if (t->len > p->longest_run) {
		p->longest_run = t->len;
		p->longest_nid = t->nid;
		p->longest_tid = t->tid;
		p->longest_file = t->file;
		p->longest_line = t->line;
	}
	t->len = 0;
}

static struct tstate *tstate_of(struct metrics *m, pid_t tid)
{
	long i = metrics_index_find(&m->tidmap, tid);
	if (i >= 0)
		return &m->ts[i];
	if (!vec_grow(&m->ts, &m->cts, m->nts + 1, sizeof(*m->ts)) ||
	    !metrics_index_set(&m->tidmap, tid, (uint32_t)m->nts)) {
		m->oom = true;
		return NULL;
	}
	struct tstate *t = &m->ts[m->nts++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	return t;
}

/* An rle record (event.h) of N calls extends the current run by N or
 * starts one of length N: its calls are identical under this key too
 * (src/output/rle.h uses a stricter one). */
void runs_on_call(struct metrics *m, struct mproc *p, const struct event *ev, uint32_t nid, const struct nstat *s)
{
	struct tstate *t = tstate_of(m, ev->tid);
	if (!t)
		return;
	uint64_t k0 = (s->fdmask & 1) ? ev->raw_args[0] : 0;
	uint64_t k1 = s->kind == K_IOCTL ? ev->raw_args[1] : 0;
	uint64_t n = event_calls(ev);
	if (t->len && t->p == p && t->nid == nid && t->k0 == k0 && t->k1 == k1) {
		t->len += n;
		return;
	}
	close_run(m, t);
	t->p = p;
	t->nid = nid;
	t->k0 = k0;
	t->k1 = k1;
	t->len = n;
	t->file = ev->source && ev->source->file ? metrics_intern(m, ev->source->file) : NULL;
	t->line = ev->source && ev->source->file ? ev->source->line : 0;
}

void runs_settle(struct metrics *m)
{
	for (size_t i = 0; i < m->nts; i++)
		close_run(m, &m->ts[i]);
}
/* ------------------------------------------------------------------ */
/* Query                                                               */

void metrics_tight_loop(struct metrics *m, const regex_t *sel, uint64_t min_run, struct loop_info *out)
{
	memset(out, 0, sizeof(*out));
	runs_settle(m);
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		if (!mproc_selected(m, p, sel))
			continue;
		out->calls += p->calls;
		for (size_t b = 0; b < p->nbins; b++)
			if (p->bins[b].len >= min_run)
				out->in_runs += p->bins[b].len * p->bins[b].nruns;
		if (p->longest_run > out->longest) {
			out->longest = p->longest_run;
			out->longest_name = metrics_nid_name(m, p->longest_nid);
			out->longest_tid = p->longest_tid;
			out->src_file = p->longest_file;
			out->src_line = p->longest_line;
		}
	}
	if (out->calls)
		out->confidence = (double)out->in_runs / (double)out->calls;
}
