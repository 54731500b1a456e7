/* metrics.c — the analyzer's measurements as a sink on the event stream
 * (SPEC §8; definitions in src/analyze/rules.h).
 *
 * Everything kept is per process, per thread, per distinct syscall name or
 * string, per live anonymous mapping, per open GPU fd, per fork/wait edge
 * or per distinct run length: memory never grows with the number of
 * events (the golden sequence, collected only on request, is the one
 * exception the SPEC allows). */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "source.h"
#include "syscall_table.h"

#define PAGE 4096u
#define NONE UINT32_MAX
#define CLONE_THREAD_FLAG 0x10000ull
#define MAP_ANON_FLAG 0x20ull
#define MREMAP_DONTUNMAP_FLAG 4ull
#define CLOSE_RANGE_CLOEXEC_FLAG 4ull
#define P_PID_IDTYPE 1ull
#define F_DUPFD_CMD 0ull
#define F_DUPFD_CLOEXEC_CMD 1030ull
#define MAX_LEN (1ull << 48)     /* lengths beyond the address space are junk */

/* What a syscall name means to the metrics. */
enum kind {
	K_OTHER,
	K_FORK,       /* fork vfork clone clone3 */
	K_WAIT4,
	K_WAITID,
	K_EXECVE,
	K_EXECVEAT,
	K_MMAP,
	K_MUNMAP,
	K_MREMAP,
	K_BRK,
	K_OPEN,       /* open creat: path is arg 0 */
	K_OPENAT,     /* openat openat2: path is arg 1 */
	K_CLOSE,
	K_CLOSE_RANGE,
	K_DUP,        /* dup dup2 dup3 */
	K_FCNTL,
	K_IOCTL,
	K_EXIT_GROUP,
};

struct nstat {
	uint64_t calls, finished, errors, time_ns;
	enum kind kind;
	bool io;          /* counts for ExcessiveIO */
	bool wait;        /* explicit wait: not a main-thread block */
	bool ret_fd;      /* returns a new fd */
	uint8_t fdmask;   /* bit i: argument i is an fd */
};

/* A string -> index map that owns copies of its keys. */
struct smap {
	char **keys;
	size_t n, cap;
	uint32_t *slots;  /* index + 1; 0 = empty */
	size_t nslots;
};

/* An int -> index map (pid or tid -> record); values are index + 1. */
struct imap {
	int32_t *keys;
	uint32_t *vals;
	size_t n, nslots;
};

/* The longest call in one stretch of a process between fork/wait edges. */
struct piece {
	uint32_t nid;     /* NONE: no call yet */
	uint64_t ts, dur;
	const char *file;
	unsigned line;
};

struct ival {
	uint64_t a, b;    /* [a, b) */
};

struct gfd {
	int fd;
	const char *path;
};

struct runbin {
	uint64_t len, nruns;
};

struct mproc {
	pid_t pid, ppid;
	const char *exe;          /* basename from process_end, interned */
	const char *exec_exe;     /* basename of the last successful execve */
	bool have_events;
	uint64_t first_ts, last_end;
	bool ended;
	uint64_t start_ns, end_ns;
	uint64_t cpu_us, maxrss_kb;

	struct mproc *fparent;    /* fork edge */
	uint64_t fork_ts;
	struct mproc *waiter;     /* wait edge */
	uint64_t wait_entry, wait_ret;

	struct piece *pieces;
	size_t npieces, cpieces;

	/* allocations */
	struct ival *iv;
	size_t niv, civ;
	uint64_t anon;
	bool brk_set;
	uint64_t brk_base, brk_end;
	bool mem_dead;
	uint64_t contrib;

	/* GPU */
	struct gfd *gfds;
	size_t ngfd, cgfd;
	const char **gpaths;      /* every GPU path it opened */
	size_t ngpath, cgpath;
	uint64_t gpu_ns, gpu_calls, gpu_ioctls;

	/* loops, I/O */
	uint64_t calls, io_calls;
	struct runbin *bins;
	size_t nbins, cbins;
	uint64_t longest_run;
	uint32_t longest_nid;
	pid_t longest_tid;
	const char *longest_file;
	unsigned longest_line;

