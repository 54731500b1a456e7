/* metrics_procs.c — processes: identity and exe, fork and wait edges,
 * and the per-process measurements (GodProcess CPU time, largest RSS,
 * ExcessiveIO rate, BlockingMainThread). Definitions in metrics.h. */
#include "metrics_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "vec.h"

/* ------------------------------------------------------------------ */
/* Processes                                                           */

bool mproc_real(const struct mproc *p)
{
	return p->have_events || p->ended;
}

struct mproc *mproc_lookup(struct metrics *m, pid_t pid)
{
	long i = metrics_index_find(&m->pidmap, pid);
	return i < 0 ? NULL : m->procs[i];
}

struct mproc *mproc_create(struct metrics *m, pid_t pid)
{
	struct mproc *p = calloc(1, sizeof(*p));
	if (!p || !vec_grow(&m->procs, &m->cprocs, m->nprocs + 1, sizeof(*m->procs)) ||
	    !metrics_index_set(&m->pidmap, pid, (uint32_t)m->nprocs)) {
		free(p);
		m->oom = true;
		return NULL;
	}
	p->pid = pid;
	p->block_nid = NONE;
	p->longest_nid = NONE;
	m->procs[m->nprocs++] = p;
	return p;
}

/* The record for pid at time ts: a new one when none exists or when the
 * old one ended before ts (the pid was reused). */
struct mproc *mproc_at(struct metrics *m, pid_t pid, uint64_t ts)
{
	struct mproc *p = mproc_lookup(m, pid);
	if (p && !(p->ended && p->have_events && ts > p->end_ns))
		return p;
	return mproc_create(m, pid);
}

const char *mproc_basename(struct metrics *m, const char *path)
{
	if (!path || !*path)
		return NULL;
	const char *b = strrchr(path, '/');
	b = b && b[1] ? b + 1 : path;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", b);
	size_t n = strlen(buf);
	static const char del[] = " (deleted)";
	if (n > sizeof(del) - 1 && !strcmp(buf + n - (sizeof(del) - 1), del))
		buf[n - (sizeof(del) - 1)] = 0;
	return metrics_intern(m, buf);
}

struct mproc *mproc_parent(struct metrics *m, const struct mproc *p)
{
	if (p->fparent && mproc_real(p->fparent) && p->fparent != p)
		return p->fparent;
	if (p->ppid > 0) {
		struct mproc *q = mproc_lookup(m, p->ppid);
		if (q && q != p && mproc_real(q))
			return q;
	}
	return NULL;
}

const char *mproc_exe(struct metrics *m, const struct mproc *p)
{
	for (size_t steps = 0; p && steps <= m->nprocs; steps++) {
		if (p->exe)
			return p->exe;
		if (p->exec_exe)
			return p->exec_exe;
		p = mproc_parent(m, p);
	}
	return "?";
}

bool mproc_selected(struct metrics *m, const struct mproc *p, const regex_t *sel)
{
	if (!mproc_real(p))
		return false;
	return !sel || regexec(sel, mproc_exe(m, p), 0, NULL, 0) == 0;
}

/* Link every process to the children it waited for. */
void mproc_index_waits(struct metrics *m)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		m->procs[i]->first_waited = NULL;
		m->procs[i]->kids_cpu = 0;
	}
	for (size_t i = m->nprocs; i-- > 0;) {
		struct mproc *c = m->procs[i];
		c->next_waited = NULL;
		if (!c->waiter || c->waiter == c)
			continue;
		c->next_waited = c->waiter->first_waited;
		c->waiter->first_waited = c;
		if (c->ended)
			c->waiter->kids_cpu += c->cpu_us;
	}
}

uint64_t mproc_start(const struct mproc *p)
{
	return p->have_events ? p->first_ts : p->start_ns;
}

uint64_t mproc_end(const struct mproc *p)
{
	uint64_t e = p->ended ? p->end_ns : 0;
	if (p->have_events && p->last_end > e)
		e = p->last_end;
	return e;
}
/* ------------------------------------------------------------------ */
/* Fork and wait edges                                                 */

static bool is_thread_clone(const struct event *ev)
{
	if (!strcmp(ev->name, "clone"))
		return (ev->raw_args[0] & CLONE_THREAD_FLAG) != 0;
	if (!strcmp(ev->name, "clone3"))
		return ev->arg_text[0] && strstr(ev->arg_text[0], "CLONE_THREAD");
	return false;
}

