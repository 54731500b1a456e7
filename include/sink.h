/* sink.h — the consumer side of the event stream.
 *
 * Every output (text, -c summary, and later JSON/CSV/metrics) is a sink.
 * The tracer calls the hooks in event order; pointers passed in are valid
 * only during the call. `finish` writes whatever is pending and reports
 * failure (-1, message printed); `destroy` frees the sink. */
#ifndef RENACER_SINK_H
#define RENACER_SINK_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include "event.h"

struct sink {
	void *self;
	void (*syscall)(void *self, const struct event *ev);
	void (*signal)(void *self, pid_t tid, uint64_t ts_ns, const siginfo_t *si);
	/* A task ended: wstatus as from wait(2). */
	void (*exited)(void *self, pid_t tid, uint64_t ts_ns, int wstatus);
	/* The thread-group leader tid vanished because thread by_tid called
	 * execve (which then continues under tid). May be NULL. */
	void (*superseded)(void *self, pid_t tid, uint64_t ts_ns, pid_t by_tid);
	int (*finish)(void *self);
	void (*destroy)(void *self);
};

#endif
