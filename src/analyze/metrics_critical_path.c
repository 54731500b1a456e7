/* metrics_critical_path.c — the critical path through the process tree:
 * each process keeps the longest call of every stretch between its
 * fork/wait edges, and the query walks the edges backwards from the
 * process that ended last (the algorithm is defined in metrics.h). */
#include "metrics_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "vec.h"

/* ------------------------------------------------------------------ */
/* The longest call of each stretch                                    */

static struct piece *cur_piece(struct metrics *m, struct mproc *p)
{
	if (!p->npieces) {
		if (!vec_grow(&p->pieces, &p->cpieces, 1, sizeof(*p->pieces))) {
			m->oom = true;
			return NULL;
		}
		p->pieces[0] = (struct piece){.nid = NONE};
		p->npieces = 1;
	}
	return &p->pieces[p->npieces - 1];
}

static void new_piece(struct metrics *m, struct mproc *p)
{
	if (!cur_piece(m, p))
		return;
	if (p->pieces[p->npieces - 1].nid == NONE)
		return; /* the current one is still empty */
	if (!vec_grow(&p->pieces, &p->cpieces, p->npieces + 1, sizeof(*p->pieces))) {
		m->oom = true;
		return;
	}
	p->pieces[p->npieces++] = (struct piece){.nid = NONE};
}

void cp_note_call(struct metrics *m, struct mproc *p, const struct event *ev, uint32_t nid, uint64_t longest,
		  bool edge)
{
	if (edge) {
		new_piece(m, p);
		return;
	}
	if (!ev->finished)
		return;
	const char *file = ev->source && ev->source->file ? ev->source->file : NULL;
	struct piece *pc = cur_piece(m, p);
	if (pc && (pc->nid == NONE || longest > pc->dur)) {
		pc->nid = nid;
		pc->ts = ev->ts_ns;
		pc->dur = longest;
		pc->file = file ? metrics_intern(m, file) : NULL;
		pc->line = file ? ev->source->line : 0;
	}
}

/* ------------------------------------------------------------------ */
/* Query                                                               */

/* Longest recorded call of p overlapping [a, b]. */
static void seg_longest(struct metrics *m, const struct mproc *p, struct cp_segment *s)
{
	const struct piece *best = NULL;
	for (size_t i = 0; i < p->npieces; i++) {
		const struct piece *pc = &p->pieces[i];
		if (pc->nid == NONE || !pc->dur)
			continue;
		uint64_t x = pc->ts > s->start_ns ? pc->ts : s->start_ns;
		uint64_t y = pc->ts + pc->dur < s->end_ns ? pc->ts + pc->dur : s->end_ns;
		if (y <= x)
			continue;
		if (!best || pc->dur > best->dur)
			best = pc;
	}
	if (best) {
		s->longest = metrics_nid_name(m, best->nid);
		s->longest_ns = best->dur;
		s->src_file = best->file;
		s->src_line = best->line;
	}
}

static bool push_seg(struct metrics *m, struct critical_path *cp, size_t *cap, const struct mproc *p,
		     uint64_t a, uint64_t b, const char *label)
{
	if (!vec_grow(&cp->seg, cap, cp->nseg + 1, sizeof(*cp->seg)))
		return false;
	struct cp_segment *s = &cp->seg[cp->nseg++];
	memset(s, 0, sizeof(*s));
	s->start_ns = a;
	s->end_ns = b;
	if (p) {
		s->pid = p->pid;
		s->exe = mproc_exe(m, p);
		seg_longest(m, p, s);
	} else {
		s->exe = label ? label : "?";
	}
	return true;
}

