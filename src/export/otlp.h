/* otlp.h — export to OpenTelemetry: OTLP/HTTP with the protobuf-JSON
 * encoding (POST ENDPOINT/v1/traces), as a sink, so the live tracer and
 * the trace reader (`renacer-c export`) feed the same code.
 *
 * Spans: a root span for the run (a child of $TRACEPARENT when set), one
 * span per process (under the span of the fork/clone/vfork that created
 * it, else the root), one span per exported system call under its
 * process span; signals and exec are span events (docs/design.md,
 * "OpenTelemetry export").
 *
 * The network never slows the tracer: spans are serialised on the
 * tracer's thread into a bounded queue (full: dropped and counted) and a
 * background thread posts them in batches, retrying 429/502/503/504 and
 * network errors with exponential back-off (Retry-After honoured). The
 * sink's `finish` flushes for at most timeout_ms and prints one line:
 * "otlp: N spans sent to URL[, M dropped]". It returns 0 even when
 * export failed: otlp_sink_failed() says whether spans were lost
 * (for --otlp-required).
 *
 * Ownership: struct otlp_options is caller-owned and may be freed after
 * otlp_sink_new (strings are copied); the sink owns its exporter thread,
 * and `destroy` stops it. */
#ifndef RENACER_OTLP_H
#define RENACER_OTLP_H

#include <stdbool.h>
#include <stdint.h>
#include "filter.h"
#include "sink.h"

#define OTLP_MAX_HEADERS 32
#define OTLP_DEFAULT_ENDPOINT "http://localhost:4318"
#define OTLP_DEFAULT_TIMEOUT_MS 5000

struct otlp_options {
	const char *endpoint;   /* --otlp-endpoint base URL; NULL: environment or default */
	int gzip;               /* 1 gzip, 0 none, -1 from OTEL_EXPORTER_OTLP_COMPRESSION */
	const char *headers[OTLP_MAX_HEADERS]; /* "K=V" (--otlp-header), after the environment's */
	int nheaders;
	uint64_t timeout_ms;    /* per request and for the flush at exit; 0: default */
	bool required;          /* --otlp-required */
};

/* What the sink knows of the run. */
struct otlp_run {
	char *const *command;   /* argv of the traced program, or NULL */
	const char *host;       /* host.name, or NULL */
	uint64_t start_unix_ns; /* wall clock at ts_ns == 0 */
	const struct filter *filter; /* which calls become spans (status, --slower-than); NULL: all */
};

/* Parse "--otlp-compression" values: gzip -> 1, none -> 0, else -1. */
int otlp_parse_compression(const char *v);
/* "5s", "500ms", "2" (seconds) -> ms; -1 when invalid. */
int64_t otlp_parse_timeout(const char *v);

/* A sink that exports to the collector; NULL with a message printed
 * (bad endpoint or header, out of memory, no thread). */
struct sink *otlp_sink_new(const struct otlp_options *o, const struct otlp_run *run);
/* After finish: were spans dropped, or did the flush fail? */
bool otlp_sink_failed(const struct sink *s);

#endif