	/* main-thread block */
	uint32_t block_nid;       /* NONE: none yet */
	uint64_t block_ns, block_ts;
	const char *block_file;
	unsigned block_line;

	/* scratch for queries (index_waits) */
	bool in_tree, used_down, used_up;
	struct mproc *first_waited, *next_waited; /* the children it waited for */
	uint64_t kids_cpu;                        /* their reported CPU time */
};

struct tstate {
	pid_t tid;
	struct mproc *p;
	uint32_t nid;
	uint64_t k0, k1;
	uint64_t len;             /* 0: no open run */
	const char *file;
	unsigned line;
};

struct metrics {
	struct sink sink;
	bool oom;
	bool finished;

	struct smap names;
	struct nstat *ns;
	size_t cns;
	struct smap strs;         /* interned strings: exe, files, paths */

	struct mproc **procs;
	size_t nprocs, cprocs;
	struct imap pidmap;

	struct tstate *ts;
	size_t nts, cts;
	struct imap tidmap;

	uint64_t total_ns;

	uint64_t mem_cur, mem_peak, peak_ts;
	pid_t peak_pid;
	uint32_t peak_nid;
	const char *peak_file;
	unsigned peak_line;

	struct trace_gpu_span *gpu;
	size_t ngpu;

	struct run_info ri;

	struct golden_seq *gseq;
	struct sink *gsink;
};

/* ------------------------------------------------------------------ */
/* Small containers                                                    */

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t nc = *cap ? *cap : 4;
	while (nc < need)
		nc *= 2;
	void *np = realloc(*p, nc * elem);
	if (!np)
		return false;
	*p = np;
	*cap = nc;
	return true;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static uint64_t hash_int(int32_t k)
{
	uint64_t h = (uint64_t)(uint32_t)k * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 29);
}

static long smap_find(const struct smap *m, const char *s)
{
	if (!m->nslots)
		return -1;
	size_t mask = m->nslots - 1;
	for (size_t i = hash_str(s) & mask;; i = (i + 1) & mask) {
		uint32_t v = m->slots[i];
		if (!v)
			return -1;
		if (!strcmp(m->keys[v - 1], s))
			return (long)(v - 1);
	}
}

static bool smap_rehash(struct smap *m, size_t nslots)
{
	uint32_t *ns = calloc(nslots, sizeof(*ns));
	if (!ns)
		return false;
	for (size_t k = 0; k < m->n; k++) {
		size_t i = hash_str(m->keys[k]) & (nslots - 1);
		while (ns[i])
			i = (i + 1) & (nslots - 1);
		ns[i] = (uint32_t)(k + 1);
	}
	free(m->slots);
	m->slots = ns;
	m->nslots = nslots;
	return true;
}

/* Index of s, added (copied) when absent; -1 on out-of-memory. */
static long smap_put(struct smap *m, const char *s)
{
	long f = smap_find(m, s);
	if (f >= 0)
		return f;
	if ((m->n + 1) * 2 > m->nslots && !smap_rehash(m, m->nslots ? m->nslots * 2 : 16))
		return -1;
	if (!grow((void **)&m->keys, &m->cap, m->n + 1, sizeof(*m->keys)))
		return -1;
	char *c = strdup(s);
	if (!c)
		return -1;
	m->keys[m->n] = c;
	size_t mask = m->nslots - 1;
	size_t i = hash_str(s) & mask;
	while (m->slots[i])
		i = (i + 1) & mask;
	m->slots[i] = (uint32_t)(m->n + 1);
	return (long)m->n++;
}

static void smap_free(struct smap *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->slots);
}

static long imap_find(const struct imap *m, int32_t k)
{
	if (!m->nslots)
		return -1;
	size_t mask = m->nslots - 1;
	for (size_t i = hash_int(k) & mask;; i = (i + 1) & mask) {
		if (!m->vals[i])
			return -1;
		if (m->keys[i] == k)
			return (long)(m->vals[i] - 1);
	}
}

