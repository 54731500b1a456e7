/* otlp_int.h — the parts of the OTLP export shared inside src/export/:
 * the background exporter (otlp_exporter.c) and the configuration from
 * options and environment (otlp_config.c).
 *
 * Ownership: otlp_config_resolve fills a caller-owned struct otlp_config
 * with allocated strings that otlp_config_free releases. The exporter
 * copies what it needs from it; otlp_exporter_free releases the exporter. */
#ifndef RENACER_OTLP_INT_H
#define RENACER_OTLP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "otlp.h"
#include "sbuf.h"

struct otlp_config {
	char *url;              /* full traces URL (…/v1/traces) */
	bool gzip;
	char *headers[OTLP_MAX_HEADERS * 2 + 16]; /* "Name: value" */
	int nheaders;
	uint64_t timeout_ms;
	char *service_name;     /* NULL: the program's name */
	char **res_keys, **res_values; /* OTEL_RESOURCE_ATTRIBUTES, nres pairs */
	int nres;
};

/* From the options and OTEL_* variables; -1 with a message printed. */
int otlp_config_resolve(struct otlp_config *c, const struct otlp_options *o);
void otlp_config_free(struct otlp_config *c);

/* Append S as a quoted JSON string. */
void otlp_json_str(struct sbuf *b, const char *s, size_t len);

struct otlp_exporter;

/* Start the thread. PREFIX is the request body up to the spans array's
 * '[' (resource and scope), SUFFIX what closes it. NULL on failure. */
struct otlp_exporter *otlp_exporter_start(const struct otlp_config *c, const char *prefix,
					  const char *suffix);
/* Queue one span (its JSON object); false when the queue is full (then
 * the span is counted as dropped). Never blocks on the network. */
bool otlp_exporter_push(struct otlp_exporter *x, const char *span, size_t len);
/* Flush for at most the configured timeout and stop the thread. */
void otlp_exporter_shutdown(struct otlp_exporter *x, uint64_t *sent, uint64_t *dropped, bool *failed);
void otlp_exporter_free(struct otlp_exporter *x);

#endif
