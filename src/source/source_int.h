/* source_int.h — private interfaces of the source resolver (src/source/).
 *
 *   maps.c     /proc/PID/maps parsing, sorted, binary-searched
 *   unwind.c   CFI unwinding of a ptrace-stopped thread (libdw with our own
 *              Dwfl_Thread_Callbacks: registers from one PTRACE_GETREGS per
 *              stop, memory by process_vm_readv through a per-stop page cache)
 *   unwind_libunwind.c  the same with libunwind (unwind_backend.h)
 *   dwarf.c    per-module identity, (module identity, pc) -> frame info cache,
 *              libdw symbol / line / function lookup on a miss
 *   resolver.c the public API of src/source/source.h, the per-process table */
#ifndef RENACER_SOURCE_INT_H
#define RENACER_SOURCE_INT_H

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "hashmap.h"
#include "intern.h"
#include "source.h"

/* ---- maps.c ---- */
struct map_ent {
	uint64_t start, end, off;
	uint64_t inode;
	unsigned dev_major, dev_minor;
	bool exec;
	const char *path; /* interned; NULL for anonymous and [special] mappings */
	const char *name; /* interned; the raw name ("[vdso]", "/lib/..."), or NULL */
};

struct maps {
	struct map_ent *v;
	size_t n, cap;
	uint64_t file_sig; /* hash over the file-backed mappings (not anon ones) */
	bool valid;
};

/* Re-reads /proc/PID/maps into m (entries sorted by start). 0 or -1. */
int maps_read(struct maps *m, pid_t pid, struct intern_tab *it);
const struct map_ent *maps_find(const struct maps *m, uint64_t ip);
void maps_free(struct maps *m);

/* ---- dwarf.c ---- */
/* What we know about one Dwfl_Module of one process (its userdata). */
struct modinfo {
	struct modinfo *next;
	const char *path;  /* interned module name as in /proc/PID/maps */
	const char *ident; /* interned identity: build-id, else path+dev+inode */
	uint64_t start;    /* lowest address of the module in the process */
	bool system;       /* libc, ld.so, /lib*, /usr/lib*, [vdso] */
	bool main;         /* the process's executable */
};

/* Resolved facts about one (module identity, pc) pair, independent of the
 * process and of where the module is loaded. */
struct frame_info {
	const char *ident;
	uint64_t rel;      /* looked-up pc (pc, or pc-1 for return addresses) - module start */
	const char *symbol;
	uint64_t sym_rel;  /* symbol start - module start */
	const char *file;
	const char *function;
	unsigned line;
	bool user;         /* has a DWARF line and the module is not a system one */
};

struct frame_cache;
struct frame_cache *fcache_new(void);
void fcache_free(struct frame_cache *c);
/* The cached entry for (ident, rel), or NULL. */
const struct frame_info *fcache_get(const struct frame_cache *c, const char *ident, uint64_t rel);
/* Resolves pc_adj (an absolute address, already pc-1 for return addresses)
 * in mod and caches it. NULL on allocation failure. */
const struct frame_info *fcache_resolve(struct frame_cache *c, struct intern_tab *it,
					Dwfl_Module *mod, const struct modinfo *mi, uint64_t pc_adj);

/* Fills in mi for mod (path, identity, start, system); the process's
 * executable path decides `main`. 0 or -1 (allocation). */
int modinfo_init(struct modinfo *mi, Dwfl_Module *mod, const struct maps *maps, const char *exe,
		 struct intern_tab *it);
bool path_is_system(const char *path);

/* ---- unwind.c ---- */

struct memcache;
struct memcache *memcache_new(void);
void memcache_free(struct memcache *mc);
/* Forget everything read (the tracee ran since). */
void memcache_invalidate(struct memcache *mc);
/* One word of pid's memory through the page cache. */
bool memcache_read(struct memcache *mc, pid_t pid, uint64_t addr, uint64_t *out);

/* Attaches our thread callbacks to dwfl; arg must stay valid for the life
 * of dwfl. regs: the stopped thread's registers, taken once per stop
 * (PTRACE_GETREGS) and shared by both unwinders. */
struct unwind_arg {
	struct memcache *mc;
	pid_t pid;
	struct user_regs_struct regs;
};
/* An x86_64 ELF header in memory: tells dwfl_attach_state the architecture.
 * Must outlive every Dwfl attached with it. */
struct arch_elf;
struct arch_elf *arch_elf_new(void);
void arch_elf_free(struct arch_elf *a);
bool unwind_attach(Dwfl *dwfl, struct arch_elf *arch, struct unwind_arg *arg);
/* Called for each frame, innermost first, with its pc and whether it is an
 * activation (the interrupted instruction: the first frame, or one after a
 * signal frame) rather than a return address. Returns UNWIND_STOP to end
 * the walk, UNWIND_NEXT to go on. */
enum { UNWIND_STOP, UNWIND_NEXT };
typedef int unwind_frame_fn(void *ctx, uint64_t pc, bool activation);
/* Unwinds the thread whose registers are in the Dwfl's unwind_arg, calling
 * fn per frame; *nframes is the number of calls. 0: reached the outermost
 * frame, 1: fn stopped the walk, -1: a frame could not be unwound. */
int unwind_dwfl(Dwfl *dwfl, pid_t tid, unwind_frame_fn *fn, void *ctx, unsigned *nframes);

#endif