/* Set k -> v (insert or overwrite). false on out-of-memory. */
static bool imap_set(struct imap *m, int32_t k, uint32_t v)
{
	if ((m->n + 1) * 2 > m->nslots) {
		size_t nn = m->nslots ? m->nslots * 2 : 16;
		int32_t *nk = calloc(nn, sizeof(*nk));
		uint32_t *nv = calloc(nn, sizeof(*nv));
		if (!nk || !nv) {
			free(nk);
			free(nv);
			return false;
		}
		for (size_t i = 0; i < m->nslots; i++) {
			if (!m->vals[i])
				continue;
			size_t j = hash_int(m->keys[i]) & (nn - 1);
			while (nv[j])
				j = (j + 1) & (nn - 1);
			nk[j] = m->keys[i];
			nv[j] = m->vals[i];
		}
		free(m->keys);
		free(m->vals);
		m->keys = nk;
		m->vals = nv;
		m->nslots = nn;
	}
	size_t mask = m->nslots - 1;
	size_t i = hash_int(k) & mask;
	while (m->vals[i] && m->keys[i] != k)
		i = (i + 1) & mask;
	if (!m->vals[i])
		m->n++;
	m->keys[i] = k;
	m->vals[i] = v + 1;
	return true;
}

static void imap_free(struct imap *m)
{
	free(m->keys);
	free(m->vals);
}

