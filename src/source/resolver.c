/* resolver.c — the public API of src/source/source.h: a table of traced
 * processes, each with its parsed /proc/PID/maps and one Dwfl (modules
 * reported from /proc/PID/maps, our thread callbacks attached), plus the
 * resolver-wide frame cache and string table.
 *
 * Refreshing: source_maps_changed only marks the process; the next
 * source_unwind or source_module_of re-reads /proc/PID/maps, and the
 * Dwfl's modules are re-reported only when the set of file-backed
 * mappings actually changed (an anonymous mmap for malloc costs one maps
 * read, nothing more). An unwound pc outside every known module, or a
 * module_of miss, also triggers one re-read (once per page until the
 * next change), which covers mappings the tracer did not see made. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

#include "source_int.h"
#include "unwind_backend.h"

/* Fallback attempts that found nothing, in a row, after which a process
 * gets no more until its file mappings change or the chosen unwinder
 * finds a user frame again (a program without debug info would otherwise
 * pay for two unwinds per stop). */
#define FALLBACK_MAX_MISSES 8u

struct sproc {
	pid_t pid;
	struct maps maps;
	bool maps_dirty;
	bool miss_valid;   /* a miss on miss_page already re-read the maps */
	uint64_t miss_page;
	Dwfl *dwfl;
	bool dwfl_failed;  /* no retry until the maps change */
	uint64_t dwfl_sig; /* maps.file_sig when the Dwfl's modules were reported */
	struct unwind_arg ua;
	struct lu_space *lu; /* libunwind's address space, made on first use */
	unsigned fb_misses;  /* fallback attempts in a row that found no user frame */
	struct modinfo *mods;
	const char *exe;
	bool exe_checked, notice_pending, notice_taken;
};

struct source_resolver {
	unsigned max_frames;
	struct intern_tab *it;
	struct frame_cache *fc;
	struct memcache *mc;
	struct arch_elf *arch;
	bool full_stack;   /* walk the whole stack (-k), not just to the call site */
	enum source_unwinder unwinder;
	bool unwinder_chosen; /* by source_set_unwinder, else the default for the walk */
	bool fallback;     /* try the other unwinder where this one finds no user frame */
	unsigned long fallbacks;
	struct stack_frame *frames;
	struct stack_frame *frames_alt; /* the other unwinder's walk */
	struct source_loc loc;
	struct sproc *last;  /* the last one found: calls come in runs per process */
	struct hmap procs;   /* pid -> struct sproc * */
};

/* Default search path for separate debug files: next to the module, its
 * .debug/ directory, /usr/lib/debug (by .gnu_debuglink and by build-id). */
static char *debuginfo_path;
static const Dwfl_Callbacks proc_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

struct source_resolver *source_new(unsigned max_frames)
{
	struct source_resolver *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	if (max_frames == 0)
		max_frames = 1;
	r->max_frames = max_frames;
	hmap_u64_init(&r->procs);
	r->it = intern_new();
	r->fc = fcache_new();
	r->mc = memcache_new();
	r->arch = arch_elf_new();
	r->full_stack = true;
	r->unwinder = source_default_unwinder(true);
	r->fallback = true;
	r->frames = calloc(max_frames, sizeof(*r->frames));
	r->frames_alt = calloc(max_frames, sizeof(*r->frames_alt));
	if (!r->it || !r->fc || !r->mc || !r->arch || !r->frames || !r->frames_alt) {
		source_free(r);
		return NULL;
	}
	return r;
}

static void proc_destroy(struct sproc *p)
{
	if (p->dwfl)
		dwfl_end(p->dwfl);
	lu_space_free(p->lu);
	maps_free(&p->maps);
	for (struct modinfo *m = p->mods, *next; m; m = next) {
		next = m->next;
		free(m);
	}
	free(p);
}

void source_free(struct source_resolver *r)
{
	if (!r)
		return;
	size_t pos = 0;
	for (struct hmap_u64 *e; (e = hmap_next(&r->procs, &pos));)
		proc_destroy(e->ptr);
	hmap_free(&r->procs);
	intern_free(r->it);
	fcache_free(r->fc);
	memcache_free(r->mc);
	arch_elf_free(r->arch); /* after every Dwfl that used it */
	free(r->frames);
	free(r->frames_alt);
	free(r);
}

