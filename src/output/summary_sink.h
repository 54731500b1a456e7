/* summary_sink.h — the -c/-C sink: counts every call that passes the
 * status filter (--slower-than does not apply: -c counts everything) and
 * prints the table at finish. Ownership: the sink owns its summary; the
 * writer and filter are borrowed. */
#ifndef RENACER_SUMMARY_SINK_H
#define RENACER_SUMMARY_SINK_H

#include "filter.h"
#include "sink.h"
#include "summary.h"
#include "writer.h"

struct sink *summary_sink_new(struct writer *out, const struct filter *filter, enum summary_sort sort);
/* -O: ns taken off the time of each call counted (never below 0). */
void summary_sink_set_overhead(struct sink *sink, uint64_t ns);

#endif
