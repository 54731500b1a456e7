/* unwind_backend.h — the two stack unwinders of src/source/ behind one
 * shape: each walks a ptrace-stopped thread from one register snapshot
 * (taken once per stop, shared by both) and reads stack memory through
 * the same per-stop page cache, calling unwind_frame_fn per frame. The
 * resolver (resolver.c) picks one per run (--unwinder) and, when it
 * yields no user frame for a stop, tries the other for that stop.
 *
 *   unwind.c            libdw: dwfl_getthread_frames over our own
 *                       Dwfl_Thread_Callbacks
 *   unwind_libunwind.c  libunwind: a remote unw_addr_space per process with
 *                       our own unw_accessors_t (registers from the snapshot,
 *                       memory from the page cache, unwind tables from
 *                       .eh_frame_hdr, or built from .eh_frame when a module
 *                       has none), caching UNW_CACHE_GLOBAL, flushed when the
 *                       file mappings change and dropped on exec/exit. */
#ifndef RENACER_UNWIND_BACKEND_H
#define RENACER_UNWIND_BACKEND_H

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <sys/types.h>
#include <sys/user.h>

#include "source_int.h"

/* How a walk ended. */
enum unwind_end {
	UNWIND_END_CLEAN,   /* reached the outermost frame */
	UNWIND_END_STOPPED, /* the frame callback asked to stop */
	UNWIND_END_ERROR,   /* a frame could not be stepped through */
};

/* Per-process libunwind state (address space, caches). */
struct lu_space;
struct lu_space *lu_space_new(void);
void lu_space_free(struct lu_space *s);
/* The process's file mappings changed: drop cached unwind info. */
void lu_space_flush(struct lu_space *s);

/* Unwinds the thread whose registers are *regs in the process whose
 * memory mc reads (ua->pid), finding modules through dwfl. Calls fn per
 * frame, innermost first; *nframes is the number of calls. */
enum unwind_end unwind_libunwind(struct lu_space *s, Dwfl *dwfl, struct unwind_arg *ua,
				 unwind_frame_fn *fn, void *ctx, unsigned *nframes);

#endif