/* Interned copy of s (NULL for NULL or on out-of-memory). */
static const char *intern(struct metrics *m, const char *s)
{
	if (!s)
		return NULL;
	long i = smap_put(&m->strs, s);
	if (i < 0) {
		m->oom = true;
		return NULL;
	}
	return m->strs.keys[i];
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

/* Id of a syscall name, its classification filled on first sight. */
static uint32_t name_id(struct metrics *m, const char *name, long nr)
{
	long i = smap_find(&m->names, name);
	if (i >= 0)
		return (uint32_t)i;
	i = smap_put(&m->names, name);
	if (i < 0 || !grow((void **)&m->ns, &m->cns, (size_t)i + 1, sizeof(*m->ns))) {
		m->oom = true;
		return NONE;
	}
	struct nstat *s = &m->ns[i];
	memset(s, 0, sizeof(*s));
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
	return (uint32_t)i;
}

static const char *nid_name(const struct metrics *m, uint32_t nid)
{
	return nid == NONE || nid >= m->names.n ? NULL : m->names.keys[nid];
}

/* ------------------------------------------------------------------ */
/* Processes                                                           */

static bool proc_real(const struct mproc *p)
{
	return p->have_events || p->ended;
}

static struct mproc *proc_lookup(struct metrics *m, pid_t pid)
{
	long i = imap_find(&m->pidmap, pid);
	return i < 0 ? NULL : m->procs[i];
}

static struct mproc *proc_create(struct metrics *m, pid_t pid)
{
	struct mproc *p = calloc(1, sizeof(*p));
	if (!p || !grow((void **)&m->procs, &m->cprocs, m->nprocs + 1, sizeof(*m->procs)) ||
	    !imap_set(&m->pidmap, pid, (uint32_t)m->nprocs)) {
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
static struct mproc *proc_at(struct metrics *m, pid_t pid, uint64_t ts)
{
	struct mproc *p = proc_lookup(m, pid);
	if (p && !(p->ended && p->have_events && ts > p->end_ns))
		return p;
	return proc_create(m, pid);
}

static struct piece *cur_piece(struct metrics *m, struct mproc *p)
{
	if (!p->npieces) {
		if (!grow((void **)&p->pieces, &p->cpieces, 1, sizeof(*p->pieces))) {
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
	if (!grow((void **)&p->pieces, &p->cpieces, p->npieces + 1, sizeof(*p->pieces))) {
		m->oom = true;
		return;
	}
	p->pieces[p->npieces++] = (struct piece){.nid = NONE};
}

/* exe basename, " (deleted)" stripped, interned. */
static const char *base_exe(struct metrics *m, const char *path)
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
	return intern(m, buf);
}

static struct mproc *parent_of(struct metrics *m, const struct mproc *p)
{
	if (p->fparent && proc_real(p->fparent) && p->fparent != p)
		return p->fparent;
	if (p->ppid > 0) {
		struct mproc *q = proc_lookup(m, p->ppid);
		if (q && q != p && proc_real(q))
			return q;
	}
	return NULL;
}

static const char *exe_of(struct metrics *m, const struct mproc *p)
{
	for (size_t steps = 0; p && steps <= m->nprocs; steps++) {
		if (p->exe)
			return p->exe;
		if (p->exec_exe)
			return p->exec_exe;
		p = parent_of(m, p);
	}
	return "?";
}

static bool selected(struct metrics *m, const struct mproc *p, const regex_t *sel)
{
	if (!proc_real(p))
		return false;
	return !sel || regexec(sel, exe_of(m, p), 0, NULL, 0) == 0;
}

/* Link every process to the children it waited for. */
static void index_waits(struct metrics *m)
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

static uint64_t proc_start(const struct mproc *p)
{
	return p->have_events ? p->first_ts : p->start_ns;
}

static uint64_t proc_end(const struct mproc *p)
{
	uint64_t e = p->ended ? p->end_ns : 0;
	if (p->have_events && p->last_end > e)
		e = p->last_end;
	return e;
}

/* ------------------------------------------------------------------ */
/* Allocations                                                         */

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
	if (!grow((void **)&p->iv, &p->civ, nnew, sizeof(*p->iv))) {
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
		if (!grow((void **)&p->iv, &p->civ, p->niv + 1, sizeof(*p->iv))) {
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
static void mem_update(struct metrics *m, struct mproc *p, const struct event *ev, uint32_t nid)
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
		m->peak_file = ev->source && ev->source->file ? intern(m, ev->source->file) : NULL;
		m->peak_line = ev->source && ev->source->file ? ev->source->line : 0;
	}
}

static void mem_clear(struct mproc *p)
{
	free(p->iv);
	p->iv = NULL;
	p->niv = p->civ = 0;
	p->anon = 0;
	p->brk_set = false;
	p->brk_base = p->brk_end = 0;
}

static void mem_kill(struct metrics *m, struct mproc *p)
{
	if (p->mem_dead)
		return;
	p->mem_dead = true;
	mem_clear(p);
	mem_update(m, p, NULL, NONE);
}

static bool call_ok(const struct event *ev)
{
	return ev->finished && !ev->err && !(ev->result < 0 && ev->result >= -4095);
}

static void on_memory(struct metrics *m, struct mproc *p, const struct event *ev, enum kind k, uint32_t nid)
{
	if (p->mem_dead || !call_ok(ev))
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
/* GPU fds                                                             */

static bool gpu_path(const char *s)
{
	return !strncmp(s, "/dev/nvidia", 11) || !strncmp(s, "/dev/dri/", 9) || !strcmp(s, "/dev/kfd") ||
	       !strncmp(s, "/dev/accel/", 11);
}

/* A strace-quoted string ("/dev/nvidia0", maybe followed by ...) into
 * buf; false when arg is not a quoted string. */
static bool unquote(const char *arg, char *buf, size_t cap)
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

static long gfd_find(const struct mproc *p, long fd)
{
	for (size_t i = 0; i < p->ngfd; i++)
		if (p->gfds[i].fd == fd)
			return (long)i;
	return -1;
}

static void gfd_del(struct mproc *p, long fd)
{
	long i = gfd_find(p, fd);
	if (i >= 0)
		p->gfds[i] = p->gfds[--p->ngfd];
}

static void gfd_set(struct metrics *m, struct mproc *p, long fd, const char *path)
{
	if (fd < 0 || fd > INT32_MAX || !path)
		return;
	long i = gfd_find(p, fd);
	if (i >= 0) {
		p->gfds[i].path = path;
		return;
	}
	if (!grow((void **)&p->gfds, &p->cgfd, p->ngfd + 1, sizeof(*p->gfds))) {
		m->oom = true;
		return;
	}
	p->gfds[p->ngfd++] = (struct gfd){(int)fd, path};
	for (size_t k = 0; k < p->ngpath; k++)
		if (p->gpaths[k] == path)
			return;
	if (!grow((void **)&p->gpaths, &p->cgpath, p->ngpath + 1, sizeof(*p->gpaths))) {
		m->oom = true;
		return;
	}
	p->gpaths[p->ngpath++] = path;
}

static void on_fds(struct metrics *m, struct mproc *p, const struct event *ev, const struct nstat *s)
{
	const uint64_t *a = ev->raw_args;
	long res = ev->result;
	switch (s->kind) {
	case K_OPEN:
	case K_OPENAT: {
		if (!call_ok(ev))
			return;
		char buf[512];
		int idx = s->kind == K_OPEN ? 0 : 1;
		if (ev->arg_text[idx] && unquote(ev->arg_text[idx], buf, sizeof(buf)) && gpu_path(buf))
			gfd_set(m, p, res, intern(m, buf));
		else
			gfd_del(p, res);
		return;
	}
	case K_CLOSE:
		if (p->ngfd && ev->finished)
			gfd_del(p, (long)(int)a[0]);
		return;
	case K_CLOSE_RANGE:
		if (p->ngfd && call_ok(ev) && !(a[2] & CLOSE_RANGE_CLOEXEC_FLAG))
			for (size_t i = p->ngfd; i-- > 0;)
				if ((uint64_t)p->gfds[i].fd >= (uint32_t)a[0] && (uint64_t)p->gfds[i].fd <= (uint32_t)a[1])
					p->gfds[i] = p->gfds[--p->ngfd];
		return;
	case K_FCNTL:
		if (a[1] != F_DUPFD_CMD && a[1] != F_DUPFD_CLOEXEC_CMD)
			return;
		/* fall through */
	case K_DUP: {
		if (!call_ok(ev))
			return;
		long i = gfd_find(p, (long)(int)a[0]);
		if (i >= 0)
			gfd_set(m, p, res, p->gfds[i].path);
		else
			gfd_del(p, res);
		return;
	}
	default:
		if (s->ret_fd && p->ngfd && call_ok(ev))
			gfd_del(p, res); /* a new fd reuses a number that was closed */
		return;
	}
}

/* ------------------------------------------------------------------ */
/* Runs of identical calls                                             */

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
	if (!grow((void **)&p->bins, &p->cbins, p->nbins + 1, sizeof(*p->bins))) {
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
	long i = imap_find(&m->tidmap, tid);
	if (i >= 0)
		return &m->ts[i];
	if (!grow((void **)&m->ts, &m->cts, m->nts + 1, sizeof(*m->ts)) ||
	    !imap_set(&m->tidmap, tid, (uint32_t)m->nts)) {
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
static void on_run(struct metrics *m, struct mproc *p, const struct event *ev, uint32_t nid, const struct nstat *s)
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
	t->file = ev->source && ev->source->file ? intern(m, ev->source->file) : NULL;
	t->line = ev->source && ev->source->file ? ev->source->line : 0;
}

/* Close every open run (at finish and before each query). */
static void settle(struct metrics *m)
{
	for (size_t i = 0; i < m->nts; i++)
		close_run(m, &m->ts[i]);
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
static bool on_edges(struct metrics *m, struct mproc *p, const struct event *ev, enum kind k)
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
		struct mproc *c = proc_lookup(m, (pid_t)ev->result);
		if (!c || (c->ended && c->ppid && c->ppid != p->pid))
			c = proc_create(m, (pid_t)ev->result);
		if (!c)
			return true;
		c->fparent = p;
		c->fork_ts = ret;
		if (!c->ppid)
			c->ppid = p->pid;
		for (size_t i = 0; i < p->ngfd; i++)
			if (gfd_find(c, p->gfds[i].fd) < 0)
				gfd_set(m, c, p->gfds[i].fd, p->gfds[i].path);
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
	struct mproc *c = proc_lookup(m, child);
	if (!c)
		c = proc_create(m, child);
	if (!c)
		return true;
	c->waiter = p;
	c->wait_entry = ev->ts_ns;
	c->wait_ret = ret;
	return true;
}

static void on_exec(struct metrics *m, struct mproc *p, const struct event *ev, enum kind k, uint32_t nid)
{
	if (!ev->finished || ev->result != 0)
		return;
	char buf[512];
	int idx = k == K_EXECVE ? 0 : 1;
	if (ev->arg_text[idx] && unquote(ev->arg_text[idx], buf, sizeof(buf)))
		p->exec_exe = base_exe(m, buf);
	p->ngfd = 0;
	if (!p->mem_dead) {
		mem_clear(p);
		mem_update(m, p, ev, nid);
	}
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

	struct mproc *p = proc_at(m, ev->pid, ev->ts_ns);
	if (!p)
		return;
	if (ev->tid != ev->pid) {
		/* A thread: a clone (clone3 hides CLONE_THREAD from the
		 * decoder) that made a tentative process record for its tid
		 * was no fork. */
		struct mproc *t = proc_lookup(m, ev->tid);
		if (t && !proc_real(t) && t->fparent == p)
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

	on_run(m, p, ev, nid, s);

	if (p->ngfd && s->fdmask) {
		bool gpu = false;
		for (int i = 0; i < EVENT_MAX_ARGS && !gpu; i++)
			if ((s->fdmask >> i) & 1)
				gpu = gfd_find(p, (long)(int)ev->raw_args[i]) >= 0;
		if (gpu) {
			p->gpu_ns += dur;
			p->gpu_calls += n;
			if (s->kind == K_IOCTL)
				p->gpu_ioctls += n;
		}
	}

	const char *file = ev->source && ev->source->file ? ev->source->file : NULL;
	if (ev->finished && ev->tid == ev->pid && !s->wait &&
	    (p->block_nid == NONE || longest > p->block_ns)) {
		p->block_nid = nid;
		p->block_ns = longest;
		p->block_ts = ev->ts_ns;
		p->block_file = file ? intern(m, file) : NULL;
		p->block_line = file ? ev->source->line : 0;
	}

	enum kind k = s->kind;
	bool edge = false;
	switch (k) {
	case K_FORK:
	case K_WAIT4:
	case K_WAITID:
		edge = on_edges(m, p, ev, k);
		break;
	case K_EXECVE:
	case K_EXECVEAT:
		on_exec(m, p, ev, k, nid);
		break;
	case K_MMAP:
	case K_MUNMAP:
	case K_MREMAP:
	case K_BRK:
		on_memory(m, p, ev, k, nid);
		break;
	case K_EXIT_GROUP:
		mem_kill(m, p);
		break;
	default:
		break;
	}
	on_fds(m, p, ev, s);

	if (edge) {
		new_piece(m, p);
	} else if (ev->finished) {
		struct piece *pc = cur_piece(m, p);
		if (pc && (pc->nid == NONE || longest > pc->dur)) {
			pc->nid = nid;
			pc->ts = ev->ts_ns;
			pc->dur = longest;
			pc->file = file ? intern(m, file) : NULL;
			pc->line = file ? ev->source->line : 0;
		}
	}
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
	struct mproc *p = proc_lookup(m, pi->pid);
	if (!p || p->ended)
		p = proc_create(m, pi->pid);
	if (!p)
		return;
	p->ended = true;
	if (pi->ppid > 0)
		p->ppid = pi->ppid;
	if (pi->exe)
		p->exe = base_exe(m, pi->exe);
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
	settle(m);
	int rc = 0;
	if (!m->finished && m->gsink && m->gsink->finish)
		rc = m->gsink->finish(m->gsink->self, ri);
	m->finished = true;
	if (m->oom) {
		fprintf(stderr, "renacer-c: metrics: out of memory\n");
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
	imap_free(&m->pidmap);
	free(m->ts);
	imap_free(&m->tidmap);
	smap_free(&m->names);
	free(m->ns);
	smap_free(&m->strs);
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

int metrics_add_gpu_spans(struct metrics *m, const struct trace_gpu_span *g, size_t n)
{
	if (!n)
		return 0;
	if (n > SIZE_MAX / sizeof(*g) - m->ngpu)
		return -1;
	struct trace_gpu_span *ng = realloc(m->gpu, (m->ngpu + n) * sizeof(*ng));
	if (!ng)
		return -1;
	memcpy(ng + m->ngpu, g, n * sizeof(*g));
	m->gpu = ng;
	m->ngpu += n;
	return 0;
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
		n += selected(m, m->procs[i], sel);
	return n;
}

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
		s->longest = nid_name(m, best->nid);
		s->longest_ns = best->dur;
		s->src_file = best->file;
		s->src_line = best->line;
	}
}

static bool push_seg(struct metrics *m, struct critical_path *cp, size_t *cap, const struct mproc *p,
		     uint64_t a, uint64_t b, const char *label)
{
	if (!grow((void **)&cp->seg, cap, cp->nseg + 1, sizeof(*cp->seg)))
		return false;
	struct cp_segment *s = &cp->seg[cp->nseg++];
	memset(s, 0, sizeof(*s));
	s->start_ns = a;
	s->end_ns = b;
	if (p) {
		s->pid = p->pid;
		s->exe = exe_of(m, p);
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
	settle(m);
	index_waits(m);
	/* Membership: matches, or a descendant of a match. */
	size_t n = 0;
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		p->in_tree = false;
		p->used_down = p->used_up = false;
		if (!proc_real(p))
			continue;
		const struct mproc *q = p;
		for (size_t steps = 0; q && steps <= m->nprocs; steps++, q = parent_of(m, q)) {
			if (!roots || regexec(roots, exe_of(m, q), 0, NULL, 0) == 0) {
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
		uint64_t s = proc_start(p), e = proc_end(p);
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

	/* Walk backwards (see rules.h), collecting segments latest first. */
	size_t cap = 0;
	uint64_t t0 = cp->start_ns, cursor = cp->end_ns;
	struct mproc *p = last;
	for (size_t steps = 0; p && steps <= 2 * m->nprocs + 1; steps++) {
		struct mproc *best = NULL;
		for (struct mproc *c = p->first_waited; c; c = c->next_waited) {
			if (!c->in_tree || c->used_down || c == p || c->wait_ret > cursor ||
			    proc_end(c) <= c->wait_entry)
				continue;
			if (!best || c->wait_ret > best->wait_ret ||
			    (c->wait_ret == best->wait_ret && proc_end(c) > proc_end(best)))
				best = c;
		}
		if (best) {
			uint64_t h = clamp(proc_end(best), t0, cursor);
			if (!push_seg(m, cp, &cap, p, h, cursor, NULL))
				goto oom;
			best->used_down = true;
			cursor = h;
			p = best;
			continue;
		}
		/* Up to the parent at the fork's return; without a fork edge
		 * (fork not traced), at the child's start. */
		struct mproc *q = parent_of(m, p);
		if (q && q->in_tree && !p->used_up) {
			uint64_t b = clamp(q == p->fparent ? p->fork_ts : proc_start(p), t0, cursor);
			if (!push_seg(m, cp, &cap, p, b, cursor, NULL))
				goto oom;
			p->used_up = true;
			cursor = b;
			p = q;
			continue;
		}
		uint64_t s = clamp(proc_start(p), t0, cursor);
		if (!push_seg(m, cp, &cap, p, s, cursor, NULL))
			goto oom;
		cursor = s;
		p = NULL;
	}
	if (cursor > t0) {
		char label[64];
		snprintf(label, sizeof(label), "(before pid %ld)",
			 cp->nseg ? (long)cp->seg[cp->nseg - 1].pid : 0L);
		const char *l = intern(m, label);
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

uint64_t metrics_span_count(struct metrics *m, const regex_t *re)
{
	uint64_t n = 0;
	for (size_t i = 0; i < m->names.n; i++)
		if (!re || regexec(re, m->names.keys[i], 0, NULL, 0) == 0)
			n += m->ns[i].finished;
	return n;
}

void metrics_syscall_stats(struct metrics *m, const char *name, struct syscall_stats *out)
{
	memset(out, 0, sizeof(*out));
	long i = name ? smap_find(&m->names, name) : -1;
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

void metrics_alloc_peak(struct metrics *m, struct mem_peak *out)
{
	memset(out, 0, sizeof(*out));
	out->bytes = m->mem_peak;
	if (!m->mem_peak)
		return;
	out->ts_ns = m->peak_ts;
	out->pid = m->peak_pid;
	struct mproc *p = proc_lookup(m, m->peak_pid);
	out->exe = p ? exe_of(m, p) : "?";
	out->call = nid_name(m, m->peak_nid);
	out->src_file = m->peak_file;
	out->src_line = m->peak_line;
}

void metrics_max_rss(struct metrics *m, struct rss_info *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		if (proc_real(p) && p->maxrss_kb > out->maxrss_kb) {
			out->maxrss_kb = p->maxrss_kb;
			out->pid = p->pid;
			out->exe = exe_of(m, p);
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
	index_waits(m);
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		if (!selected(m, p, sel))
			continue;
		out->nprocs++;
		uint64_t c = own_cpu(p);
		out->total_cpu_us += c;
		if (!out->top_exe || c > out->top_cpu_us) {
			out->top_cpu_us = c;
			out->top_pid = p->pid;
			out->top_exe = exe_of(m, p);
		}
	}
	if (out->total_cpu_us)
		out->confidence = (double)out->top_cpu_us / (double)out->total_cpu_us;
}

void metrics_tight_loop(struct metrics *m, const regex_t *sel, uint64_t min_run, struct loop_info *out)
{
	memset(out, 0, sizeof(*out));
	settle(m);
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		if (!selected(m, p, sel))
			continue;
		out->calls += p->calls;
		for (size_t b = 0; b < p->nbins; b++)
			if (p->bins[b].len >= min_run)
				out->in_runs += p->bins[b].len * p->bins[b].nruns;
		if (p->longest_run > out->longest) {
			out->longest = p->longest_run;
			out->longest_name = nid_name(m, p->longest_nid);
			out->longest_tid = p->longest_tid;
			out->src_file = p->longest_file;
			out->src_line = p->longest_line;
		}
	}
	if (out->calls)
		out->confidence = (double)out->in_runs / (double)out->calls;
}

void metrics_gpu(struct metrics *m, const regex_t *sel, struct gpu_info *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < m->ngpu; i++) {
		const struct trace_gpu_span *g = &m->gpu[i];
		if (g->kind == TRACE_GPU_TRANSFER) {
			out->transfer_ns += g->duration_ns;
			out->transfer_bytes += g->bytes;
			out->ntransfer++;
		} else {
			out->kernel_ns += g->duration_ns;
			out->nkernel++;
		}
	}
	out->have_spans = out->transfer_ns + out->kernel_ns > 0;
	double best = -1;
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		if (!p->ngpath || !selected(m, p, sel))
			continue;
		uint64_t wall = proc_end(p) - proc_start(p);
		if (proc_end(p) < proc_start(p))
			wall = 0;
		double c = wall ? (double)p->gpu_ns / (double)wall : 0;
		if (c > 1)
			c = 1;
		if (c > best) {
			best = c;
			out->have_fds = true;
			out->pid = p->pid;
			out->exe = exe_of(m, p);
			out->gpu_ns = p->gpu_ns;
			out->wall_ns = wall;
			out->ioctls = p->gpu_ioctls;
			out->gpu_calls = p->gpu_calls;
			out->npaths = 0;
			for (size_t k = 0; k < p->ngpath && k < 4; k++)
				out->paths[out->npaths++] = p->gpaths[k];
		}
	}
	if (out->have_spans)
		out->confidence = (double)out->transfer_ns / (double)(out->transfer_ns + out->kernel_ns);
	else if (out->have_fds)
		out->confidence = best;
}

void metrics_io_rate(struct metrics *m, const regex_t *sel, struct io_info *out)
{
	memset(out, 0, sizeof(*out));
	uint64_t s = 0, e = 0;
	for (size_t i = 0; i < m->nprocs; i++) {
		struct mproc *p = m->procs[i];
		if (!selected(m, p, sel))
			continue;
		if (!out->nprocs || proc_start(p) < s)
			s = proc_start(p);
		if (!out->nprocs || proc_end(p) > e)
			e = proc_end(p);
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
		if (p->block_nid == NONE || !selected(m, p, sel))
			continue;
		if (!out->found || p->block_ns > out->duration_ns) {
			out->found = true;
			out->pid = p->pid;
			out->exe = exe_of(m, p);
			out->call = nid_name(m, p->block_nid);
			out->duration_ns = p->block_ns;
			out->ts_ns = p->block_ts;
			out->src_file = p->block_file;
			out->src_line = p->block_line;
		}
	}
}
