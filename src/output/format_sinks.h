/* format_sinks.h — the structured outputs (docs/design.md, 'Trace format (JSON)'): JSON
 * (renacer-json-v1, schema 2), CSV, HTML and Chrome trace events.
 *
 * Each writes as it goes (JSON: one syscall record per line) so memory
 * stays flat in the number of events; what must come at the end
 * (processes, summary) is kept per process or as counters. Ownership: a
 * sink borrows the writer and the meta strings (the caller keeps them
 * alive until destroy) and frees its own state in destroy. */
#ifndef RENACER_FORMAT_SINKS_H
#define RENACER_FORMAT_SINKS_H

#include <stdbool.h>
#include <stdint.h>
#include "sink.h"
#include "writer.h"

struct run_meta {
	char *const *command;     /* argv of the traced program (NULL-terminated), or NULL */
	const pid_t *attached;    /* -p pids, or NULL */
	int nattached;
	uint64_t start_unix_ns;   /* wall clock at ts_ns == 0 */
	const char *kernel;       /* uname release */
	const char *host;         /* uname nodename */
	bool with_source;         /* -s: emit "source" / source_location */
};

struct sink *json_sink_new(struct writer *out, const struct run_meta *m, bool compress_rle);
struct sink *csv_sink_new(struct writer *out, const struct run_meta *m, bool with_duration);
struct sink *html_sink_new(struct writer *out, const struct run_meta *m);
struct sink *chrome_sink_new(struct writer *out, const struct run_meta *m);

#endif