static struct sproc *proc_find(struct source_resolver *r, pid_t pid)
{
	if (r->last && r->last->pid == pid)
		return r->last;
	struct sproc *p = hmap_u64_find(&r->procs, (uint64_t)pid);
	if (p)
		r->last = p;
	return p;
}

static struct sproc *proc_get(struct source_resolver *r, pid_t pid)
{
	struct sproc *p = proc_find(r, pid);
	if (p)
		return p;

	char path[64], exe[PATH_MAX];
	const char *exe_name = NULL;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(path, exe, sizeof(exe) - 1);
	if (n > 0 && !(exe_name = intern_n(r->it, exe, (size_t)n)))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p || !hmap_u64_put(&r->procs, (uint64_t)pid, p)) {
		free(p);
		return NULL;
	}
	p->pid = pid;
	p->maps_dirty = true;
	p->exe = exe_name;
	r->last = p;
	return p;
}

static bool ensure_maps(struct source_resolver *r, struct sproc *p)
{
	if (p->maps.valid && !p->maps_dirty)
		return true;
	p->maps_dirty = false;
	return maps_read(&p->maps, p->pid, r->it) == 0;
}

/* A lookup at ip missed: re-read the maps unless a miss on this page
 * already did since the last change. Whether the maps were re-read. */
static bool reread_on_miss(struct source_resolver *r, struct sproc *p, uint64_t ip)
{
	uint64_t page = ip >> 12;

	if (p->miss_valid && p->miss_page == page)
		return false;
	p->miss_valid = true;
	p->miss_page = page;
	p->maps_dirty = true;
	return ensure_maps(r, p);
}

static void report_modules(struct sproc *p)
{
	dwfl_report_begin(p->dwfl);
	(void)dwfl_linux_proc_report(p->dwfl, p->pid);
	(void)dwfl_report_end(p->dwfl, NULL, NULL);
	p->dwfl_sig = p->maps.file_sig;
	if (p->lu) /* it holds Dwfl_Module pointers and cached states */
		lu_space_flush(p->lu);
	p->fb_misses = 0;
}

static int find_exe_cb(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start,
		       void *arg)
{
	struct sproc *p = arg;
	Dwarf_Addr bias;

	(void)userdata;
	(void)start;
	if (!name || strcmp(name, p->exe) != 0)
		return DWARF_CB_OK;
	p->notice_pending = dwfl_module_getdwarf(mod, &bias) == NULL;
	return DWARF_CB_ABORT;
}

/* The process's Dwfl, created or refreshed as needed; NULL when none. */
static Dwfl *ensure_dwfl(struct source_resolver *r, struct sproc *p)
{
	if (!ensure_maps(r, p))
		return NULL;
	if (p->dwfl_failed) {
		if (p->maps.file_sig == p->dwfl_sig)
			return NULL;
		p->dwfl_failed = false;
	}
	if (!p->dwfl) {
		p->dwfl = dwfl_begin(&proc_callbacks);
		if (!p->dwfl)
			goto fail;
		report_modules(p);
		p->ua.mc = r->mc;
		p->ua.pid = p->pid;
		if (!unwind_attach(p->dwfl, r->arch, &p->ua)) {
			dwfl_end(p->dwfl);
			p->dwfl = NULL;
			goto fail;
		}
	} else if (p->maps.file_sig != p->dwfl_sig) {
		report_modules(p);
	}
	if (!p->exe_checked) {
		p->exe_checked = true;
		if (p->exe)
			(void)dwfl_getmodules(p->dwfl, find_exe_cb, p, 0);
	}
	return p->dwfl;
fail:
	p->dwfl_failed = true;
	p->dwfl_sig = p->maps.file_sig;
	return NULL;
}

static struct modinfo *modinfo_of(struct source_resolver *r, struct sproc *p, Dwfl_Module *mod)
{
	void **slot = NULL;

