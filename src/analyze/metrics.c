/* metrics.c — the analyzer's measurements as a sink on the event stream
 * (definitions in metrics.h; see docs/design.md, "Assertions").
 *
 * This file is the sink itself: it classifies syscall names, keeps the
 * per-name counters and hands each event to the measurements of
 * metrics_procs.c, metrics_memory.c, metrics_gpu.c, metrics_runs.c and
 * metrics_critical_path.c (shared state in metrics_int.h). */
#include "metrics_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "golden.h"
#include "hashmap.h"
#include "intern.h"
#include "source.h"
#include "syscall_table.h"
#include "vec.h"

/* ------------------------------------------------------------------ */
/* Maps and interned strings                                           */

struct index_ent {
	int32_t key;
	uint32_t idx;
};

static bool index_eq(const void *entry, const void *key)
{
	return ((const struct index_ent *)entry)->key == *(const int32_t *)key;
}

void metrics_index_init(struct hmap *m)
{
	hmap_init(m, sizeof(struct index_ent));
}

long metrics_index_find(const struct hmap *m, int32_t k)
{
	const struct index_ent *e = hmap_find(m, hash_u64((uint32_t)k), index_eq, &k);
	return e ? (long)e->idx : -1;
}

bool metrics_index_set(struct hmap *m, int32_t k, uint32_t v)
{
	bool created;
	struct index_ent *e = hmap_get(m, hash_u64((uint32_t)k), index_eq, &k, &created);
	if (!e)
		return false;
	e->key = k;
	e->idx = v;
	return true;
}

const char *metrics_intern(struct metrics *m, const char *s)
{
	if (!s)
		return NULL;
	const char *c = intern(m->strs, s);
	if (!c)
		m->oom = true;
	return c;
}

/* ------------------------------------------------------------------ */
/* Syscall names                                                       */

