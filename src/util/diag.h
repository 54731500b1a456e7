/* diag.h — renacer-c's exit statuses and its one way of saying what went
 * wrong.
 *
 * Every message the tool prints about itself is one line on stderr that
 * starts with "renacer-c: " (a file position, when there is one, follows
 * as "FILE:LINE:COL: "). diag() adds the prefix and the newline, so call
 * sites write only what is wrong. Nothing here allocates. */
#ifndef RENACER_DIAG_H
#define RENACER_DIAG_H

/* The exit statuses renacer-c itself chooses (a traced program's own
 * status, or 128+N for its death by signal N, is passed through). The
 * gate statuses are those of `assert`, `diff` and `--assert`
 * (docs/design.md, "Exit statuses"). */
enum rc_exit {
	RC_OK = 0,
	RC_FAIL = 1,           /* tracer failure; gate: an assertion failed, traces differ */
	RC_USAGE = 2,          /* bad command line */
	RC_BAD_TRACE = 3,      /* gate: unreadable or invalid trace or baseline */
	RC_PROGRAM = 4,        /* gate: the program could not run, crashed or exited unexpectedly */
	RC_CONFIG = 5,         /* gate: configuration error */
	RC_NOEXEC = 126,       /* the command exists but cannot be executed */
	RC_NOTFOUND = 127,     /* the command was not found */
};

/* "renacer-c: " + the formatted message + "\n" on stderr, in one write so
 * concurrent writers never interleave inside it. */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
