/* summary.h — the -c table (strace -c -w layout, byte for byte).
 *
 * A summary keeps one counter row per syscall number seen; memory is
 * bounded by the number of distinct syscalls, never by the event count.
 * Ownership: summary_new allocates, summary_free releases everything. */
#ifndef RENACER_SUMMARY_H
#define RENACER_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

enum summary_sort { SORT_TIME, SORT_CALLS, SORT_ERRORS, SORT_NAME, SORT_NOTHING };

struct summary;

struct summary *summary_new(void);
void summary_free(struct summary *s);

/* Count one call. `name` is copied the first time nr is seen, so the
 * caller may reuse its buffer; NULL means the table's name, or
 * "syscall_0x1b3" for an unknown number. Numbers 0..65535 are keyed by
 * number alone; others (e.g. -1 from a saved trace) by number and name.
 * failed: the call returned an error. duration_ns: wall-clock latency.
 * Allocates only for a new row. Returns 0, or -1 (errno ENOMEM). */
int summary_add(struct summary *s, long nr, const char *name, int failed, uint64_t duration_ns);
/* Count `calls` calls at once (an rle run, event.h): all failed or none,
 * duration_ns their total. summary_add is summary_add_n with calls = 1. */
int summary_add_n(struct summary *s, long nr, const char *name, uint64_t calls, int failed, uint64_t duration_ns);

/* "time" | "calls" | "errors" | "name" | "nothing", plus strace 6.1's
 * aliases: min-time, max-time, avg-time, total-time (also time-min,
 * min_time, time_total...) -> time; count -> calls; error -> errors;
 * syscall, syscall-name, syscall_name -> name; none -> nothing.
 * Returns 0, or -1 if unknown.
 * Orders: time, calls, errors descending; name ascending; nothing = syscall
 * number order (as strace). Ties always break by name ascending. */
int summary_sort_parse(const char *s, enum summary_sort *out);

/* Print the table exactly as `strace -c -w` does. With no rows it prints
 * the header, both dividers and "100.00    0.000000           0         0
 *           total" (strace 6.1 itself prints nothing then). Returns 0 or -1
 * on a write or allocation error (errno set). */
int summary_print(const struct summary *s, enum summary_sort sort, FILE *out);

#endif