/* Returns true when ev is an edge call. */
bool mproc_on_edges(struct metrics *m, struct mproc *p, const struct event *ev, enum kind k)
{
	if (!ev->finished || ev->err)
		return false;
	uint64_t ret = ev->ts_ns + ev->duration_ns;
	if (k == K_FORK) {
		if (ev->result <= 0 || ev->result > INT32_MAX || ev->result == p->pid || is_thread_clone(ev))
			return false;
		/* A short-lived child may have been reaped before the parent's
		 * fork returned: an ended record is this child unless it belongs
		 * to another parent (a reused pid). */
		struct mproc *c = mproc_lookup(m, (pid_t)ev->result);
		if (!c || (c->ended && c->ppid && c->ppid != p->pid))
			c = mproc_create(m, (pid_t)ev->result);
		if (!c)
			return true;
		c->fparent = p;
		c->fork_ts = ret;
		if (!c->ppid)
			c->ppid = p->pid;
		for (size_t i = 0; i < p->ngfd; i++)
			if (gpu_fd_find(c, p->gfds[i].fd) < 0)
				gpu_fd_set(m, c, p->gfds[i].fd, p->gfds[i].path);
		return true;
	}
	pid_t child = 0;
	if (k == K_WAIT4 && ev->result > 0 && ev->result <= INT32_MAX)
		child = (pid_t)ev->result;
	else if (k == K_WAITID && ev->result == 0 && ev->raw_args[0] == P_PID_IDTYPE && ev->raw_args[1] > 0 &&
		 ev->raw_args[1] <= INT32_MAX)
		child = (pid_t)ev->raw_args[1];
	if (!child || child == p->pid)
		return false;
	struct mproc *c = mproc_lookup(m, child);
	if (!c)
		c = mproc_create(m, child);
	if (!c)
		return true;
	c->waiter = p;
	c->wait_entry = ev->ts_ns;
	c->wait_ret = ret;
	return true;
}

void mproc_on_exec(struct metrics *m, struct mproc *p, const struct event *ev, enum kind k, uint32_t nid)
{
	if (!ev->finished || ev->result != 0)
		return;
	char buf[512];
	int idx = k == K_EXECVE ? 0 : 1;
	if (ev->arg_text[idx] && metrics_unquote(ev->arg_text[idx], buf, sizeof(buf)))
		p->exec_exe = mproc_basename(m, buf);
	p->ngfd = 0;
	if (!p->mem_dead) {
		mem_clear(p);
		mem_update(m, p, ev, nid);
	}
}

void mproc_note_block(struct metrics *m, struct mproc *p, const struct event *ev, uint32_t nid,
		      const struct nstat *s, uint64_t longest)
{
	const char *file = ev->source && ev->source->file ? ev->source->file : NULL;
	if (ev->finished && ev->tid == ev->pid && !s->wait &&
	    (p->block_nid == NONE || longest > p->block_ns)) {
		p->block_nid = nid;
		p->block_ns = longest;
		p->block_ts = ev->ts_ns;
		p->block_file = file ? metrics_intern(m, file) : NULL;
		p->block_line = file ? ev->source->line : 0;
	}
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

void metrics_max_rss(struct metrics *m, struct rss_info *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		if (mproc_real(p) && p->maxrss_kb > out->maxrss_kb) {
			out->maxrss_kb = p->maxrss_kb;
			out->pid = p->pid;
			out->exe = mproc_exe(m, p);
		}
	}
}

/* CPU time of p itself: the kernel's wait rusage of p includes the
 * children p reaped, which report their own. */
static uint64_t own_cpu(const struct mproc *p)
{
	return p->cpu_us > p->kids_cpu ? p->cpu_us - p->kids_cpu : 0;
}

void metrics_god_process(struct metrics *m, const regex_t *sel, struct god_info *out)
{
	memset(out, 0, sizeof(*out));
	mproc_index_waits(m);
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		if (!mproc_selected(m, p, sel))
			continue;
		out->nprocs++;
		uint64_t c = own_cpu(p);
		out->total_cpu_us += c;
		if (!out->top_exe || c > out->top_cpu_us) {
			out->top_cpu_us = c;
			out->top_pid = p->pid;
			out->top_exe = mproc_exe(m, p);
		}
	}
	if (out->total_cpu_us)
		out->confidence = (double)out->top_cpu_us / (double)out->total_cpu_us;
}

void metrics_io_rate(struct metrics *m, const regex_t *sel, struct io_info *out)
{
	memset(out, 0, sizeof(*out));
	uint64_t s = 0, e = 0;
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		if (!mproc_selected(m, p, sel))
			continue;
		if (!out->nprocs || mproc_start(p) < s)
			s = mproc_start(p);
		if (!out->nprocs || mproc_end(p) > e)
			e = mproc_end(p);
		out->nprocs++;
		out->io_calls += p->io_calls;
	}
	out->wall_ns = e > s ? e - s : 0;
	if (out->wall_ns)
		out->rate = (double)out->io_calls * 1e9 / (double)out->wall_ns;
}

void metrics_main_block(struct metrics *m, const regex_t *sel, struct block_info *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		if (p->block_nid == NONE || !mproc_selected(m, p, sel))
			continue;
		if (!out->found || p->block_ns > out->duration_ns) {
			out->found = true;
			out->pid = p->pid;
			out->exe = mproc_exe(m, p);
			out->call = metrics_nid_name(m, p->block_nid);
			out->duration_ns = p->block_ns;
			out->ts_ns = p->block_ts;
			out->src_file = p->block_file;
			out->src_line = p->block_line;
		}
	}
}
