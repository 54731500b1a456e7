/* metrics_memory.c — allocations: per process, the set of live anonymous
 * mappings (mmap/munmap/mremap) and the brk heap, and the peak over time
 * of their sum over live processes. Definitions in metrics.h. */
#include "metrics_int.h"

#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "vec.h"

static uint64_t page_up(uint64_t n)
{
	return (n + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

/* First interval with b > a. */
static size_t iv_lower(const struct mproc *p, uint64_t a)
{
	size_t lo = 0, hi = p->niv;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->iv[mid].b > a)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static uint64_t iv_overlap(const struct mproc *p, uint64_t a, uint64_t b)
{
	uint64_t sum = 0;
	for (size_t i = iv_lower(p, a); i < p->niv && p->iv[i].a < b; i++) {
		uint64_t x = p->iv[i].a > a ? p->iv[i].a : a;
		uint64_t y = p->iv[i].b < b ? p->iv[i].b : b;
		sum += y - x;
	}
	return sum;
}

/* Remove [a, b) from the set; false on out-of-memory (set unchanged). */
static bool iv_remove(struct metrics *m, struct mproc *p, uint64_t a, uint64_t b)
{
	size_t lo = iv_lower(p, a), hi = lo;
	uint64_t removed = 0;
	while (hi < p->niv && p->iv[hi].a < b) {
		uint64_t x = p->iv[hi].a > a ? p->iv[hi].a : a;
		uint64_t y = p->iv[hi].b < b ? p->iv[hi].b : b;
		removed += y - x;
		hi++;
	}
	if (lo == hi)
		return true;
	struct ival keep[2];
	size_t nk = 0;
	if (p->iv[lo].a < a)
		keep[nk++] = (struct ival){p->iv[lo].a, a};
	if (p->iv[hi - 1].b > b)
		keep[nk++] = (struct ival){b, p->iv[hi - 1].b};
	size_t nnew = p->niv - (hi - lo) + nk;
	if (!vec_grow(&p->iv, &p->civ, nnew, sizeof(*p->iv))) {
		m->oom = true;
		return false;
	}
	memmove(&p->iv[lo + nk], &p->iv[hi], (p->niv - hi) * sizeof(*p->iv));
	memcpy(&p->iv[lo], keep, nk * sizeof(*keep));
	p->niv = nnew;
	p->anon -= removed;
	return true;
}

/* Add [a, b), which must not overlap the set, merging touching neighbours. */
static void iv_add(struct metrics *m, struct mproc *p, uint64_t a, uint64_t b)
{
	if (a >= b)
		return;
	size_t i = iv_lower(p, a);
	bool left = i > 0 && p->iv[i - 1].b == a;
	bool right = i < p->niv && p->iv[i].a == b;
	if (left && right) {
		p->iv[i - 1].b = p->iv[i].b;
		memmove(&p->iv[i], &p->iv[i + 1], (p->niv - i - 1) * sizeof(*p->iv));
		p->niv--;
	} else if (left) {
		p->iv[i - 1].b = b;
	} else if (right) {
		p->iv[i].a = a;
	} else {
		if (!vec_grow(&p->iv, &p->civ, p->niv + 1, sizeof(*p->iv))) {
			m->oom = true;
			return;
		}
		memmove(&p->iv[i + 1], &p->iv[i], (p->niv - i) * sizeof(*p->iv));
		p->iv[i] = (struct ival){a, b};
		p->niv++;
	}
	p->anon += b - a;
}

/* Recompute p's share of the live sum after a change made by ev. */
void mem_update(struct metrics *m, struct mproc *p, const struct event *ev, uint32_t nid)
{
	uint64_t heap = p->brk_set && p->brk_end > p->brk_base ? p->brk_end - p->brk_base : 0;
	uint64_t c = p->mem_dead ? 0 : p->anon + heap;
	m->mem_cur = m->mem_cur - p->contrib + c;
	p->contrib = c;
	if (m->mem_cur > m->mem_peak && ev) {
		m->mem_peak = m->mem_cur;
		m->peak_ts = ev->ts_ns + ev->duration_ns;
		m->peak_pid = p->pid;
		m->peak_nid = nid;
		m->peak_file = ev->source && ev->source->file ? metrics_intern(m, ev->source->file) : NULL;
		m->peak_line = ev->source && ev->source->file ? ev->source->line : 0;
	}
}

void mem_clear(struct mproc *p)
{
	free(p->iv);
	p->iv = NULL;
	p->niv = p->civ = 0;
	p->anon = 0;
	p->brk_set = false;
	p->brk_base = p->brk_end = 0;
}

void mem_kill(struct metrics *m, struct mproc *p)
{
	if (p->mem_dead)
		return;
	p->mem_dead = true;
	mem_clear(p);
	mem_update(m, p, NULL, NONE);
}

void mem_on_call(struct metrics *m, struct mproc *p, const struct event *ev, enum kind k, uint32_t nid)
{
	if (p->mem_dead || !metrics_call_ok(ev))
		return;
	const uint64_t *a = ev->raw_args;
	uint64_t res = (uint64_t)ev->result;
	switch (k) {
	case K_MMAP: {
		uint64_t len = page_up(a[1]);
		if (!a[1] || a[1] > MAX_LEN || res + len < res)
			return;
		if (!iv_remove(m, p, res, res + len))
			return;
		if (a[3] & MAP_ANON_FLAG)
			iv_add(m, p, res, res + len);
		break;
	}
	case K_MUNMAP: {
		uint64_t len = page_up(a[1]);
		if (a[1] > MAX_LEN || a[0] + len < a[0])
			return;
		iv_remove(m, p, a[0], a[0] + len);
		break;
	}
	case K_MREMAP: {
		uint64_t olen = page_up(a[1]), nlen = page_up(a[2]);
		if (a[1] > MAX_LEN || a[2] > MAX_LEN || a[0] + olen < a[0] || res + nlen < res)
			return;
		bool anon = olen && iv_overlap(p, a[0], a[0] + olen) > 0;
		if (!(a[3] & MREMAP_DONTUNMAP_FLAG) && !iv_remove(m, p, a[0], a[0] + olen))
			return;
		if (anon && iv_remove(m, p, res, res + nlen))
			iv_add(m, p, res, res + nlen);
		break;
	}
	case K_BRK:
		if (!ev->finished || !ev->result)
			return;
		if (!p->brk_set) {
			p->brk_set = true;
			p->brk_base = p->brk_end = res;
		} else {
			p->brk_end = res;
		}
		break;
	default:
		return;
	}
	mem_update(m, p, ev, nid);
}
/* ------------------------------------------------------------------ */
/* Query                                                               */

void metrics_alloc_peak(struct metrics *m, struct mem_peak *out)
{
	memset(out, 0, sizeof(*out));
	out->bytes = m->mem_peak;
	if (!m->mem_peak)
		return;
	out->ts_ns = m->peak_ts;
	out->pid = m->peak_pid;
	struct mproc *p = mproc_lookup(m, m->peak_pid);
	out->exe = p ? mproc_exe(m, p) : "?";
	out->call = metrics_nid_name(m, m->peak_nid);
	out->src_file = m->peak_file;
	out->src_line = m->peak_line;
}
