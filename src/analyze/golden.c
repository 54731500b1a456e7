/* golden.c — observable call sequences of traces and their alignment
 * (src/analyze/golden.h, SPEC §9).
 *
 * Storage: every distinct string (normalised text, key, source file,
 * function) is interned once per seq; an element is a few 32-bit ids plus
 * its record index, kept in one growable array per task. Memory grows with
 * the number of observable calls (allowed by SPEC §2) and the number of
 * distinct strings.
 *
 * Alignment: the two key sequences are mapped to one integer id space
 * (keys are compared as strings once per distinct key, then elements are
 * compared as integers) and aligned with Myers' linear-space O((N+M)D)
 * algorithm: strip the common prefix and suffix, find the middle snake by
 * searching forward and backward at once, recurse on both halves. The
 * diagonal arrays grow with d, so memory is O(D), not O(N+M). A work
 * counter (diagonal steps + element comparisons) bounds the time; once it
 * is spent, every sub-problem not yet aligned becomes one replaced block,
 * which keeps the alignment valid and makes lcs a lower bound. */
#include "golden.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_flags.h"
#include "source.h"
#include "syscall_table.h"
#include "trace_reader.h"

/* ------------------------------------------------------------------ */
/* Hashing                                                             */

static uint64_t hash_bytes(const char *s, size_t n)
{
	/* Eight bytes a round (a multiply-xorshift mix), then a murmur
	 * finalizer for the table's low bits. The value only places strings
	 * in the intern table; nothing printed depends on it. */
	uint64_t h = 0xcbf29ce484222325ull ^ ((uint64_t)n * 0x9e3779b97f4a7c15ull);
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h ^= w;
		h *= 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	if (i < n) {
		uint64_t w = 0;
		memcpy(&w, s + i, n - i);
		h ^= w;
		h *= 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

/* ------------------------------------------------------------------ */
/* String interning                                                    */

struct istr {
	size_t off;     /* into arena */
	size_t len;
	uint64_t hash;
};

struct intern {
	char *arena;
	size_t alen, acap;
	struct istr *strs;  /* by id; id 0 is "" */
	size_t nstrs, scap;
	uint32_t *slots;    /* id + 1, 0 = empty */
	size_t nslots;      /* power of two */
};

static int intern_grow_slots(struct intern *in)
{
	size_t n = in->nslots ? in->nslots * 2 : 1024;
	uint32_t *s = calloc(n, sizeof(*s));
	if (!s)
		return -1;
	for (size_t id = 0; id < in->nstrs; id++) {
		size_t j = in->strs[id].hash & (n - 1);
		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = (uint32_t)id + 1;
	}
	free(in->slots);
	in->slots = s;
	in->nslots = n;
	return 0;
}

static const char *intern_str(const struct intern *in, uint32_t id)
{
	return in->arena + in->strs[id].off;
}

/* Find a string; returns its id or -1. */
static long intern_find(const struct intern *in, const char *s, size_t n, uint64_t h)
{
	if (!in->nslots)
		return -1;
	size_t j = h & (in->nslots - 1);
	while (in->slots[j]) {
		uint32_t id = in->slots[j] - 1;
		const struct istr *e = &in->strs[id];
		if (e->hash == h && e->len == n && !memcmp(in->arena + e->off, s, n))
			return id;
		j = (j + 1) & (in->nslots - 1);
	}
	return -1;
}

/* Id of S (added when new), or -1 on OOM. */
static long intern_add(struct intern *in, const char *s, size_t n)
{
	uint64_t h = hash_bytes(s, n);
	long found = intern_find(in, s, n, h);
	if (found >= 0)
		return found;
	if (in->nstrs >= UINT32_MAX - 1)
		return -1;
	if ((in->nstrs + 1) * 2 > in->nslots && intern_grow_slots(in) != 0)
		return -1;
	if (in->nstrs == in->scap) {
		size_t c = in->scap ? in->scap * 2 : 256;
		struct istr *ns = realloc(in->strs, c * sizeof(*ns));
		if (!ns)
			return -1;
		in->strs = ns;
		in->scap = c;
	}
	if (in->alen + n + 1 > in->acap) {
		size_t c = in->acap ? in->acap : 4096;
		while (c < in->alen + n + 1)
			c *= 2;
		char *na = realloc(in->arena, c);
		if (!na)
			return -1;
		in->arena = na;
		in->acap = c;
	}
	memcpy(in->arena + in->alen, s, n);
	in->arena[in->alen + n] = '\0';
	size_t id = in->nstrs++;
	in->strs[id] = (struct istr){ .off = in->alen, .len = n, .hash = h };
	in->alen += n + 1;
	size_t j = h & (in->nslots - 1);
	while (in->slots[j])
		j = (j + 1) & (in->nslots - 1);
	in->slots[j] = (uint32_t)id + 1;
	return (long)id;
}

static void intern_free(struct intern *in)
{
	free(in->arena);
	free(in->strs);
	free(in->slots);
	memset(in, 0, sizeof(*in));
}

/* ------------------------------------------------------------------ */
/* Integer map (open addressing, no deletion tombstones: removal marks
 * the value as absent)                                                 */

#define IMAP_ABSENT UINT32_MAX

struct imap_slot {
	int64_t key;
	uint32_t val;
	bool used;
};

struct imap {
	struct imap_slot *slots;
	size_t n, used;  /* n: power of two */
};

static struct imap_slot *imap_slot(const struct imap *m, int64_t key)
{
	if (!m->n)
		return NULL;
	size_t j = hash_u64((uint64_t)key) & (m->n - 1);
	while (m->slots[j].used) {
		if (m->slots[j].key == key)
			return &m->slots[j];
		j = (j + 1) & (m->n - 1);
	}
	return NULL;
}

static uint32_t imap_get(const struct imap *m, int64_t key)
{
	const struct imap_slot *s = imap_slot(m, key);
	return s ? s->val : IMAP_ABSENT;
}

static int imap_put(struct imap *m, int64_t key, uint32_t val)
{
	struct imap_slot *s = imap_slot(m, key);
	if (s) {
		s->val = val;
		return 0;
	}
	if ((m->used + 1) * 2 > m->n) {
		size_t n = m->n ? m->n * 2 : 16;
		struct imap_slot *ns = calloc(n, sizeof(*ns));
		if (!ns)
			return -1;
		for (size_t i = 0; i < m->n; i++) {
			if (!m->slots[i].used)
				continue;
			size_t j = hash_u64((uint64_t)m->slots[i].key) & (n - 1);
			while (ns[j].used)
				j = (j + 1) & (n - 1);
			ns[j] = m->slots[i];
		}
		free(m->slots);
		m->slots = ns;
		m->n = n;
	}
	size_t j = hash_u64((uint64_t)key) & (m->n - 1);
	while (m->slots[j].used)
		j = (j + 1) & (m->n - 1);
	m->slots[j] = (struct imap_slot){ .key = key, .val = val, .used = true };
	m->used++;
	return 0;
}

static void imap_free(struct imap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------------ */
/* The sequence                                                        */

struct elem {
	uint32_t text, key;  /* intern ids */
	uint32_t file, fn;   /* intern ids, 0 = none */
	uint32_t line;
	uint64_t record;
};

struct task {
	uint32_t label;      /* intern id of the "[pN] " prefix ("" for the first task) */
	struct elem *e;
	size_t n, cap;
};

/* One fd number of a process and its name fdN (G4). */
struct fdent {
	uint32_t name;
	bool open;
};

struct proc {
	uint32_t ordinal;    /* 1-based order of first appearance */
	uint32_t nthreads;
	bool in_prelude;
	struct imap fds;     /* fd number -> index in ents */
	struct fdent *ents;
	size_t nents, ecap;
	uint8_t *used;       /* used[name] != 0: fdN taken */
	size_t ucap;
	uint32_t hint;       /* no free name below this */
};

struct golden_seq {
	struct intern in;
	struct task *tasks;
	size_t ntasks, tcap;
	struct proc *procs;
	size_t nprocs, pcap;
	struct imap tid_task; /* tid -> task index */
	struct imap pid_proc; /* pid -> proc index */
	size_t len;
	uint64_t records;
	bool has_source;
	bool failed;
	uint8_t *cls;         /* by syscall number: enum call_class bits, 0 = not yet */
	size_t ncls;
	char *tbuf, *kbuf;    /* normalisation scratch, reused */
	size_t tcap_, kcap_;
};

struct golden_seq *golden_seq_new(void)
{
	struct golden_seq *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	if (intern_add(&s->in, "", 0) != 0) {
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
		imap_free(&s->procs[i].fds);
		free(s->procs[i].ents);
		free(s->procs[i].used);
	}
	free(s->procs);
	imap_free(&s->tid_task);
	imap_free(&s->pid_proc);
	free(s->cls);
	free(s->tbuf);
	free(s->kbuf);
	intern_free(&s->in);
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

static long proc_index(struct golden_seq *s, pid_t pid)
{
	uint32_t pi = imap_get(&s->pid_proc, pid);
	if (pi != IMAP_ABSENT)
		return pi;
	if (s->nprocs == s->pcap) {
		size_t c = s->pcap ? s->pcap * 2 : 8;
		struct proc *np = realloc(s->procs, c * sizeof(*np));
		if (!np)
			return -1;
		s->procs = np;
		s->pcap = c;
	}
	if (imap_put(&s->pid_proc, pid, (uint32_t)s->nprocs) != 0)
		return -1;
	struct proc *p = &s->procs[s->nprocs];
	memset(p, 0, sizeof(*p));
	p->ordinal = (uint32_t)s->nprocs + 1;
	p->hint = 1;
	p->in_prelude = true;
	return (long)s->nprocs++;
}

static long task_index(struct golden_seq *s, pid_t tid, struct proc *p)
{
	uint32_t ti = imap_get(&s->tid_task, tid);
	if (ti != IMAP_ABSENT)
		return ti;
	if (s->ntasks == s->tcap) {
		size_t c = s->tcap ? s->tcap * 2 : 8;
		struct task *nt = realloc(s->tasks, c * sizeof(*nt));
		if (!nt)
			return -1;
		s->tasks = nt;
		s->tcap = c;
	}
	char label[64];
	uint32_t thread = p ? ++p->nthreads : 1;
	if (s->ntasks == 0)
		label[0] = '\0';
	else if (thread <= 1)
		snprintf(label, sizeof(label), "[p%u] ", p ? p->ordinal : 1u);
	else
		snprintf(label, sizeof(label), "[p%u.t%u] ", p ? p->ordinal : 1u, thread);
	long lid = intern_add(&s->in, label, strlen(label));
	if (lid < 0)
		return -1;
	if (imap_put(&s->tid_task, tid, (uint32_t)s->ntasks) != 0)
		return -1;
	s->tasks[s->ntasks] = (struct task){ .label = (uint32_t)lid };
	return (long)s->ntasks++;
}

static int task_push(struct golden_seq *s, struct task *t, const struct elem *e)
{
	if (t->n == t->cap) {
		size_t c = t->cap ? t->cap * 2 : 64;
		struct elem *ne = realloc(t->e, c * sizeof(*ne));
		if (!ne)
			return -1;
		t->e = ne;
		t->cap = c;
	}
	t->e[t->n++] = *e;
	s->len++;
	return 0;
}

int golden_seq_append(struct golden_seq *s, const char *text, const char *key)
{
	if (!s || !text)
		return -1;
	if (s->ntasks == 0 && task_index(s, 0, NULL) < 0)
		goto oom;
	long t = intern_add(&s->in, text, strlen(text));
	long k = key ? intern_add(&s->in, key, strlen(key)) : t;
	if (t < 0 || k < 0)
		goto oom;
	struct elem e = { .text = (uint32_t)t, .key = (uint32_t)k, .record = s->records++ };
	if (task_push(s, &s->tasks[0], &e) != 0)
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
			out->text = intern_str(&s->in, e->text);
			out->key = intern_str(&s->in, e->key);
			out->file = e->file ? intern_str(&s->in, e->file) : NULL;
			out->line = e->line;
			out->function = e->fn ? intern_str(&s->in, e->fn) : NULL;
			out->record = e->record;
			return 0;
		}
		i -= s->tasks[t].n;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Normalisation                                                       */

static bool is_loader_module(const char *module)
{
	if (!module)
		return false;
	const char *b = strrchr(module, '/');
	b = b ? b + 1 : module;
	if (!strncmp(b, "ld-linux", 8))
		return true;
	/* ld-2.31.so, ld-musl-x86_64.so.1 */
	return !strncmp(b, "ld-", 3) && strstr(b, ".so") != NULL;
}

static bool dropped_call(const char *name)
{
	static const char *const exact[] = {
		/* SPEC §9 */
		"mmap", "munmap", "mprotect", "brk", "futex", "rseq", "getrandom", "set_robust_list",
		/* additions (golden.h G3) */
		"mremap", "madvise", "arch_prctl", "set_tid_address", "prlimit64", "restart_syscall",
		"sched_yield", "gettimeofday", "time",
	};
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (!strcmp(name, exact[i]))
			return true;
	return !strncmp(name, "clock_", 6) || !strncmp(name, "rt_sig", 6);
}

static bool pid_result_call(const char *name)
{
	static const char *const names[] = {
		"fork", "vfork", "clone", "clone3", "wait4", "waitid", "getpid", "gettid",
		"getppid", "getpgid", "getpgrp", "getsid", "setsid",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* What normalisation needs to know about a call, by name. */
enum call_class {
	CC_DROP = 1u << 0,     /* G3 */
	CC_PIDRES = 1u << 1,   /* G5: returns a pid */
	CC_EXEC = 1u << 2,     /* execve, execveat */
	CC_CLOSE = 1u << 3,
	CC_DUP = 1u << 4,      /* dup, dup2, dup3, fcntl */
	CC_DUP23 = 1u << 5,    /* dup2, dup3 */
	CC_FCNTL = 1u << 6,
	CC_KNOWN = 1u << 7,    /* cache entry filled */
};

static uint8_t classify(const char *name)
{
	uint8_t c = CC_KNOWN;
	if (dropped_call(name))
		c |= CC_DROP;
	if (pid_result_call(name))
		c |= CC_PIDRES;
	if (!strcmp(name, "execve") || !strcmp(name, "execveat"))
		c |= CC_EXEC;
	if (!strcmp(name, "close"))
		c |= CC_CLOSE;
	if (!strcmp(name, "dup2") || !strcmp(name, "dup3"))
		c |= CC_DUP | CC_DUP23;
	if (!strcmp(name, "dup"))
		c |= CC_DUP;
	if (!strcmp(name, "fcntl"))
		c |= CC_DUP | CC_FCNTL;
	return c;
}

/* A growable string. */
struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

/* Make room for N more bytes plus the terminator; false on OOM. */
static bool sb_grow(struct sbuf *b, size_t n)
{
	if (b->oom)
		return false;
	size_t c = b->cap ? b->cap : 256;
	while (c < b->len + n + 1)
		c *= 2;
	char *np = realloc(b->p, c);
	if (!np) {
		b->oom = true;
		return false;
	}
	b->p = np;
	b->cap = c;
	return true;
}

static inline void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap && !sb_grow(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

/* Decimal digits of V written backwards ending just before END (up to 20
 * bytes); returns where they start. */
static char *fmt_u64(char *end, uint64_t v)
{
	char *q = end;
	do {
		*--q = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return q;
}

/* sb_printf("%ld", v) without the printf machinery. */
static void sb_putl(struct sbuf *b, long v)
{
	char tmp[24];
	char *end = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char *q = fmt_u64(end, u);
	if (v < 0)
		*--q = '-';
	sb_putn(b, q, (size_t)(end - q));
}

/* sb_printf("%s%u", prefix, v): a literal prefix, then decimal V. */
static void sb_put_prefixed_u(struct sbuf *b, const char *prefix, size_t plen, uint64_t v)
{
	char tmp[48];
	char *end = tmp + sizeof(tmp);
	char *q = fmt_u64(end, v);
	q -= plen;
	memcpy(q, prefix, plen);
	sb_putn(b, q, (size_t)(end - q));
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_putn(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_word(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Append TEXT with hex literals >= 0x10000 outside quoted strings as ADDR
 * (G6). */
static void put_masked(struct sbuf *b, const char *text)
{
	/* Copied in stretches: RUN..P is text not yet appended. */
	bool quoted = false;
	const char *p = text;
	const char *run = text;
	while (*p) {
		char c = *p;
		if (quoted) {
			if (c == '\\' && p[1]) {
				p += 2;
				continue;
			}
			if (c == '"')
				quoted = false;
			p++;
			continue;
		}
		if (c == '"') {
			quoted = true;
			p++;
			continue;
		}
		if (c == '0' && (p[1] == 'x' || p[1] == 'X') && is_hex(p[2]) && (p == text || !is_word(p[-1]))) {
			const char *q = p + 2;
			while (*q == '0')
				q++;
			const char *digits = q;
			while (is_hex(*q))
				q++;
			if (!is_word(*q) && q - digits > 4) {
				sb_putn(b, run, (size_t)(p - run));
				sb_putn(b, "ADDR", 4);
				p = q;
				run = q;
				continue;
			}
			p = q;
			continue;
		}
		p++;
	}
	sb_putn(b, run, (size_t)(p - run));
}

/* The lowest free name fdN (N >= 1); 0 on OOM. */
static uint32_t name_alloc(struct proc *p)
{
	uint32_t n = p->hint ? p->hint : 1;
	while (n < p->ucap && p->used[n])
		n++;
	if (n >= p->ucap) {
		size_t c = p->ucap ? p->ucap * 2 : 64;
		while (c <= n)
			c *= 2;
		uint8_t *nu = realloc(p->used, c);
		if (!nu)
			return 0;
		memset(nu + p->ucap, 0, c - p->ucap);
		p->used = nu;
		p->ucap = c;
	}
	p->used[n] = 1;
	p->hint = n + 1;
	return n;
}

static void name_free(struct proc *p, uint32_t n)
{
	if (n && n < p->ucap && p->used[n]) {
		p->used[n] = 0;
		if (n < p->hint)
			p->hint = n;
	}
}

/* The entry of fd number FD (created, closed, when new). NULL on OOM. */
static struct fdent *fd_entry(struct proc *p, long fd)
{
	uint32_t i = imap_get(&p->fds, fd);
	if (i != IMAP_ABSENT)
		return &p->ents[i];
	if (p->nents == p->ecap) {
		size_t c = p->ecap ? p->ecap * 2 : 16;
		struct fdent *ne = realloc(p->ents, c * sizeof(*ne));
		if (!ne)
			return NULL;
		p->ents = ne;
		p->ecap = c;
	}
	if (imap_put(&p->fds, fd, (uint32_t)p->nents) != 0)
		return NULL;
	p->ents[p->nents] = (struct fdent){ .open = false };
	return &p->ents[p->nents++];
}

/* FD now refers to something new: it gets the lowest free name. NULL on
 * OOM. */
static struct fdent *fd_assign(struct proc *p, long fd)
{
	struct fdent *e = fd_entry(p, fd);
	if (!e)
		return NULL;
	if (e->open)
		name_free(p, e->name);
	e->name = name_alloc(p);
	if (!e->name)
		return NULL;
	e->open = true;
	return e;
}

/* FD as used by a call: its entry, named now when the call that created
 * it was not seen (inherited, or opened in the dropped prelude). NULL on
 * OOM. */
static struct fdent *fd_use(struct proc *p, long fd)
{
	struct fdent *e = fd_entry(p, fd);
	if (!e)
		return NULL;
	if (!e->open)
		return fd_assign(p, fd);
	return e;
}

static void fd_close(struct proc *p, long fd)
{
	uint32_t i = imap_get(&p->fds, fd);
	if (i == IMAP_ABSENT || !p->ents[i].open)
		return;
	name_free(p, p->ents[i].name);
	p->ents[i].open = false;
}

/* Parse a leading (optionally signed) decimal; false when there is none. */
static bool lead_long(const char *s, long *v)
{
	if (!s)
		return false;
	char *end;
	errno = 0;
	long x = strtol(s, &end, 10);
	if (end == s || errno)
		return false;
	*v = x;
	return true;
}

/* The basename of a quoted path argument, still quoted ("\"ls\""). */
static void put_path_basename(struct sbuf *b, const char *text)
{
	size_t n = strlen(text);
	if (n >= 2 && text[0] == '"' && text[n - 1] == '"') {
		const char *start = text + 1;
		for (const char *q = text + 1; q < text + n - 1; q++)
			if (*q == '/')
				start = q + 1;
		sb_puts(b, "\"");
		sb_putn(b, start, (size_t)(text + n - 1 - start));
		sb_puts(b, "\"");
		return;
	}
	put_masked(b, text);
}

struct norm {
	struct sbuf text, key;
	uint8_t cls;         /* enum call_class */
};

static uint8_t call_class(struct golden_seq *s, const struct event *ev, const char *name)
{
	const struct syscall_info *info = syscall_lookup(ev->nr);
	if (!info || !info->name || strcmp(info->name, name))
		return classify(name);
	if (!s->cls) {
		s->cls = calloc(syscall_table_size, 1);
		if (!s->cls)
			return classify(name);
		s->ncls = syscall_table_size;
	}
	if ((size_t)ev->nr >= s->ncls)
		return classify(name);
	if (!s->cls[ev->nr])
		s->cls[ev->nr] = classify(name);
	return s->cls[ev->nr];
}

static void both_puts(struct norm *nm, const char *s)
{
	size_t n = strlen(s);
	sb_putn(&nm->text, s, n);
	sb_putn(&nm->key, s, n);
}

static void both_masked(struct norm *nm, const char *s)
{
	put_masked(&nm->text, s);
	put_masked(&nm->key, s);
}

static void both_fd(struct norm *nm, const struct fdent *e)
{
	sb_put_prefixed_u(&nm->text, "fd", 2, e->name);
	sb_put_prefixed_u(&nm->key, "fd", 2, e->name);
}

/* Print an fd argument (number or AT_FDCWD). Returns -1 on OOM. */
static int put_fd_arg(struct norm *nm, struct proc *p, const char *text, uint64_t raw, bool has_text,
		      long *fdnum_out)
{
	long fd;
	if (has_text) {
		if (!lead_long(text, &fd)) {
			both_masked(nm, text); /* AT_FDCWD */
			return 0;
		}
	} else {
		fd = (long)(int)raw;
	}
	*fdnum_out = fd;
	if (fd < 0) {
		if (has_text)
			both_masked(nm, text);
		else
			sb_putl(&nm->text, fd), sb_putl(&nm->key, fd);
		return 0;
	}
	if (fd <= 2) {
		sb_putl(&nm->text, fd);
		sb_putl(&nm->key, fd);
		return 0;
	}
	const struct fdent *e = fd_use(p, fd);
	if (!e)
		return -1;
	both_fd(nm, e);
	return 0;
}

/* "[3, 4]" -> new fds (pipe, pipe2, socketpair). */
static int put_new_fd_array(struct norm *nm, struct proc *p, const char *text)
{
	long a, b2;
	if (!text || text[0] != '[' || !lead_long(text + 1, &a)) {
		both_masked(nm, text ? text : "?");
		return 0;
	}
	const char *comma = strchr(text, ',');
	if (!comma || !lead_long(comma + 1, &b2)) {
		both_masked(nm, text);
		return 0;
	}
	long v[2] = { a, b2 };
	both_puts(nm, "[");
	for (int i = 0; i < 2; i++) {
		if (i)
			both_puts(nm, ", ");
		if (v[i] >= 0 && v[i] <= 2) {
			sb_putl(&nm->text, v[i]);
			sb_putl(&nm->key, v[i]);
			continue;
		}
		const struct fdent *e = fd_assign(p, v[i]);
		if (!e)
			return -1;
		both_fd(nm, e);
	}
	both_puts(nm, "]");
	return 0;
}

static bool payload_kind(uint8_t k)
{
	return k == AK_BUF_IN || k == AK_BUF_OUT || k == AK_IOV_IN || k == AK_IOV_OUT || k == AK_BUF_OUT_HEX;
}

/* Normalise one event into nm; returns -1 on OOM. */
static int normalise(struct golden_seq *s, struct proc *p, const struct event *ev, struct norm *nm)
{
	const char *name = ev->name ? ev->name : "?";
	const struct syscall_info *info = syscall_lookup(ev->nr);
	if (info && info->name && strcmp(info->name, name))
		info = NULL; /* a name the table disagrees with: no kinds */
	bool exec = (nm->cls & CC_EXEC) != 0;
	bool payload = false;
	bool mask_next = false;
	long fd_args[EVENT_MAX_ARGS];
	int nfd_args = 0;
	(void)s;

	both_puts(nm, name);
	both_puts(nm, "(");
	int nshown = ev->nshown;
	if (nshown < 0)
		nshown = 0;
	if (nshown > EVENT_MAX_ARGS)
		nshown = EVENT_MAX_ARGS;
	if (nshown == 0 && ev->nargs > 0 && !ev->arg_text[0])
		nshown = ev->nargs > EVENT_MAX_ARGS ? EVENT_MAX_ARGS : ev->nargs;
	for (int i = 0; i < nshown; i++) {
		if (i)
			both_puts(nm, ", ");
		const char *t = ev->arg_text[i];
		bool has_text = t != NULL;
		char rawbuf[32];
		if (!has_text) {
			/* "%#llx", and "0" for zero */
			static const char hexd[] = "0123456789abcdef";
			uint64_t x = ev->raw_args[i];
			char *q = rawbuf + sizeof(rawbuf);
			*--q = '\0';
			do {
				*--q = hexd[x & 15];
				x >>= 4;
			} while (x);
			if (ev->raw_args[i] != 0) {
				*--q = 'x';
				*--q = '0';
			}
			t = q;
		}
		uint8_t kind = info && i < info->nargs ? info->args[i] : AK_HEX;
		if (mask_next) {
			/* the byte count that goes with a data buffer (G8) */
			mask_next = false;
			put_masked(&nm->text, t);
			sb_puts(&nm->key, "LEN");
			continue;
		}
		switch (kind) {
		case AK_FD:
		case AK_DIRFD: {
			long fd = -1;
			if (put_fd_arg(nm, p, t, ev->raw_args[i], has_text, &fd) != 0)
				return -1;
			if (nfd_args < EVENT_MAX_ARGS)
				fd_args[nfd_args++] = fd;
			break;
		}
		case AK_PTR:
			if (!strcmp(t, "NULL") || ev->raw_args[i] == 0)
				both_masked(nm, t);
			else
				both_puts(nm, "ADDR");
			break;
		case AK_PID: {
			long v;
			if (lead_long(t, &v) && v > 0)
				both_puts(nm, "PID");
			else
				both_masked(nm, t);
			break;
		}
		case AK_PIPE_FDS:
			if (ev->finished && !ev->err) {
				if (put_new_fd_array(nm, p, t) != 0)
					return -1;
			} else {
				both_masked(nm, t);
			}
			break;
		case AK_ENVP:
			put_masked(&nm->text, t);
			sb_puts(&nm->key, "ENVP");
			break;
		case AK_ARGV:
			put_masked(&nm->text, t);
			sb_puts(&nm->key, exec ? "ARGV" : t);
			break;
		case AK_PATH:
			if (exec) {
				put_masked(&nm->text, t);
				put_path_basename(&nm->key, t);
			} else {
				both_masked(nm, t);
			}
			break;
		default:
			if (payload_kind(kind)) {
				payload = true;
				put_masked(&nm->text, t);
				sb_puts(&nm->key, "DATA");
				if (kind == AK_BUF_IN || kind == AK_BUF_OUT || kind == AK_BUF_OUT_HEX)
					mask_next = true;
			} else {
				both_masked(nm, t);
			}
			break;
		}
	}
	both_puts(nm, ") = ");

	/* The result (G7). */
	uint8_t rk = info ? info->ret : RK_INT;
	if (!ev->finished || rk == RK_NORETURN) {
		both_puts(nm, "?");
	} else if (ev->err) {
		const char *en = errno_name(ev->err);
		if (en) {
			size_t enl = strlen(en);
			sb_putn(&nm->text, "-1 ", 3);
			sb_putn(&nm->text, en, enl);
			sb_putn(&nm->key, "-1 ", 3);
			sb_putn(&nm->key, en, enl);
		} else {
			sb_printf(&nm->text, "-1 E%d", ev->err);
			sb_printf(&nm->key, "-1 E%d", ev->err);
		}
	} else {
		bool fd_result = rk == RK_FD;
		if ((nm->cls & CC_FCNTL) && nshown >= 2 && ev->arg_text[1] &&
		    !strncmp(ev->arg_text[1], "F_DUPFD", 7))
			fd_result = true;
		long r = ev->result;
		if (fd_result && r > 2) {
			struct fdent *e = NULL;
			uint32_t ti = imap_get(&p->fds, r);
			if ((nm->cls & CC_DUP23) && nfd_args >= 2 && fd_args[1] == r &&
			    ti != IMAP_ABSENT && p->ents[ti].open) {
				/* the target fd keeps the name its argument got */
				e = &p->ents[ti];
			} else {
				e = fd_assign(p, r);
				if (!e)
					return -1;
			}
			both_fd(nm, e);
		} else if (rk == RK_HEX) {
			both_puts(nm, r == 0 ? "0" : "ADDR");
		} else if ((nm->cls & CC_PIDRES) && r > 0) {
			both_puts(nm, "PID");
		} else if (payload && r > 0) {
			sb_putl(&nm->text, r);
			sb_puts(&nm->key, "N");
		} else {
			sb_putl(&nm->text, r);
			sb_putl(&nm->key, r);
		}
	}

	/* close forgets the number (after it was printed). */
	if ((nm->cls & CC_CLOSE) && nfd_args == 1 && fd_args[0] > 2 && ev->finished && !ev->err)
		fd_close(p, fd_args[0]);
	return nm->text.oom || nm->key.oom ? -1 : 0;
}

static void seq_event(struct golden_seq *s, const struct event *ev)
{
	uint64_t record = s->records++;
	if (s->failed)
		return;
	long pi = proc_index(s, ev->pid);
	if (pi < 0)
		goto oom;
	struct proc *p = &s->procs[pi];
	const char *name = ev->name ? ev->name : "?";
	uint8_t cls = call_class(s, ev, name);
	bool exec_ok = (cls & CC_EXEC) && ev->finished && !ev->err && ev->result == 0;

	/* G2: the loader prelude */
	if (p->in_prelude) {
		if (is_loader_module(ev->module))
			return;
		p->in_prelude = false;
	}
	/* G3 */
	if (cls & CC_DROP) {
		if (exec_ok)
			p->in_prelude = true;
		return;
	}
	long ti = task_index(s, ev->tid, p);
	if (ti < 0)
		goto oom;

	/* the scratch buffers are kept between events */
	struct norm nm = {
		.text = { .p = s->tbuf, .cap = s->tcap_ },
		.key = { .p = s->kbuf, .cap = s->kcap_ },
		.cls = cls,
	};
	const char *label = intern_str(&s->in, s->tasks[ti].label);
	both_puts(&nm, label);
	int rc = normalise(s, p, ev, &nm);
	s->tbuf = nm.text.p;
	s->tcap_ = nm.text.cap;
	s->kbuf = nm.key.p;
	s->kcap_ = nm.key.cap;
	if (rc != 0 || nm.text.oom || nm.key.oom || !nm.text.p || !nm.key.p)
		goto oom;
	struct elem e = { .record = record };
	long ta = intern_add(&s->in, nm.text.p, nm.text.len);
	long kb = intern_add(&s->in, nm.key.p, nm.key.len);
	if (ta < 0 || kb < 0)
		goto oom;
	e.text = (uint32_t)ta;
	e.key = (uint32_t)kb;
	if (ev->source && ev->source->file) {
		long f = intern_add(&s->in, ev->source->file, strlen(ev->source->file));
		long fn = ev->source->function ? intern_add(&s->in, ev->source->function,
							    strlen(ev->source->function))
					       : 0;
		if (f < 0 || fn < 0)
			goto oom;
		e.file = (uint32_t)f;
		e.fn = (uint32_t)fn;
		e.line = ev->source->line;
		s->has_source = true;
	}
	/* An rle record (event.h) is its N calls: the same element N times,
	 * all pointing at the one record. Normalising once is exact: merged
	 * calls never change the fd table or the prelude (src/output/rle.h),
	 * and a first-use fd name given by the first copy holds for all. */
	for (uint64_t n = event_calls(ev); n > 0; n--)
		if (task_push(s, &s->tasks[ti], &e) != 0)
			goto oom;
	if (exec_ok)
		p->in_prelude = true;
	return;
oom:
	s->failed = true;
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
	seq_event(g->seq, ev);
}

static int gs_finish(void *self, const struct run_info *ri)
{
	struct gsink *g = self;
	(void)ri;
	if (g->seq->failed) {
		fprintf(stderr, "renacer-c: golden sequence: out of memory\n");
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
	if (d->nops == d->opcap) {
		size_t c = d->opcap ? d->opcap * 2 : 64;
		struct op *no = realloc(d->ops, c * sizeof(*no));
		if (!no) {
			d->oom = true;
			return;
		}
		d->ops = no;
		d->opcap = c;
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
					rid = intern_find(&ref->in, s->in.arena + is->off, is->len, is->hash);
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
