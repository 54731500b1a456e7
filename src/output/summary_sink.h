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

#endif