static bool in_list(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

static const char *const io_names[] = {
	"read", "write", "pread64", "pwrite64", "readv", "writev", "preadv", "pwritev", "preadv2", "pwritev2",
	"sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "sendfile", "splice",
	"copy_file_range", NULL,
};

static const char *const wait_names[] = {
	"wait4", "waitid", "futex", "poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait",
	"epoll_pwait2", "pause", "rt_sigsuspend", "rt_sigtimedwait", "nanosleep", "clock_nanosleep", NULL,
};

static enum kind kind_of(const char *n)
{
	static const struct {
		const char *name;
		enum kind kind;
	} tab[] = {
		{"fork", K_FORK},         {"vfork", K_FORK},        {"clone", K_FORK},
		{"clone3", K_FORK},       {"wait4", K_WAIT4},       {"waitid", K_WAITID},
		{"execve", K_EXECVE},     {"execveat", K_EXECVEAT}, {"mmap", K_MMAP},
		{"munmap", K_MUNMAP},     {"mremap", K_MREMAP},     {"brk", K_BRK},
		{"open", K_OPEN},         {"creat", K_OPEN},        {"openat", K_OPENAT},
		{"openat2", K_OPENAT},    {"close", K_CLOSE},       {"close_range", K_CLOSE_RANGE},
		{"dup", K_DUP},           {"dup2", K_DUP},          {"dup3", K_DUP},
		{"fcntl", K_FCNTL},       {"ioctl", K_IOCTL},       {"exit_group", K_EXIT_GROUP},
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(n, tab[i].name))
			return tab[i].kind;
	return K_OTHER;
}

struct name_ent {
	const char *name; /* interned */
	uint32_t id;
};

static bool name_eq(const void *entry, const void *key)
{
	return !strcmp(((const struct name_ent *)entry)->name, key);
}

static long name_find(const struct metrics *m, const char *name, uint64_t h)
{
	const struct name_ent *e = hmap_find(&m->names, h, name_eq, name);
	return e ? (long)e->id : -1;
}

/* Id of a syscall name, its classification filled on first sight. */
static uint32_t name_id(struct metrics *m, const char *name, long nr)
{
	size_t len = strlen(name);
	uint64_t h = hash_bytes(name, len, 0);
	long i = name_find(m, name, h);
	if (i >= 0)
		return (uint32_t)i;
	const char *copy = intern_n(m->strs, name, len);
	struct name_ent *e;
	if (!copy || m->nns >= NONE || !vec_grow(&m->ns, &m->cns, m->nns + 1, sizeof(*m->ns)) ||
	    !(e = hmap_insert(&m->names, h))) {
		m->oom = true;
		return NONE;
	}
	e->name = copy;
	e->id = (uint32_t)m->nns;
	struct nstat *s = &m->ns[m->nns];
	memset(s, 0, sizeof(*s));
	s->name = copy;
	s->kind = kind_of(name);
	s->io = in_list(name, io_names);
	s->wait = in_list(name, wait_names);
	const struct syscall_info *si = syscall_lookup(nr);
	if (!si || !si->name || strcmp(si->name, name))
		si = syscall_lookup(syscall_by_name(name));
	if (si && si->name) {
		for (unsigned a = 0; a < si->nargs && a < 6; a++)
			if (si->args[a] == AK_FD)
				s->fdmask |= (uint8_t)(1u << a);
		s->ret_fd = si->ret == RK_FD;
	}
	return (uint32_t)m->nns++;
}

const char *metrics_nid_name(const struct metrics *m, uint32_t nid)
{
	return nid == NONE || nid >= m->nns ? NULL : m->ns[nid].name;
}

bool metrics_call_ok(const struct event *ev)
{
	return ev->finished && !ev->err && !(ev->result < 0 && ev->result >= -4095);
}

bool metrics_unquote(const char *arg, char *buf, size_t cap)
{
	if (!arg || *arg != '"' || cap == 0)
		return false;
	size_t n = 0;
	const char *s = arg + 1;
	while (*s && *s != '"') {
		int c = (unsigned char)*s++;
		if (c == '\\' && *s) {
			c = (unsigned char)*s++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'v': c = '\v'; break;
			case 'f': c = '\f'; break;
			case 'x': {
				int v = 0, d = 0;
				while (d < 2 && ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
						 (*s >= 'A' && *s <= 'F'))) {
					int ch = *s++;
					v = v * 16 + (ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10);
					d++;
				}
				c = v;
				break;
			}
			default:
				if (c >= '0' && c <= '7') {
					int v = c - '0', d = 1;
					while (d < 3 && *s >= '0' && *s <= '7') {
						v = v * 8 + (*s++ - '0');
						d++;
					}
					c = v & 0xff;
				}
				break;
			}
		}
		if (n + 1 >= cap)
			return false;
		buf[n++] = (char)c;
	}
	if (*s != '"')
		return false;
	buf[n] = 0;
	return true;
}

/* ------------------------------------------------------------------ */
/* Sink hooks                                                          */