	(void)dwfl_module_info(mod, &slot, NULL, NULL, NULL, NULL, NULL, NULL);
	if (slot && *slot)
		return *slot;
	struct modinfo *mi = malloc(sizeof(*mi));
	if (!mi)
		return NULL;
	if (modinfo_init(mi, mod, &p->maps, p->exe, r->it) < 0) {
		free(mi);
		return NULL;
	}
	mi->next = p->mods;
	p->mods = mi;
	if (slot)
		*slot = mi;
	return mi;
}

/* State of one walk: frames are resolved as the unwinder produces them. */
struct walk {
	struct source_resolver *r;
	struct sproc *p;
	struct stack_frame *frames; /* r->frames or r->frames_alt */
	unsigned n;
	bool last_activation; /* how the previous frame was looked up */
	const struct source_loc *loc;
	bool missing;      /* some pc lay outside every module */
	uint64_t miss_pc;  /* the first such pc */
};

/* Fills in sf for pc (looked up at pc itself for an activation, else at
 * pc - 1); with may_locate, the first user frame becomes w->loc. */
static void resolve_frame(struct walk *w, struct stack_frame *sf, uint64_t pc, bool activation,
			  bool may_locate)
{
	struct source_resolver *r = w->r;
	uint64_t adj = activation ? pc : pc - 1;

	memset(sf, 0, sizeof(*sf));
	sf->pc = pc;
	Dwfl_Module *mod = dwfl_addrmodule(w->p->dwfl, adj);
	struct modinfo *mi = mod ? modinfo_of(r, w->p, mod) : NULL;
	if (!mod) {
		const struct map_ent *e = maps_find(&w->p->maps, adj);
		if (!w->missing)
			w->miss_pc = adj;
		w->missing = true;
		if (e) {
			sf->module = e->path;
			sf->rel = pc - e->start + e->off;
		}
	} else if (mi) {
		sf->module = mi->path;
		sf->rel = pc - mi->start;
		const struct frame_info *fi = fcache_get(r->fc, mi->ident, adj - mi->start);
		if (!fi)
			fi = fcache_resolve(r->fc, r->it, mod, mi, adj);
		if (fi) {
			sf->symbol = fi->symbol;
			if (fi->symbol)
				sf->sym_off = pc - (mi->start + fi->sym_rel);
			sf->file = fi->file;
			sf->line = fi->line;
			if (may_locate && !w->loc && fi->user) {
				r->loc.file = fi->file;
				r->loc.line = fi->line;
				r->loc.function = fi->function;
				w->loc = &r->loc;
			}
		}
	}
}

static int on_frame(void *ctx, uint64_t pc, bool activation)
{
	struct walk *w = ctx;
	struct source_resolver *r = w->r;

	/* An activation after a return address: the frame before was a
	 * signal trampoline, which libdw itself reports as an activation
	 * (its pc is where the kernel returns to) but libunwind can only
	 * tell once past it. Look it up at its pc, as libdw does. */
	if (activation && w->n > 0 && !w->last_activation)
		resolve_frame(w, &w->frames[w->n - 1], w->frames[w->n - 1].pc, true, false);
	w->last_activation = activation;
	resolve_frame(w, &w->frames[w->n++], pc, activation, true);
	if (w->n >= r->max_frames || !(r->full_stack || !w->loc))
		return UNWIND_STOP;
	return UNWIND_NEXT;
}

/* One walk of tid's stack with unwinder u into frames. */
static enum unwind_end walk(struct source_resolver *r, struct sproc *p, pid_t tid,
			    enum source_unwinder u, struct stack_frame *frames, struct walk *w)
{
	unsigned n = 0;

	*w = (struct walk){ .r = r, .p = p, .frames = frames };
	if (u == SOURCE_UNWINDER_LIBUNWIND) {
		if (!p->lu && !(p->lu = lu_space_new()))
			return UNWIND_END_ERROR;
		return unwind_libunwind(p->lu, p->dwfl, &p->ua, on_frame, w, &n);
	}
	int rc = unwind_dwfl(p->dwfl, tid, on_frame, w, &n);
	return rc < 0 ? UNWIND_END_ERROR : rc > 0 ? UNWIND_END_STOPPED : UNWIND_END_CLEAN;
}

