/* filter.h — strace's -e expressions, -z/-Z and --slower-than.
 *
 * A struct filter is a plain value: a bitmap of selected syscall numbers
 * plus status and duration thresholds. It owns no memory: regexes are
 * compiled, applied to the syscall table and freed during parsing, so
 * there is nothing to release. */
#ifndef RENACER_FILTER_H
#define RENACER_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FILTER_MAX_NR 1024 /* syscall numbers above this are never special-cased */

enum status_bits {
	ST_SUCCESSFUL  = 1u << 0, /* returned without error */
	ST_FAILED      = 1u << 1, /* returned an error */
	ST_UNFINISHED  = 1u << 2, /* never returned (task died, exit_group) */
	ST_UNAVAILABLE = 1u << 3, /* returned, but the result could not be read */
	ST_DETACHED    = 1u << 4, /* tracer detached before it returned */
	ST_ALL         = 0x1f
};

struct filter {
	uint64_t trace[FILTER_MAX_NR / 64]; /* bit set: syscall nr is traced */
	bool trace_unknown;   /* numbers >= FILTER_MAX_NR; the bits of nameless
	                       * numbers below it follow the same choice ("all",
	                       * negation) unless selected by number */
	bool narrowed;        /* some -e trace= expression restricted the set */
	unsigned status;      /* enum status_bits that are shown (default ST_ALL) */
	uint64_t slower_than_ns; /* show only calls at least this long; 0 = off */
};

/* A set of file descriptors (--trace-fds, -e read=, -e write=). */
struct fd_set_opt {
	bool on;
	uint64_t bits[16];      /* fds 0..1023 */
	bool above;             /* whether fds >= 1024 are in the set */
};

static inline bool fd_set_has(const struct fd_set_opt *s, long fd)
{
	if (!s->on || fd < 0)
		return false;
	return fd < 1024 ? (s->bits[fd / 64] >> (fd % 64) & 1) : s->above;
}
/* Everything traced, every status shown. */
void filter_init(struct filter *f);

/* Apply one -e argument (the text after "-e"): "trace=SET" (or "t=SET"),
 * "status=SET", or a bare SET meaning trace=SET.
 *
 * trace SET: comma-separated tokens, the whole set optionally preceded by
 * '!' (negation; "!!" cancels). Tokens: syscall names, syscall numbers,
 * %classes (%file %process %network %net %signal %ipc %desc %memory %creds
 * %clock %stat %lstat %fstat %%stat %statfs %fstatfs %%statfs %pure), the
 * legacy spellings without '%' (file process network signal ipc desc
 * memory — only these, as strace), "all", "none", "/regex" or "/regex/"
 * (POSIX ERE over names). A token may start with '?' (no error when it is
 * unknown or selects nothing) and end with "@64" (native) or "@32"/"@x32"
 * (selects nothing on x86_64). A regex that selects no syscall is an error
 * unless '?'-prefixed, as in strace 6.1.
 * status SET: successful, failed, unfinished, unavailable, detached, all,
 * none; '!' negates.
 * Each -e trace= (status=) replaces the previous one, as in strace.
 * Returns 0, or -1 with a one-line message (naming the bad part, no
 * "renacer-c: " prefix, no newline) in err; on error f is unchanged. */
int filter_parse_expr(struct filter *f, const char *expr, char *err, size_t errlen);

/* The SET of "-e status=SET" alone. Same return convention. */
int filter_parse_status(struct filter *f, const char *set, char *err, size_t errlen);

/* -z (--successful-only) == -e status=successful;
 * -Z (--failed-only)     == -e status=failed. Later options replace earlier. */
void filter_only_successful(struct filter *f);
void filter_only_failed(struct filter *f);

/* strace's time specification: a decimal number (strtod syntax, no hex,
 * inf or nan) optionally followed by s, ms, us or ns; with no unit the
 * value is in MICROSECONDS (strace: "3" == "3us"). "100us", "2ms", "1.5s",
 * "250ns". Rounded to the nearest ns. Negative, garbage or out-of-range
 * values are refused. Returns 0 or -1 (message in err). */
int parse_duration(const char *s, uint64_t *out_ns, char *err, size_t errlen);

static inline bool filter_traces(const struct filter *f, long nr)
{
	if (nr < 0 || nr >= FILTER_MAX_NR)
		return f->trace_unknown;
	return (f->trace[nr / 64] >> (nr % 64)) & 1;
}

/* Whether a completed call with this status and duration is printed. */
static inline bool filter_shows(const struct filter *f, unsigned status_bit, uint64_t duration_ns)
{
	if (!(f->status & status_bit))
		return false;
	return f->slower_than_ns == 0 || duration_ns >= f->slower_than_ns;
}

#endif
