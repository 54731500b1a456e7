/* sink.h — the consumer side of the event stream.
 *
 * Every output (text, the -c table, --function-time, JSON, CSV, HTML,
 * Chrome, the analyzer's metrics) is a sink.
 * The tracer calls the hooks in event order; pointers passed in are valid
 * only during the call. `finish` writes whatever is pending and reports
 * failure (-1, message printed); `destroy` frees the sink. */
#ifndef RENACER_SINK_H
#define RENACER_SINK_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "event.h"

/* One traced process (thread group), reported when it ends (live) or when
 * the trace's process table is read (offline). */
struct process_info {
	pid_t pid;
	pid_t ppid;             /* 0 when unknown (e.g. attached) */
	const char *exe;        /* path of the executable, NULL when unknown */
	uint64_t start_ns;      /* trace-relative monotonic ns */
	uint64_t end_ns;
	bool exited;            /* true: exit_code valid; false: killed by signal */
	int exit_code;
	int signal;             /* terminating signal, 0 when exited */
	bool core_dumped;
	uint64_t utime_us;
	uint64_t stime_us;
	uint64_t maxrss_kb;
};

/* The run as a whole, given to finish. */
struct run_info {
	int exit_code;          /* renacer-c's exit status for a live run (docs/design.md, 'Exit statuses') */
	uint64_t wall_ns;       /* first event to last exit */
	bool interrupted;       /* the tracer was stopped by a signal */
};

struct sink {
	void *self;
	void (*syscall)(void *self, const struct event *ev);
	/* A call's entry must be shown before it completes (it blocks, or
	 * another task's output comes first): ev holds the entry-time
	 * arguments (ev->split of them). The same call later reaches `syscall`
	 * with ev->resumed set. May be NULL. */
	void (*unfinished)(void *self, const struct event *ev);
	void (*signal)(void *self, pid_t tid, uint64_t ts_ns, const siginfo_t *si);
	/* A task ended: wstatus as from wait(2). */
	void (*exited)(void *self, pid_t tid, uint64_t ts_ns, int wstatus);
	/* The thread-group leader tid vanished because thread by_tid called
	 * execve (which then continues under tid). May be NULL. */
	void (*superseded)(void *self, pid_t tid, uint64_t ts_ns, pid_t by_tid);
	/* A process ended (may be NULL). */
	void (*process_end)(void *self, const struct process_info *p);
	int (*finish)(void *self, const struct run_info *ri);
	void (*destroy)(void *self);
};

#endif
