/* source.h — from a stopped tracee's registers to user source code:
 * CFI unwinding, module lookup through /proc/PID/maps, and DWARF line
 * resolution (libdw), for -s/--source, -k and the JSON `module` field.
 *
 * Ownership: the resolver owns every string and array it hands out.
 * Strings (module paths, file, function and symbol names) are interned:
 * they stay valid until source_free, so callers may keep the pointers
 * (the tracer resolves at syscall entry and prints at exit). The frame
 * array and the source_loc struct are valid only until the next
 * source_unwind; copy them. Nothing on the per-syscall path allocates
 * once a (module, pc) pair is cached. */
#ifndef RENACER_SOURCE_H
#define RENACER_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct source_loc {
	const char *file;      /* as in DWARF (may be relative: "src/main.c") */
	unsigned line;
	const char *function;  /* "main", NULL when unknown */
};

struct stack_frame {
	uint64_t pc;           /* absolute address in the tracee */
	const char *module;    /* "/usr/lib/x86_64-linux-gnu/libc.so.6", NULL if unmapped */
	const char *symbol;    /* "write" (no @VERSION), NULL when unknown */
	uint64_t sym_off;      /* pc - symbol start */
	uint64_t rel;          /* pc relative to the module's load base (strace's [0x10e1b4]) */
	const char *file;      /* DWARF file, NULL when none; NULL for system
				* libraries too (their lines are not looked up) */
	unsigned line;
};

struct source_resolver;

/* max_frames bounds the unwind depth (e.g. 64). NULL on failure. */
struct source_resolver *source_new(unsigned max_frames);
void source_free(struct source_resolver *r);

/* At a syscall-entry stop of tid (in process pid): unwind the user stack
 * with CFI and resolve each frame. Sets *loc to the first frame whose pc
 * has DWARF line info outside the C library, the dynamic loader and the
 * other system libraries under /lib* and /usr/lib* (NULL if none), and
 * *frames to the unwound frames (innermost first). Returns the number
 * of frames (0 when unwinding failed; *loc is then NULL). */
int source_unwind(struct source_resolver *r, pid_t pid, pid_t tid, const struct source_loc **loc,
		  const struct stack_frame **frames);

/* Whether source_unwind walks the whole stack (the default; -k needs it)
 * or stops at the first frame that yields *loc (-s alone: cheaper, and
 * *frames then ends at that frame). */
void source_set_full_stack(struct source_resolver *r, bool full);

/* The two stack unwinders (--unwinder). Both read the stopped thread's
 * registers once per stop and its memory through one page cache; libdw
 * resolves modules, symbols and lines either way. */
enum source_unwinder {
	SOURCE_UNWINDER_LIBDW,
	SOURCE_UNWINDER_LIBUNWIND,
};
/* The default: the faster of the two on `make bench` (README,
 * bench/results.md) for the kind of walk. libunwind when the walk stops at
 * the call site (-s, --function-time: its cache of register rules makes the
 * few steps cheap), libdw for whole stacks (-k: fewer misses on many call
 * sites). A resolver follows source_set_full_stack with it until
 * source_set_unwinder chooses. */
enum source_unwinder source_default_unwinder(bool full_stack);

/* Which unwinder walks first and whether the other one is tried for a
 * stop where it yields no user frame (default true): CFI missing or
 * broken, a frame it cannot step through. */
void source_set_unwinder(struct source_resolver *r, enum source_unwinder u, bool fallback);
/* "libdw" or "libunwind". */
const char *source_unwinder_name(enum source_unwinder u);
/* Stops whose location and frames came from the other unwinder because
 * the chosen one found no user frame there. */
unsigned long source_fallbacks(const struct source_resolver *r);
enum source_unwinder source_get_unwinder(const struct source_resolver *r);

/* Path of the file mapped at ip in pid ("/usr/lib/.../libc.so.6"), or NULL.
 * Cheap: maps are parsed once per process and re-read only after
 * source_maps_changed or a miss. The string is interned. */
const char *source_module_of(struct source_resolver *r, pid_t pid, uint64_t ip);

/* The process exec'd or exited: drop everything cached for it. */
void source_forget_process(struct source_resolver *r, pid_t pid);
/* Its mappings changed (mmap/munmap/mremap/mprotect succeeded). */
void source_maps_changed(struct source_resolver *r, pid_t pid);

/* Whether a notice about missing debug info has been printed for pid's
 * executable: the first source_unwind in a process whose executable has
 * no DWARF sets *exe to its path and returns true exactly once. */
bool source_take_nodebug_notice(struct source_resolver *r, pid_t pid, const char **exe);

#endif