static void m_syscall(void *self, const struct event *ev)
{
	struct metrics *m = self;
	if (m->gsink && m->gsink->syscall)
		m->gsink->syscall(m->gsink->self, ev);
	const char *name = ev->name ? ev->name : "?";
	uint32_t nid = name_id(m, name, ev->nr);
	if (nid == NONE)
		return;
	struct nstat *s = &m->ns[nid];
	/* An rle record stands for n calls (event.h): counts and times are
	 * its totals, "longest call" measures take its longest, placed at
	 * its first call (where in the run it happened is not recorded). The
	 * memory, process and fd-table handlers below never see one: those
	 * calls are never merged (src/output/rle.h). */
	uint64_t n = event_calls(ev);
	uint64_t dur = ev->finished ? event_total_ns(ev) : 0;
	uint64_t longest = ev->finished ? event_max_ns(ev) : 0;
	s->calls += n;
	if (ev->finished) {
		s->finished += n;
		s->time_ns += dur;
		if (ev->err)
			s->errors += n;
	}
	m->total_ns += dur;

	struct mproc *p = mproc_at(m, ev->pid, ev->ts_ns);
	if (!p)
		return;
	if (ev->tid != ev->pid) {
		/* A thread: a clone (clone3 hides CLONE_THREAD from the
		 * decoder) that made a tentative process record for its tid
		 * was no fork. */
		struct mproc *t = mproc_lookup(m, ev->tid);
		if (t && !mproc_real(t) && t->fparent == p)
			t->fparent = NULL;
	}
	if (!p->have_events || ev->ts_ns < p->first_ts)
		p->first_ts = ev->ts_ns;
	uint64_t end = ev->finished ? event_end_ns(ev) : event_last_ts(ev);
	if (!p->have_events || end > p->last_end)
		p->last_end = end;
	p->have_events = true;
	p->calls += n;
	if (s->io)
		p->io_calls += n;

	runs_on_call(m, p, ev, nid, s);
	gpu_note_call(p, ev, s, dur, n);
	mproc_note_block(m, p, ev, nid, s, longest);

	enum kind k = s->kind;
	bool edge = false;
	switch (k) {
	case K_FORK:
	case K_WAIT4:
	case K_WAITID:
		edge = mproc_on_edges(m, p, ev, k);
		break;
	case K_EXECVE:
	case K_EXECVEAT:
		mproc_on_exec(m, p, ev, k, nid);
		break;
	case K_MMAP:
	case K_MUNMAP:
	case K_MREMAP:
	case K_BRK:
		mem_on_call(m, p, ev, k, nid);
		break;
	case K_EXIT_GROUP:
		mem_kill(m, p);
		break;
	default:
		break;
	}
	gpu_on_fds(m, p, ev, s);

	cp_note_call(m, p, ev, nid, longest, edge);
}

static void m_signal(void *self, pid_t tid, uint64_t ts_ns, const siginfo_t *si)
{
	struct metrics *m = self;
	if (m->gsink && m->gsink->signal)
		m->gsink->signal(m->gsink->self, tid, ts_ns, si);
}

static void m_exited(void *self, pid_t tid, uint64_t ts_ns, int wstatus)
{
	struct metrics *m = self;
	if (m->gsink && m->gsink->exited)
		m->gsink->exited(m->gsink->self, tid, ts_ns, wstatus);
}

static void m_superseded(void *self, pid_t tid, uint64_t ts_ns, pid_t by_tid)
{
	struct metrics *m = self;
	if (m->gsink && m->gsink->superseded)
		m->gsink->superseded(m->gsink->self, tid, ts_ns, by_tid);
}

static void m_process_end(void *self, const struct process_info *pi)
{
	struct metrics *m = self;
	if (m->gsink && m->gsink->process_end)
		m->gsink->process_end(m->gsink->self, pi);
	struct mproc *p = mproc_lookup(m, pi->pid);
	if (!p || p->ended)
		p = mproc_create(m, pi->pid);
	if (!p)
		return;
	p->ended = true;
	if (pi->ppid > 0)
		p->ppid = pi->ppid;
	if (pi->exe)
		p->exe = mproc_basename(m, pi->exe);
	p->start_ns = pi->start_ns;
	p->end_ns = pi->end_ns;
	p->cpu_us = pi->utime_us + pi->stime_us;
	p->maxrss_kb = pi->maxrss_kb;
	mem_kill(m, p);
}

static int m_finish(void *self, const struct run_info *ri)
{
	struct metrics *m = self;
	if (ri)
		m->ri = *ri;
	runs_settle(m);
	int rc = 0;
	if (!m->finished && m->gsink && m->gsink->finish)
		rc = m->gsink->finish(m->gsink->self, ri);
	m->finished = true;
	if (m->oom) {
		diag("metrics: out of memory");
		return -1;
	}
	return rc;
}

