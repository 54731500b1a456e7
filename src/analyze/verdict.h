/* verdict.h — the outcome of evaluating one assertion against a run.
 * Ownership: an array of results is allocated by rules_evaluate and freed
 * with results_free (which frees each summary and evidence string). */
#ifndef RENACER_VERDICT_H
#define RENACER_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include "config.h"

enum verdict {
	V_PASS,        /* within budget, or "not applicable" */
	V_FAIL,        /* over budget and fail_on_violation */
	V_WARN,        /* over budget, fail_on_violation = false */
	V_SKIP,        /* enabled = false */
	V_ERROR,       /* could not be evaluated (e.g. unreadable golden baseline): gates like FAIL, exit 3 */
};

struct assertion_result {
	const struct assertion *a; /* borrowed from the config */
	enum verdict verdict;
	bool not_applicable;       /* PASS because the check does not apply (evidence says why) */
	double actual;             /* measured value in `unit` */
	double budget;             /* the limit in `unit` */
	const char *unit;          /* "ms", "spans", "bytes", "confidence", "calls", "%", "similarity" */
	bool higher_is_worse;      /* false for min_similarity-style limits */
	char *summary;             /* one line: "87 spans <= 500", "confidence 0.81 >= 0.70 (GPU fds: /dev/nvidia0; 412 ioctls)" */
	char *evidence;            /* extra report lines joined by '\n' (no trailing newline), or NULL:
				      "Critical path: pid 4242 backend_detection 125.4 ms (write 61.0 ms at src/main.c:88)" */
	const char *src_file;      /* source location of the worst call where known (github annotations), or NULL */
	unsigned src_line;
};

void results_free(struct assertion_result *r, size_t n);

/* How the traced program ended: part of the gate (docs/design.md, "Exit
 * statuses"). A program
 * that did not end with the expected exit status (the config's
 * expect_exit, default 0), or was killed by a signal, or whose end was
 * not seen, fails it with exit status 4, whatever the assertions say. */
enum program_end {
	PROG_NONE,     /* nothing to judge: attach mode, or a trace that does not record the program's end */
	PROG_EXITED,   /* exit(code) */
	PROG_KILLED,   /* killed by a signal */
	PROG_UNKNOWN,  /* launched, but its end was never seen */
};

struct program_status {
	enum program_end end;
	int code;             /* PROG_EXITED: the exit status, 0..255 */
	int signal;           /* PROG_KILLED: the signal number */
	bool core_dumped;     /* PROG_KILLED */
	int expect_exit;      /* the status the config expects (default 0) */
};

/* true when PS (may be NULL) says the program failed the gate. */
bool program_failed(const struct program_status *ps);

#endif