/* walk, and once more if it met code in a mapping not yet reported. */
static bool walk_fresh(struct source_resolver *r, struct sproc *p, pid_t tid,
		       enum source_unwinder u, struct stack_frame *frames, struct walk *w)
{
	(void)walk(r, p, tid, u, frames, w);
	if (w->missing && reread_on_miss(r, p, w->miss_pc) && p->maps.file_sig != p->dwfl_sig) {
		/* Code we had not seen mapped: report it and unwind again. */
		if (!ensure_dwfl(r, p))
			return false;
		(void)walk(r, p, tid, u, frames, w);
	}
	return true;
}

enum source_unwinder source_default_unwinder(bool full_stack)
{
	return full_stack ? SOURCE_UNWINDER_LIBDW : SOURCE_UNWINDER_LIBUNWIND;
}

void source_set_full_stack(struct source_resolver *r, bool full)
{
	r->full_stack = full;
	if (!r->unwinder_chosen)
		r->unwinder = source_default_unwinder(full);
}

void source_set_unwinder(struct source_resolver *r, enum source_unwinder u, bool fallback)
{
	r->unwinder = u;
	r->unwinder_chosen = true;
	r->fallback = fallback;
}

enum source_unwinder source_get_unwinder(const struct source_resolver *r)
{
	return r->unwinder;
}

const char *source_unwinder_name(enum source_unwinder u)
{
	return u == SOURCE_UNWINDER_LIBUNWIND ? "libunwind" : "libdw";
}

unsigned long source_fallbacks(const struct source_resolver *r)
{
	return r->fallbacks;
}

int source_unwind(struct source_resolver *r, pid_t pid, pid_t tid, const struct source_loc **loc,
		  const struct stack_frame **frames)
{
	struct walk w;

	*loc = NULL;
	*frames = r->frames;
	struct sproc *p = proc_get(r, pid);
	if (!p || !ensure_dwfl(r, p))
		return 0;
	/* One register snapshot and one page cache for the stop, whichever
	 * unwinder (or both) walks it. */
	if (ptrace(PTRACE_GETREGS, tid, NULL, &p->ua.regs) < 0)
		return 0;
	memcache_invalidate(r->mc);
	if (!walk_fresh(r, p, tid, r->unwinder, r->frames, &w))
		return 0;
	if (w.loc) {
		p->fb_misses = 0;
	} else if (r->fallback && p->fb_misses < FALLBACK_MAX_MISSES) {
		struct walk w2;
		enum source_unwinder other = r->unwinder == SOURCE_UNWINDER_LIBDW
						     ? SOURCE_UNWINDER_LIBUNWIND
						     : SOURCE_UNWINDER_LIBDW;
		if (!walk_fresh(r, p, tid, other, r->frames_alt, &w2))
			return 0;
		if (w2.loc) {
			/* The location now points into r->loc, set by w2. */
			struct stack_frame *t = r->frames;
			r->frames = r->frames_alt;
			r->frames_alt = t;
			w = w2;
			r->fallbacks++;
			p->fb_misses = 0;
		} else {
			p->fb_misses++;
		}
	}
	*frames = r->frames;
	*loc = w.loc;
	return (int)w.n;
}

const char *source_module_of(struct source_resolver *r, pid_t pid, uint64_t ip)
{
	struct sproc *p = proc_get(r, pid);

	if (!p || !ensure_maps(r, p))
		return NULL;
	const struct map_ent *e = maps_find(&p->maps, ip);
	if (!e && reread_on_miss(r, p, ip))
		e = maps_find(&p->maps, ip);
	return e ? e->path : NULL;
}

void source_forget_process(struct source_resolver *r, pid_t pid)
{
	struct sproc *p = hmap_u64_remove(&r->procs, (uint64_t)pid);

	if (!p)
		return;
	if (r->last == p)
		r->last = NULL;
	proc_destroy(p);
}

void source_maps_changed(struct source_resolver *r, pid_t pid)
{
	struct sproc *p = proc_find(r, pid);

	if (p) {
		p->maps_dirty = true;
		p->miss_valid = false;
	}
}

bool source_take_nodebug_notice(struct source_resolver *r, pid_t pid, const char **exe)
{
	struct sproc *p = proc_find(r, pid);

	if (!p || !p->notice_pending || p->notice_taken)
		return false;
	p->notice_taken = true;
	if (exe)
		*exe = p->exe;
	return true;
}