static void m_destroy(void *self)
{
	metrics_free(self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

struct metrics *metrics_new(const struct config *cfg)
{
	struct metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	hmap_init(&m->names, sizeof(struct name_ent));
	metrics_index_init(&m->pidmap);
	metrics_index_init(&m->tidmap);
	m->strs = intern_new();
	if (!m->strs) {
		free(m);
		return NULL;
	}
	m->peak_nid = NONE;
	m->sink = (struct sink){
		.self = m,
		.syscall = m_syscall,
		.signal = m_signal,
		.exited = m_exited,
		.superseded = m_superseded,
		.process_end = m_process_end,
		.finish = m_finish,
		.destroy = m_destroy,
	};
	bool golden = false;
	for (size_t i = 0; cfg && i < cfg->n; i++)
		if (cfg->items[i].type == AT_GOLDEN && cfg->items[i].enabled)
			golden = true;
	if (golden) {
		m->gseq = golden_seq_new();
		m->gsink = m->gseq ? golden_seq_sink(m->gseq) : NULL;
		if (!m->gsink) {
			metrics_free(m);
			return NULL;
		}
	}
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		free(p->pieces);
		free(p->iv);
		free(p->gfds);
		free(p->gpaths);
		free(p->bins);
		free(p);
	}
	free(m->procs);
	hmap_free(&m->pidmap);
	free(m->ts);
	hmap_free(&m->tidmap);
	hmap_free(&m->names);
	free(m->ns);
	intern_free(m->strs);
	free(m->gpu);
	if (m->gsink && m->gsink->destroy)
		m->gsink->destroy(m->gsink->self);
	if (m->gseq)
		golden_seq_free(m->gseq);
	free(m);
}

struct sink *metrics_sink(struct metrics *m)
{
	return &m->sink;
}

int metrics_read_trace(struct metrics *m, const char *path, struct sink *const *extra, int nextra,
		       struct trace_summary *ts, char *err, size_t errlen)
{
	if (nextra < 0 || !extra)
		nextra = 0;
	struct sink **sinks = calloc((size_t)nextra + 1, sizeof(*sinks));
	if (!sinks) {
		memset(ts, 0, sizeof(*ts));
		if (err && errlen)
			snprintf(err, errlen, "out of memory");
		return TRACE_ERR_NOMEM;
	}
	sinks[0] = &m->sink;
	for (int i = 0; i < nextra; i++)
		sinks[i + 1] = extra[i];
	int rc = trace_read_file(path, sinks, nextra + 1, ts, err, errlen);
	free(sinks);
	if (rc == TRACE_OK && metrics_add_gpu_spans(m, ts->gpu, ts->ngpu) != 0) {
		if (err && errlen)
			snprintf(err, errlen, "out of memory");
		rc = TRACE_ERR_NOMEM;
	}
	return rc;
}

bool metrics_oom(const struct metrics *m)
{
	return m->oom;
}

const struct golden_seq *metrics_golden_seq(const struct metrics *m)
{
	return m->gseq;
}
/* ------------------------------------------------------------------ */
/* Queries                                                             */

size_t metrics_nprocesses(struct metrics *m, const regex_t *sel)
{
	size_t n = 0;
	for (size_t i = 0; i < m->nprocs; i++)
		n += mproc_selected(m, m->procs[i], sel);
	return n;
}

uint64_t metrics_span_count(struct metrics *m, const regex_t *re)
{
	uint64_t n = 0;
	for (size_t i = 0; i < m->nns; i++)
		if (!re || regexec(re, m->ns[i].name, 0, NULL, 0) == 0)
			n += m->ns[i].finished;
	return n;
}

void metrics_syscall_stats(struct metrics *m, const char *name, struct syscall_stats *out)
{
	memset(out, 0, sizeof(*out));
	long i = name ? name_find(m, name, hash_bytes(name, strlen(name), 0)) : -1;
	if (i < 0)
		return;
	out->calls = m->ns[i].calls;
	out->finished = m->ns[i].finished;
	out->errors = m->ns[i].errors;
	out->time_ns = m->ns[i].time_ns;
}

uint64_t metrics_total_time_ns(struct metrics *m)
{
	return m->total_ns;
}