static uint64_t clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int metrics_critical_path(struct metrics *m, const regex_t *roots, struct critical_path *cp)
{
	memset(cp, 0, sizeof(*cp));
	runs_settle(m);
	mproc_index_waits(m);
	/* Membership: matches, or a descendant of a match. */
	size_t n = 0;
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		p->in_tree = false;
		p->used_down = p->used_up = false;
		if (!mproc_real(p))
			continue;
		const struct mproc *q = p;
		for (size_t steps = 0; q && steps <= m->nprocs; steps++, q = mproc_parent(m, q)) {
			if (!roots || regexec(roots, mproc_exe(m, q), 0, NULL, 0) == 0) {
				p->in_tree = true;
				break;
			}
		}
		n += p->in_tree;
	}
	if (!n)
		return 1;
	cp->nprocs = n;
	struct mproc *last = NULL;
	bool first = true;
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		if (!p->in_tree)
			continue;
		uint64_t s = mproc_start(p), e = mproc_end(p);
		if (first || s < cp->start_ns)
			cp->start_ns = s;
		if (first || e > cp->end_ns) {
			cp->end_ns = e;
			last = p;
		}
		first = false;
	}
	if (cp->end_ns < cp->start_ns)
		cp->end_ns = cp->start_ns;

	/* Walk backwards (see metrics.h), collecting segments latest first. */
	size_t cap = 0;
	uint64_t t0 = cp->start_ns, cursor = cp->end_ns;
	struct mproc *p = last;
	for (size_t steps = 0; p && steps <= 2 * m->nprocs + 1; steps++) {
		struct mproc *best = NULL;
		for (struct mproc *c = p->first_waited; c; c = c->next_waited) {
			if (!c->in_tree || c->used_down || c == p || c->wait_ret > cursor ||
			    mproc_end(c) <= c->wait_entry)
				continue;
			if (!best || c->wait_ret > best->wait_ret ||
			    (c->wait_ret == best->wait_ret && mproc_end(c) > mproc_end(best)))
				best = c;
		}
		if (best) {
			uint64_t h = clamp(mproc_end(best), t0, cursor);
			if (!push_seg(m, cp, &cap, p, h, cursor, NULL))
				goto oom;
			best->used_down = true;
			cursor = h;
			p = best;
			continue;
		}
		/* Up to the parent at the fork's return; without a fork edge
		 * (fork not traced), at the child's start. */
		struct mproc *q = mproc_parent(m, p);
		if (q && q->in_tree && !p->used_up) {
			uint64_t b = clamp(q == p->fparent ? p->fork_ts : mproc_start(p), t0, cursor);
			if (!push_seg(m, cp, &cap, p, b, cursor, NULL))
				goto oom;
			p->used_up = true;
			cursor = b;
			p = q;
			continue;
		}
		uint64_t s = clamp(mproc_start(p), t0, cursor);
		if (!push_seg(m, cp, &cap, p, s, cursor, NULL))
			goto oom;
		cursor = s;
		p = NULL;
	}
	if (cursor > t0) {
		char label[64];
		snprintf(label, sizeof(label), "(before pid %ld)",
			 cp->nseg ? (long)cp->seg[cp->nseg - 1].pid : 0L);
		const char *l = metrics_intern(m, label);
		if (!l || !push_seg(m, cp, &cap, NULL, t0, cursor, l))
			goto oom;
	}
	/* Chronological order; merge neighbours of the same process and drop
	 * empty segments (keeping at least one). */
	for (size_t i = 0; i < cp->nseg / 2; i++) {
		struct cp_segment t = cp->seg[i];
		cp->seg[i] = cp->seg[cp->nseg - 1 - i];
		cp->seg[cp->nseg - 1 - i] = t;
	}
	size_t w = 0;
	for (size_t i = 0; i < cp->nseg; i++) {
		struct cp_segment *s = &cp->seg[i];
		if (s->end_ns == s->start_ns && cp->nseg > 1)
			continue;
		if (w && cp->seg[w - 1].pid == s->pid && cp->seg[w - 1].exe == s->exe) {
			struct cp_segment *d = &cp->seg[w - 1];
			d->end_ns = s->end_ns;
			if (s->longest && (!d->longest || s->longest_ns > d->longest_ns)) {
				d->longest = s->longest;
				d->longest_ns = s->longest_ns;
				d->src_file = s->src_file;
				d->src_line = s->src_line;
			}
			continue;
		}
		cp->seg[w++] = *s;
	}
	if (w == 0 && cp->nseg)
		w = 1;
	cp->nseg = w;
	return 0;
oom:
	critical_path_free(cp);
	return -1;
}

void critical_path_free(struct critical_path *cp)
{
	free(cp->seg);
	cp->seg = NULL;
	cp->nseg = 0;
}
