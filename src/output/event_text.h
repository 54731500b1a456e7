/* event_text.h — the text the output sinks spell the same way.
 *
 * One responsibility: the formatting shared by the sinks in src/output
 * (text, JSON, CSV, HTML, Chrome): how many arguments a call shows, the
 * arguments joined with ", ", the result as strace prints it, signal names,
 * how a task ended, and the growable line buffer a sink formats a record
 * into. Each sink keeps its own framing and escaping; these helpers write
 * the parts, so one event reads the same in every format.
 *
 * Ownership: the obuf helpers append to the caller's obuf and never
 * allocate. A linebuf is owned by its sink (zero-initialised, freed with
 * linebuf_free); linebuf_reserve only ever grows it, by doubling, so the
 * per-event path allocates only when a record is larger than any before.
 * Strings returned point into the event or into the caller's buffer. */
#ifndef RENACER_EVENT_TEXT_H
#define RENACER_EVENT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "obuf.h"
#include "writer.h"

/* A sink's line buffer. */
struct linebuf {
	char *buf;
	size_t cap;
};

/* Make room for at least `need` bytes (first size 4096, then doubling).
 * false when memory runs out; the buffer is then left as it was. */
bool linebuf_reserve(struct linebuf *lb, size_t need);
void linebuf_free(struct linebuf *lb);

/* ev->nshown clamped to [0, EVENT_MAX_ARGS]: the decoded arguments. */
int event_nshown(const struct event *ev);

/* The arguments a record shows: nshown, or every raw argument (nargs) when
 * the producer did not decode them; clamped to [0, EVENT_MAX_ARGS]. */
int event_nargs(const struct event *ev);

/* Appends s[0..n) to ob, escaped as the format needs. */
typedef void (*text_put_fn)(struct obuf *ob, const char *s, size_t n);

/* The first n arguments joined with ", ": decoded text through put
 * (NULL: as it is), an argument without text as its raw value in hex. */
void event_put_args(struct obuf *ob, const struct event *ev, int n, text_put_fn put);

/* An upper bound of what event_put_args appends for n arguments when put
 * writes at most `scale` bytes per input byte. */
size_t event_args_size(const struct event *ev, int n, size_t scale);

/* The arguments a record shows (event_nargs) joined as they are into lb;
 * *ob then holds them (ob->buf, ob->len). false when lb cannot grow. */
bool event_join_args(struct linebuf *lb, const struct event *ev, struct obuf *ob);

#define EVENT_RESULT_MAX 96

/* The result as strace prints it: ev->ret_text when decoded, else "?" for
 * a call that never returned, "-1 ENOENT" (errno_names) or "-1 errno 2"
 * for a failure, the decimal value otherwise (formatted into buf). */
const char *event_result_text(const struct event *ev, char buf[EVENT_RESULT_MAX], bool errno_names);

/* "SIGSEGV"; a number without a name as unknown_prefix and the number
 * ("" gives "77", "signal " gives "signal 77"). */
void event_put_signame(struct obuf *ob, int sig, const char *unknown_prefix);

/* si_code's name ("SI_USER"), in double quotes when quote_name, or the
 * number when it has none. */
void event_put_sicode(struct obuf *ob, int signo, int code, bool quote_name);

/* "exited with CODE", or "killed by SIG" with " (core dumped)" when core. */
void event_put_end(struct obuf *ob, bool exited, int code, int sig, bool core, const char *unknown_prefix);

/* event_put_end for a wait(2) status (signal 0 when it did not end by one). */
void event_put_wstatus(struct obuf *ob, int wstatus, const char *unknown_prefix);

/* Nanoseconds as microseconds with three decimals: "12.345". */
void event_put_usec(struct obuf *ob, uint64_t ns);

/* A sink's finish: flush out; when oom, tell stderr
 * "renacer-c: WHO: out of memory; LOST" and fail. 0 or -1. */
int sink_flush_report(struct writer *out, bool oom, const char *who, const char *lost);

#endif
