/* engine_int.h — what the parts of the ptrace engine share (private to
 * src/trace). engine.c is the stop loop; the rest are the pieces it calls:
 * live.c (live output and "<unfinished ...>" interleaving), io_dump.c
 * (-e read=/write=), trace_path.c (-P, --trace-fds), cpu_follow.c
 * (--same-cpu). All work on the caller's struct tracer; none allocates
 * on the per-call path except io_dump's one buffer, owned by the tracer
 * and freed by tracer_destroy. */
#ifndef RENACER_ENGINE_INT_H
#define RENACER_ENGINE_INT_H

#include <stdbool.h>
#include <sys/types.h>

#include "tracer.h"

/* Live output: the timer period that flushes the writers (a completed
 * line is out within about one period), and how long a shown call may
 * wait for its exit before its entry goes out as "<unfinished ...>". */
#define TICK_NS 50000000ull
#define UNFINISHED_AFTER_NS TICK_NS

/* engine.c: what every record of t's current call starts with. */
void engine_event_head(struct tracer *tr, struct event *ev, const struct task *t,
		       const struct syscall_info *info);

/* live.c */
/* Show t's pending call as "<unfinished ...>" now. */
void live_show_unfinished(struct tracer *tr, struct task *t);
/* Before any output line of task t: another task's open call goes out as
 * unfinished first. */
void live_settle_output(struct tracer *tr, const struct task *t);
/* Start (on) or stop the periodic flush timer. */
void live_arm_tick(struct tracer *tr, bool on);
/* Whether a line or an open call waits to be shown. */
bool live_output_pending(const struct tracer *tr);
/* The timer expired: show a call blocked long enough, flush the writers. */
void live_on_tick(struct tracer *tr);

/* io_dump.c: the -e read=/write= dump of t's finished call (its result
 * rval), or NULL when none applies. Valid until the next call. */
const char *io_dump(struct tracer *tr, struct task *t, long rval);

/* trace_path.c: whether t's call nr touches a -P path or --trace-fds fd. */
bool trace_path_match(struct tracer *tr, struct task *t, long nr);

/* cpu_follow.c: --same-cpu, called at every stop of tid. */
void cpu_follow(struct tracer *tr, pid_t tid);

#endif
