/* golden_norm.c — normalisation: one event into the text shown for it and
 * the key compared (rules G1-G8 in golden.h; see docs/design.md, "Golden
 * traces"). */
#include "golden_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_flags.h"
#include "source.h"
#include "syscall_table.h"
#include "vec.h"

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
		/* the documented default (docs/design.md, "Golden traces") */
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
				sbuf_putn(b, run, (size_t)(p - run));
				sbuf_putn(b, "ADDR", 4);
				p = q;
				run = q;
				continue;
			}
			p = q;
			continue;
		}
		p++;
	}
	sbuf_putn(b, run, (size_t)(p - run));
}

/* The lowest free name fdN (N >= 1); 0 on OOM. */
static uint32_t name_alloc(struct proc *p)
{
	uint32_t n = p->hint ? p->hint : 1;
	while (n < p->ucap && p->used[n])
		n++;
	if (n >= p->ucap) {
		size_t old = p->ucap;
		if (!vec_grow(&p->used, &p->ucap, (size_t)n + 1, 1))
			return 0;
		memset(p->used + old, 0, p->ucap - old);
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
	uint32_t i = golden_imap_get(&p->fds, fd);
	if (i != IMAP_ABSENT)
		return &p->ents[i];
	if (!vec_grow(&p->ents, &p->ecap, p->nents + 1, sizeof(*p->ents)))
		return NULL;
	if (golden_imap_put(&p->fds, fd, (uint32_t)p->nents) != 0)
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
	uint32_t i = golden_imap_get(&p->fds, fd);
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
		sbuf_puts(b, "\"");
		sbuf_putn(b, start, (size_t)(text + n - 1 - start));
		sbuf_puts(b, "\"");
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
	sbuf_putn(&nm->text, s, n);
	sbuf_putn(&nm->key, s, n);
}

static void both_masked(struct norm *nm, const char *s)
{
	put_masked(&nm->text, s);
	put_masked(&nm->key, s);
}

static void both_fd(struct norm *nm, const struct fdent *e)
{
	sbuf_putn(&nm->text, "fd", 2);
	sbuf_put_u64(&nm->text, e->name);
	sbuf_putn(&nm->key, "fd", 2);
	sbuf_put_u64(&nm->key, e->name);
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
			sbuf_put_i64(&nm->text, fd), sbuf_put_i64(&nm->key, fd);
		return 0;
	}
	if (fd <= 2) {
		sbuf_put_i64(&nm->text, fd);
		sbuf_put_i64(&nm->key, fd);
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
			sbuf_put_i64(&nm->text, v[i]);
			sbuf_put_i64(&nm->key, v[i]);
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
			sbuf_puts(&nm->key, "LEN");
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
			sbuf_puts(&nm->key, "ENVP");
			break;
		case AK_ARGV:
			put_masked(&nm->text, t);
			sbuf_puts(&nm->key, exec ? "ARGV" : t);
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
				sbuf_puts(&nm->key, "DATA");
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
			sbuf_putn(&nm->text, "-1 ", 3);
			sbuf_putn(&nm->text, en, enl);
			sbuf_putn(&nm->key, "-1 ", 3);
			sbuf_putn(&nm->key, en, enl);
		} else {
			sbuf_printf(&nm->text, "-1 E%d", ev->err);
			sbuf_printf(&nm->key, "-1 E%d", ev->err);
		}
	} else {
		bool fd_result = rk == RK_FD;
		if ((nm->cls & CC_FCNTL) && nshown >= 2 && ev->arg_text[1] &&
		    !strncmp(ev->arg_text[1], "F_DUPFD", 7))
			fd_result = true;
		long r = ev->result;
		if (fd_result && r > 2) {
			struct fdent *e = NULL;
			uint32_t ti = golden_imap_get(&p->fds, r);
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
			sbuf_put_i64(&nm->text, r);
			sbuf_puts(&nm->key, "N");
		} else {
			sbuf_put_i64(&nm->text, r);
			sbuf_put_i64(&nm->key, r);
		}
	}

	/* close forgets the number (after it was printed). */
	if ((nm->cls & CC_CLOSE) && nfd_args == 1 && fd_args[0] > 2 && ev->finished && !ev->err)
		fd_close(p, fd_args[0]);
	return nm->text.oom || nm->key.oom ? -1 : 0;
}

void golden_seq_event(struct golden_seq *s, const struct event *ev)
{
	uint64_t record = s->records++;
	if (s->failed)
		return;
	long pi = golden_proc_index(s, ev->pid);
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
	long ti = golden_task_index(s, ev->tid, p);
	if (ti < 0)
		goto oom;

	/* the scratch buffers are kept between events */
	sbuf_reset(&s->tbuf);
	sbuf_reset(&s->kbuf);
	struct norm nm = {.text = s->tbuf, .key = s->kbuf, .cls = cls};
	const char *label = golden_intern_str(&s->in, s->tasks[ti].label);
	both_puts(&nm, label);
	int rc = normalise(s, p, ev, &nm);
	s->tbuf = nm.text;
	s->kbuf = nm.key;
	if (rc != 0 || nm.text.oom || nm.key.oom || !nm.text.p || !nm.key.p)
		goto oom;
	struct elem e = { .record = record };
	long ta = golden_intern_add(&s->in, nm.text.p, nm.text.len);
	long kb = golden_intern_add(&s->in, nm.key.p, nm.key.len);
	if (ta < 0 || kb < 0)
		goto oom;
	e.text = (uint32_t)ta;
	e.key = (uint32_t)kb;
	if (ev->source && ev->source->file) {
		long f = golden_intern_add(&s->in, ev->source->file, strlen(ev->source->file));
		long fn = ev->source->function ? golden_intern_add(&s->in, ev->source->function,
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
		if (golden_task_push(s, &s->tasks[ti], &e) != 0)
			goto oom;
	if (exec_ok)
		p->in_prelude = true;
	return;
oom:
	s->failed = true;
}
