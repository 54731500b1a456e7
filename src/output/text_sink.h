/* text_sink.h — strace-grammar text output (docs/design.md, 'Text format').
 * Ownership: text_sink_new returns a sink that owns its line buffer but
 * not the writer, filter or the `multi` flag it points to (the caller
 * keeps those alive until sink->destroy). */
#ifndef RENACER_TEXT_SINK_H
#define RENACER_TEXT_SINK_H

#include <stdbool.h>
#include <time.h>
#include "filter.h"
#include "options.h"
#include "sink.h"
#include "writer.h"

struct text_cfg {
	struct writer *out;
	const struct filter *filter;
	const bool *multi;            /* print [pid N] prefixes */
	enum ts_mode ts;
	bool show_duration;           /* -T */
	bool show_source;             /* -s: " [file.c:42 in function]" */
	bool show_stack;              /* -k: frames under each line */
	const struct timespec *start_real; /* wall clock at ts_ns == 0 (tracer-owned) */
	unsigned column;              /* -a: result column (0 = 40) */
	int ts_digits;                /* fraction digits of the time prefix; -1: the mode's */
	int dur_digits;               /* fraction digits of -T: 0 = 6, -1 = none */
	bool always_pid;              /* --always-show-pid */
	bool pid_plain;               /* to a file: "PID  " instead of "[pid PID] " */
	bool show_ip;                 /* -i: "[00007f...] " */
	bool show_nr;                 /* -n: "[  1] " */
	bool quiet_exit;              /* -qq: no "+++ exited/killed" lines */
	bool quiet_superseded;        /* no "+++ superseded by execve" lines */
	const char *separate;         /* -ff -o FILE: each task's lines go to FILE.TID */
	bool append;                  /* -A: those files are appended to */
	int xlat;                     /* -X: 0 abbrev, 1 raw, 2 verbose (siginfo constants) */
	bool show_comm;               /* -Y: si_pid<comm> */
	bool sig_filter;              /* -e signal=: only signals in sigset */
	uint64_t sigset;              /* bit N-1: signal N */
};

struct sink *text_sink_new(const struct text_cfg *cfg);

#endif
