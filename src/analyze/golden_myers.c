/* golden_myers.c — the alignment of two golden sequences (golden_diff).
 *
 * The two key sequences are mapped to one integer id space (keys are
 * compared as strings once per distinct key, then elements are compared as
 * integers) and aligned with Myers' linear-space O((N+M)D) algorithm:
 * strip the common prefix and suffix, find the middle snake by searching
 * forward and backward at once, recurse on both halves. The diagonal
 * arrays grow with d, so memory is O(D), not O(N+M). A work counter
 * (diagonal steps + element comparisons) bounds the time; once it is
 * spent, every sub-problem not yet aligned becomes one replaced block,
 * which keeps the alignment valid and makes lcs a lower bound. */
#include "golden_int.h"

#include <stdlib.h>
#include <string.h>

#include "vec.h"

/* ------------------------------------------------------------------ */
/* Alignment                                                           */

/* One step of the alignment: n equal, deleted or inserted elements. */
enum op_kind { OP_EQ, OP_DEL, OP_INS };

struct op {
	enum op_kind kind;
	size_t n;
};

struct differ {
	const uint32_t *a, *b;  /* keys */
	uint64_t work, max_work;
	bool aborted;
	bool oom;
	/* diagonal arrays, index k in [-cap, cap] at v + cap */
	long *vf, *vb;
	long cap;
	long touched;       /* largest |k| written in the current bisect */
	/* the alignment, in order (O(D) entries) */
	struct op *ops;
	size_t nops, opcap;
};

static void push_op(struct differ *d, enum op_kind kind, size_t n)
{
	if (!n || d->oom)
		return;
	if (d->nops && d->ops[d->nops - 1].kind == kind) {
		d->ops[d->nops - 1].n += n;
		return;
	}
	if (!vec_grow(&d->ops, &d->opcap, d->nops + 1, sizeof(*d->ops))) {
		d->oom = true;
		return;
	}
	d->ops[d->nops++] = (struct op){ .kind = kind, .n = n };
}

static void emit_equal(struct differ *d, size_t n)
{
	push_op(d, OP_EQ, n);
}

static void emit_change(struct differ *d, size_t na, size_t nb)
{
	push_op(d, OP_DEL, na);
	push_op(d, OP_INS, nb);
}

