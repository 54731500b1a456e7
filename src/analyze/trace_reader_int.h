/* trace_reader_int.h — private to the trace reader (src/analyze/trace_*.c).
 *
 *   trace_reader.c  the entry point, the top-level pieces (head: version,
 *                   format, meta; tail: processes, summary, gpu) and the
 *                   full-parse fallback for any other JSON layout
 *   trace_stream.c  the streamed one-record-per-line layout json_sink
 *                   writes, read line by line in flat memory
 *   trace_record.c  one syscall record (a cJSON object) into an event
 *   trace_fields.c  typed access to JSON fields and the error message
 *   trace_fastline.c  the cJSON-free scanner for json_sink's exact record
 *                   layout (trace_fastline_int.h)
 *
 * The file format is described in docs/design.md, "Trace format (JSON)". */
#ifndef RENACER_TRACE_READER_INT_H
#define RENACER_TRACE_READER_INT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "linereader.h"
#include "source.h"
#include "trace_reader.h"

#define HEADER_MAX_LINES 64
#define HEADER_MAX_BYTES (16u * 1024u * 1024u)
#define NAME_CACHE_SLOTS 256
#define MAX_ERRNO 4095
#define MAX_SIGNAL 64

struct name_slot {
	char *name;
	long nr;
};

struct reader {
	const char *path;
	struct sink *const *sinks;
	int nsinks;
	struct trace_summary *sum;
	char *err;
	size_t errlen;
	uint64_t synth_ts;
	struct source_loc src;
	char unknown_name[32];
	char ret_text[160];
	struct name_slot cache[NAME_CACHE_SLOTS];
};

/* 2^63 and 2^64 as doubles (exact). */
#define D2_63 9223372036854775808.0
#define D2_64 18446744073709551616.0

/* ------------------------------------------------------------------ */
/* trace_fields.c: messages and typed field access                     */

/* The reader's one-line message in r->err: "PATH:LINE: msg" when line is
 * known (non-zero), else "PATH: msg". */
void reader_error(struct reader *r, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A value from the file, made safe to print in a message: at most 40
 * bytes, anything but printable ASCII shown as '?'. */
struct shown {
	char s[44];
};
struct shown reader_show(const char *v);

/* "a string", "a number", ... for messages. */
const char *reader_type_name(const cJSON *it);

/* Typed field access. Each returns 0 when the key is absent (or null),
 * 1 when read, -1 with msg on a wrong type or value. */
const cJSON *reader_field(const cJSON *obj, const char *key);
/* An integer in [lo, hi], as a double. */
int reader_want_int(const cJSON *obj, const char *key, double lo, double hi, double *out, char *msg,
		    size_t msglen);
int reader_want_u64(const cJSON *obj, const char *key, uint64_t *out, char *msg, size_t msglen);
int reader_want_long(const cJSON *obj, const char *key, long *out, char *msg, size_t msglen);
int reader_want_i32(const cJSON *obj, const char *key, int *out, char *msg, size_t msglen);
int reader_want_str(const cJSON *obj, const char *key, const char **out, char *msg, size_t msglen);
int reader_want_bool(const cJSON *obj, const char *key, bool *out, char *msg, size_t msglen);
/* A 64-bit value written as a hex string (or, leniently, a number); it
 * is the item itself (key only names it in messages). */
int reader_want_addr(const cJSON *it, const char *key, uint64_t *out, char *msg, size_t msglen);
/* "0x1f", "31", "-1" (two's complement) -> value; false when not a number. */
bool reader_parse_num(const char *s, uint64_t *out);

/* ------------------------------------------------------------------ */
/* trace_record.c: records                                             */

/* A signal name ("SIGSEGV") -> number, 0 when unknown. */
int reader_signal_of_name(const char *name);
/* One syscall record into ev (strings point into o or r's buffers);
 * 0, or -1 with msg. */
int reader_to_event(struct reader *r, const cJSON *o, struct event *ev, char *msg, size_t msglen);
/* Hand ev to every sink and count it in the summary. */
void reader_feed_event(struct reader *r, const struct event *ev);

/* ------------------------------------------------------------------ */
/* trace_reader.c: the top-level pieces                                */

/* version, format, schema and meta of root; LINE for messages (0: none).
 * Returns a trace_read_rc. */
int reader_head(struct reader *r, const cJSON *root, unsigned long line);
/* processes (fed to the sinks' process_end), summary and gpu of root. */
int reader_tail(struct reader *r, const cJSON *root, unsigned long line);
/* The line number of pos in text (first: the number of its first line). */
unsigned long reader_line_at(const char *text, size_t len, const char *pos, unsigned long first);

/* ------------------------------------------------------------------ */
/* trace_stream.c                                                      */

enum stream_rc { STREAM_DONE, STREAM_NOT_STREAMED, STREAM_FAILED };

/* Read lr in the streamed layout. *how: STREAM_DONE (read, rc says how it
 * went), STREAM_NOT_STREAMED (not that layout; nothing fed: start over
 * with a full parse) or STREAM_FAILED (rc is the error). */
int reader_stream(struct reader *r, struct linereader *lr, enum stream_rc *how);

#endif
