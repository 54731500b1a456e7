/* event.h — one completed system call, the record every sink consumes.
 *
 * Ownership: an event is built by the tracer (or the trace reader) in
 * storage it owns and reuses; sinks get a const pointer that is valid only
 * for the duration of the callback and must copy what they keep. */
#ifndef RENACER_EVENT_H
#define RENACER_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct source_loc;
struct stack_frame;

#define EVENT_MAX_ARGS 6

struct event {
	pid_t pid;               /* thread-group id */
	pid_t tid;               /* thread id */
	long nr;                 /* syscall number */
	const char *name;        /* "openat", or "syscall_0x1b3" for unknown numbers */
	uint64_t raw_args[EVENT_MAX_ARGS];
	int nargs;
	/* Decoded argument text, strace spelling; NULL when decoding was off
	 * (e.g. -c only). arg_text[i] points into storage owned by the producer. */
	const char *arg_text[EVENT_MAX_ARGS];
	int nshown;              /* arguments to print (strace omits some, e.g. open's mode) */
	const char *ret_text;    /* decoded result ("3", "-1 ENOENT (...)", "?"), or NULL */
	long result;             /* raw return value (negative errno on error) */
	int err;                 /* errno (positive) when the call failed, else 0 */
	bool finished;           /* false: the task died inside the call ("= ?") */
	uint64_t ts_ns;          /* entry time, monotonic ns since the trace started */
	uint64_t duration_ns;    /* exit - entry (0 when !finished) */
	uint64_t ip;             /* user instruction pointer at entry */
	const char *module;      /* file mapped at ip, or NULL (not looked up) */
	const struct source_loc *source;   /* -s: the user call site, or NULL */
	const struct stack_frame *frames;  /* -k: innermost first, or NULL */
	int nframes;
};

#endif