/* Make room for diagonals [-need, need]. */
static int ensure_cap(struct differ *d, long need)
{
	if (need <= d->cap)
		return 0;
	long nc = d->cap ? d->cap : 64;
	while (nc < need)
		nc *= 2;
	size_t n = (size_t)(2 * nc + 1);
	long *nf = malloc(n * sizeof(long));
	long *nb = malloc(n * sizeof(long));
	if (!nf || !nb) {
		free(nf);
		free(nb);
		d->oom = true;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		nf[i] = nb[i] = -1;
	if (d->cap) {
		memcpy(nf + (nc - d->cap), d->vf, (size_t)(2 * d->cap + 1) * sizeof(long));
		memcpy(nb + (nc - d->cap), d->vb, (size_t)(2 * d->cap + 1) * sizeof(long));
	}
	free(d->vf);
	free(d->vb);
	d->vf = nf;
	d->vb = nb;
	d->cap = nc;
	return 0;
}

#define VF(k) (d->vf[(k) + d->cap])
#define VB(k) (d->vb[(k) + d->cap])

static void diff_range(struct differ *d, size_t a0, size_t n, size_t b0, size_t m);

/* The middle snake of a[a0..a0+n) / b[b0..b0+m) (both non-empty, first
 * and last elements differ): sets *sx, *sy to a split point on an optimal
 * path. Returns 1 found, 0 aborted (budget or OOM). */
static int bisect(struct differ *d, size_t a0, long n, size_t b0, long m, long *sx, long *sy)
{
	const uint32_t *a = d->a + a0, *b = d->b + b0;
	long max_d = (n + m + 1) / 2;
	long delta = n - m;
	bool front = (delta & 1) != 0;
	long k1start = 0, k1end = 0, k2start = 0, k2end = 0;
	int found = 0;

	if (ensure_cap(d, 2) != 0)
		return 0;
	d->touched = 1;
	VF(1) = 0;
	VB(1) = 0;
	for (long dd = 0; dd < max_d && !found; dd++) {
		if (d->work > d->max_work) {
			d->aborted = true;
			break;
		}
		if (ensure_cap(d, dd + 2) != 0)
			break;
		if (dd + 1 > d->touched)
			d->touched = dd + 1;
		/* forward path */
		for (long k1 = -dd + k1start; k1 <= dd - k1end; k1 += 2) {
			long x1;
			if (k1 == -dd || (k1 != dd && VF(k1 - 1) < VF(k1 + 1)))
				x1 = VF(k1 + 1);
			else
				x1 = VF(k1 - 1) + 1;
			long y1 = x1 - k1;
			long x0 = x1;
			while (x1 < n && y1 < m && a[x1] == b[y1]) {
				x1++;
				y1++;
			}
			d->work += 1 + (uint64_t)(x1 - x0);
			VF(k1) = x1;
			if (x1 > n) {
				k1end += 2;
			} else if (y1 > m) {
				k1start += 2;
			} else if (front) {
				long k2 = delta - k1;
				if (k2 >= -d->cap && k2 <= d->cap && VB(k2) != -1) {
					long x2 = n - VB(k2);
					if (x1 >= x2) {
						*sx = x1;
						*sy = y1;
						found = 1;
						break;
					}
				}
			}
		}
		if (found)
			break;
		/* reverse path */
		for (long k2 = -dd + k2start; k2 <= dd - k2end; k2 += 2) {
			long x2;
			if (k2 == -dd || (k2 != dd && VB(k2 - 1) < VB(k2 + 1)))
				x2 = VB(k2 + 1);
			else
				x2 = VB(k2 - 1) + 1;
			long y2 = x2 - k2;
			long x0 = x2;
			while (x2 < n && y2 < m && a[n - x2 - 1] == b[m - y2 - 1]) {
				x2++;
				y2++;
			}
			d->work += 1 + (uint64_t)(x2 - x0);
			VB(k2) = x2;
			if (x2 > n) {
				k2end += 2;
			} else if (y2 > m) {
				k2start += 2;
			} else if (!front) {
				long k1 = delta - k2;
				if (k1 >= -d->cap && k1 <= d->cap && VF(k1) != -1) {
					long x1 = VF(k1);
					long y1 = x1 - k1;
					if (x1 >= n - x2) {
						*sx = x1;
						*sy = y1;
						found = 1;
						break;
					}
				}
			}
		}
	}
	/* reset what this bisect wrote */
	long t = d->touched + 1;
	if (t > d->cap)
		t = d->cap;
	for (long k = -t; k <= t; k++) {
		VF(k) = -1;
		VB(k) = -1;
	}
	if (!found && !d->aborted && !d->oom) {
		/* no common element at all */
		*sx = -1;
		*sy = -1;
		return 2;
	}
	return found;
}

static void diff_range(struct differ *d, size_t a0, size_t n, size_t b0, size_t m)
{
	/* common prefix */
	size_t pre = 0;
	while (pre < n && pre < m && d->a[a0 + pre] == d->b[b0 + pre])
		pre++;
	d->work += pre;
	emit_equal(d, pre);
	a0 += pre;
	b0 += pre;
	n -= pre;
	m -= pre;
	/* common suffix */
	size_t suf = 0;
	while (suf < n && suf < m && d->a[a0 + n - 1 - suf] == d->b[b0 + m - 1 - suf])
		suf++;
	d->work += suf;
	n -= suf;
	m -= suf;

	if (n == 0 || m == 0 || d->aborted || d->oom) {
		emit_change(d, n, m);
	} else {
		long sx, sy;
		int r = bisect(d, a0, (long)n, b0, (long)m, &sx, &sy);
		if (r == 1 && (sx > 0 || sy > 0) && ((size_t)sx < n || (size_t)sy < m)) {
			diff_range(d, a0, (size_t)sx, b0, (size_t)sy);
			diff_range(d, a0 + (size_t)sx, n - (size_t)sx, b0 + (size_t)sy, m - (size_t)sy);
		} else {
			if (r == 1)
				d->aborted = true; /* a degenerate split: cannot happen; stay safe */
			emit_change(d, n, m);
		}
	}
	emit_equal(d, suf);
}

/* Flatten a seq's keys (or texts) into ids of a space shared by both
 * seqs: equal strings get equal ids. MAP: this seq's intern id -> shared
 * id (UINT32_MAX = not yet); REF/REF_MAP: the other seq, already done. */
static uint32_t *flatten(const struct golden_seq *s, bool texts, const struct golden_seq *ref,
			 const uint32_t *ref_map, uint32_t *map, uint32_t *next_id)
{
	uint32_t *out = malloc((s->len ? s->len : 1) * sizeof(uint32_t));
	if (!out)
		return NULL;
	size_t j = 0;
	for (size_t t = 0; t < s->ntasks; t++) {
		for (size_t i = 0; i < s->tasks[t].n; i++) {
			uint32_t k = texts ? s->tasks[t].e[i].text : s->tasks[t].e[i].key;
			if (map[k] == UINT32_MAX) {
				long rid = -1;
				if (ref) {
					const struct istr *is = &s->in.strs[k];
					rid = golden_intern_find(&ref->in, s->in.arena + is->off, is->len, is->hash);
				}
				if (rid >= 0 && ref_map[rid] != UINT32_MAX)
					map[k] = ref_map[rid];
				else
					map[k] = (*next_id)++;
			}
			out[j++] = map[k];
		}
	}
	return out;
}

/* Shared ids for both seqs; 0 or -1 (OOM). */
static int flatten_pair(const struct golden_seq *a, const struct golden_seq *b, bool texts, uint32_t **fa,
			uint32_t **fb)
{
	uint32_t *map_a = malloc((a->in.nstrs ? a->in.nstrs : 1) * sizeof(uint32_t));
	uint32_t *map_b = malloc((b->in.nstrs ? b->in.nstrs : 1) * sizeof(uint32_t));
	uint32_t next_id = 0;
	*fa = *fb = NULL;
	if (map_a && map_b) {
		memset(map_a, 0xff, a->in.nstrs * sizeof(uint32_t));
		memset(map_b, 0xff, b->in.nstrs * sizeof(uint32_t));
		*fa = flatten(a, texts, NULL, NULL, map_a, &next_id);
		if (*fa)
			*fb = flatten(b, texts, a, map_a, map_b, &next_id);
	}
	free(map_a);
	free(map_b);
	if (!*fa || !*fb) {
		free(*fa);
		free(*fb);
		*fa = *fb = NULL;
		return -1;
	}
	return 0;
}

/* Slide each pure insertion or deletion along the runs of equal keys
 * around it (which keeps every key match, so the LCS) to where most of
 * the matched pairs also have equal texts: an extra write among writes is
 * shown as the write that was added, not as the last one of a run.
 * OPS starts and ends with an OP_EQ (possibly empty) and never has two
 * OP_EQ in a row. KA/KB keys, TA/TB texts. */
static void slide_hunks(struct op *ops, size_t nops, const uint32_t *ka, const uint32_t *kb, const uint32_t *ta,
			const uint32_t *tb)
{
	size_t pa = 0, pb = 0;
	for (size_t i = 0; i < nops; i++) {
		struct op *o = &ops[i];
		if (o->kind == OP_EQ) {
			pa += o->n;
			pb += o->n;
			continue;
		}
		bool pure = i > 0 && i + 1 < nops && ops[i - 1].kind == OP_EQ && ops[i + 1].kind == OP_EQ;
		if (!pure) {
			if (o->kind == OP_DEL)
				pa += o->n;
			else
				pb += o->n;
			continue;
		}
		/* The block X[px, px+L) has no counterpart in Y at py; X and Y
		 * are (a, b) for a deletion and (b, a) for an insertion. */
		bool del = o->kind == OP_DEL;
		const uint32_t *kx = del ? ka : kb, *tx = del ? ta : tb, *ty = del ? tb : ta;
		size_t px = del ? pa : pb, py = del ? pb : pa, L = o->n;
		size_t before = ops[i - 1].n, after = ops[i + 1].n;
		long score = 0, best = 0, best_t = 0;
		/* up by j: X[px+L-j] takes over Y[py-j] from X[px-j] */
		for (size_t j = 1; j <= before && kx[px + L - j] == kx[px - j]; j++) {
			score += (long)(tx[px + L - j] == ty[py - j]) - (long)(tx[px - j] == ty[py - j]);
			if (score > best) {
				best = score;
				best_t = -(long)j;
			}
		}
		/* down by j: X[px+j-1] takes over Y[py+j-1] from X[px+L+j-1] */
		score = 0;
		for (size_t j = 1; j <= after && kx[px + j - 1] == kx[px + L + j - 1]; j++) {
			score += (long)(tx[px + j - 1] == ty[py + j - 1]) - (long)(tx[px + L + j - 1] == ty[py + j - 1]);
			if (score > best) {
				best = score;
				best_t = (long)j;
			}
		}
		ops[i - 1].n = (size_t)((long)before + best_t);
		ops[i + 1].n = (size_t)((long)after - best_t);
		/* positions after the block */
		size_t nx = (size_t)((long)px + best_t) + L, ny = (size_t)((long)py + best_t);
		pa = del ? nx : ny;
		pb = del ? ny : nx;
	}
}

void golden_diff_free(struct golden_diff *d)
{
	if (!d)
		return;
	free(d->hunks);
	d->hunks = NULL;
	d->nkept = 0;
}

int golden_diff(const struct golden_seq *a, const struct golden_seq *b, const struct golden_diff_opts *opts,
		struct golden_diff *out)
{
	memset(out, 0, sizeof(*out));
	size_t max_hunks = opts ? opts->max_hunks : 0;
	uint64_t max_work = opts && opts->max_work ? opts->max_work : GOLDEN_DEFAULT_MAX_WORK;
	struct differ d = { .max_work = max_work };
	uint32_t *fa = NULL, *fb = NULL, *ta = NULL, *tb = NULL;
	struct golden_hunk *hunks = NULL;
	int rc = -1;

	if (max_hunks) {
		hunks = calloc(max_hunks, sizeof(*hunks));
		if (!hunks)
			goto done;
	}
	if (flatten_pair(a, b, false, &fa, &fb) != 0)
		goto done;
	d.a = fa;
	d.b = fb;
	diff_range(&d, 0, a->len, 0, b->len);
	if (d.oom)
		goto done;
	if (d.nops > 1) {
		/* bracket the ops with equal runs, then slide */
		if (d.ops[0].kind != OP_EQ || d.ops[d.nops - 1].kind != OP_EQ) {
			struct op *no = malloc((d.nops + 2) * sizeof(*no));
			if (!no)
				goto done;
			size_t k = 0;
			if (d.ops[0].kind != OP_EQ)
				no[k++] = (struct op){ .kind = OP_EQ, .n = 0 };
			memcpy(no + k, d.ops, d.nops * sizeof(*no));
			k += d.nops;
			if (d.ops[d.nops - 1].kind != OP_EQ)
				no[k++] = (struct op){ .kind = OP_EQ, .n = 0 };
			free(d.ops);
			d.ops = no;
			d.nops = d.opcap = k;
		}
		if (flatten_pair(a, b, true, &ta, &tb) != 0)
			goto done;
		slide_hunks(d.ops, d.nops, fa, fb, ta, tb);
	}
	/* hunks: maximal runs of non-equal ops (a slide may have emptied an
	 * equal run and joined two) */
	size_t ia = 0, ib = 0, lcs = 0, nh = 0, nkept = 0;
	bool in_hunk = false;
	for (size_t i = 0; i < d.nops; i++) {
		const struct op *o = &d.ops[i];
		if (!o->n)
			continue;
		if (o->kind == OP_EQ) {
			in_hunk = false;
			ia += o->n;
			ib += o->n;
			lcs += o->n;
			continue;
		}
		if (!in_hunk) {
			in_hunk = true;
			nh++;
			if (nkept < max_hunks)
				hunks[nkept++] = (struct golden_hunk){ .a_start = ia, .b_start = ib };
		}
		if (nkept && nh == nkept) {
			if (o->kind == OP_DEL)
				hunks[nkept - 1].a_len += o->n;
			else
				hunks[nkept - 1].b_len += o->n;
		}
		if (o->kind == OP_DEL)
			ia += o->n;
		else
			ib += o->n;
	}
	out->len_a = a->len;
	out->len_b = b->len;
	out->lcs = lcs;
	out->exact = !d.aborted;
	out->work = d.work;
	out->nhunks = nh;
	out->hunks = hunks;
	out->nkept = nkept;
	hunks = NULL;
	out->similarity = a->len + b->len ? 2.0 * (double)lcs / (double)(a->len + b->len) : 1.0;
	rc = 0;
done:
	free(d.vf);
	free(d.vb);
	free(d.ops);
	free(hunks);
	free(fa);
	free(fb);
	free(ta);
	free(tb);
	if (rc != 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

double golden_similarity(const struct golden_seq *a, const struct golden_seq *b)
{
	struct golden_diff d;
	if (golden_diff(a, b, NULL, &d) != 0)
		return -1.0;
	double s = d.similarity;
	golden_diff_free(&d);
	return s;
}
