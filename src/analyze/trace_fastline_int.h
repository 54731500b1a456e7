/* trace_fastline_int.h — private to the trace reader (src/analyze/).
 *
 * A zero-allocation, single-pass scanner for ONE syscall record line in
 * exactly the layout src/output/json_sink.c writes:
 *
 *   [{"rle":{"count":N,"first_ts_ns":N,"last_ts_ns":N,"duration_ns_total":N,
 *            "duration_ns_min":N,"duration_ns_max":N[,"duration_ns_last":N]},]
 *   {"name":S,"nr":N,"args":[S,...],"raw_args":["0x..",...],"result":N|null,
 *    "errno":S|null,"pid":N,"tid":N,"ts_ns":N,"duration_ns":N,"duration_us":N,
 *    "ip":"0x..","module":S|null[,"source":{"file":S|null,"line":N,
 *    "function":S|null}][,"unfinished":true|false]}[,]
 *
 * (one object, no whitespace inside, keys in that order, at most 6 args and
 * raw_args, integers without fraction or exponent), then optional
 * whitespace, an optional ',' and optional whitespace up to the end.
 *
 * It fills the event exactly as the reader's cJSON path
 * (reader_to_event in trace_record.c) would for the same line: numbers go
 * through the same double conversion cJSON does, strings are unescaped as
 * cJSON does (\uXXXX and surrogate pairs to UTF-8), and the rle object is
 * validated with the same rules. Whenever the line deviates in any way — another key
 * order, an extra or missing key, whitespace, an escape or value the
 * reader would reject or treat differently, a number cJSON would round —
 * it returns TRACE_FASTLINE_NOT_HANDLED without side effects on the
 * reader, and the caller parses the line with cJSON (which also produces
 * the error messages). Never reads outside [line, line + n).
 *
 * The caller updates its synthesized clock (event_end_ns) itself; ts_ns is
 * always present in the accepted layout.
 *
 * Event strings (name, args, module, source, ret_text) point into the
 * scanner's storage, valid until the next call or trace_fastline_free.
 * A zero-initialized struct is ready to use. */
#ifndef RENACER_TRACE_FASTLINE_H
#define RENACER_TRACE_FASTLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "event.h"
#include "source.h"

#define TRACE_FASTLINE_ERRNO_SLOTS 602 /* errno names are looked up in 1..601 */

struct trace_fastline {
	char *buf;               /* unescaped strings of the current line */
	size_t cap;
	struct source_loc src;
	char ret_text[160];
	/* errno_first[e]: 0 unknown, 1 errno_name(e) is the first errno with
	 * that name, 2 an earlier one has it (the reader takes the first). */
	unsigned char errno_first[TRACE_FASTLINE_ERRNO_SLOTS];
};

enum trace_fastline_rc {
	TRACE_FASTLINE_NOT_HANDLED = 0,
	TRACE_FASTLINE_OK = 1,
};

/* Scan line[0, n) (a trimmed record line). On TRACE_FASTLINE_OK, *ev is
 * filled and *comma tells whether a ',' followed the record. */
int trace_fastline_parse(struct trace_fastline *fl, const char *line, size_t n, struct event *ev, bool *comma);

void trace_fastline_free(struct trace_fastline *fl);

#endif
