/* function_time_sink.h — --function-time: syscall count, total syscall
 * time and slowest call per user function (as attributed by -s), printed
 * at finish, sorted by total time. Memory grows with distinct functions
 * only. Ownership: borrows the writer; destroy frees the rows. */
#ifndef RENACER_FUNCTION_TIME_SINK_H
#define RENACER_FUNCTION_TIME_SINK_H

#include "sink.h"
#include "writer.h"

struct sink *function_time_sink_new(struct writer *out);

#endif
