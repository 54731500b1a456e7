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
	bool detached;           /* with !finished: the tracer let go of the task inside the
	                          * call (-b execve, --syscall-limit): "<detached ...>" */
	uint64_t ts_ns;          /* entry time, monotonic ns since the trace started */
	uint64_t duration_ns;    /* exit - entry (0 when !finished) */
	uint64_t ip;             /* user instruction pointer at entry */
	const char *module;      /* file mapped at ip, or NULL (not looked up) */
	const struct source_loc *source;   /* -s: the user call site, or NULL */
	const struct stack_frame *frames;  /* -k: innermost first, or NULL */
	const char *dump;        /* -e read=/write=: lines after the call (" | 00000  61 ..."), or NULL */
	int nframes;
	/* Text output of a call that other output interrupted (strace's
	 * "<unfinished ...>" / "<... NAME resumed>" pair). In a sink's
	 * `unfinished` callback, the first `split` shown arguments are the ones
	 * known at entry. In a completed record, `resumed` says the entry went
	 * out earlier as an unfinished line holding the first `split`
	 * arguments. Live tracing sets these; the trace reader never does. */
	bool resumed;
	int split;
	/* --compress=rle: this record stands for a run of rle_count identical
	 * consecutive calls of one task (src/output/rle.h). 0 or 1: a single
	 * call, and the other rle_ fields are unused. Otherwise ts_ns,
	 * duration_ns, args, result and source are the FIRST call's, and:
	 *   rle_last_ts_ns         entry time of the last call
	 *   rle_last_duration_ns   duration of the last call
	 *   rle_duration_total_ns  sum of the durations of all rle_count calls
	 *   rle_duration_min_ns / rle_duration_max_ns  over all of them.
	 * Only the trace reader sets these (live tracing never does): a
	 * consumer counts the record as rle_count calls without expanding it
	 * (the event_* helpers below). */
	uint64_t rle_count;
	uint64_t rle_last_ts_ns;
	uint64_t rle_last_duration_ns;
	uint64_t rle_duration_total_ns;
	uint64_t rle_duration_min_ns;
	uint64_t rle_duration_max_ns;
};

/* Calls the event stands for (1 unless it is an rle run). */
static inline uint64_t event_calls(const struct event *ev)
{
	return ev->rle_count > 1 ? ev->rle_count : 1;
}

/* Sum of the durations of the calls it stands for. */
static inline uint64_t event_total_ns(const struct event *ev)
{
	return ev->rle_count > 1 ? ev->rle_duration_total_ns : ev->duration_ns;
}

/* The longest of its calls. */
static inline uint64_t event_max_ns(const struct event *ev)
{
	return ev->rle_count > 1 ? ev->rle_duration_max_ns : ev->duration_ns;
}

/* Entry time of its last call. */
static inline uint64_t event_last_ts(const struct event *ev)
{
	return ev->rle_count > 1 ? ev->rle_last_ts_ns : ev->ts_ns;
}

/* When its last call returned (saturating). */
static inline uint64_t event_end_ns(const struct event *ev)
{
	uint64_t ts = event_last_ts(ev);
	uint64_t d = ev->rle_count > 1 ? ev->rle_last_duration_ns : ev->duration_ns;
	return ts + d < ts ? UINT64_MAX : ts + d;
}

#endif
