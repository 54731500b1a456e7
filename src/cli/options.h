/* options.h — the parsed command line of a tracing run.
 *
 * Ownership: options_parse fills a caller-owned struct options; strings
 * point into argv (never freed) and the filter is a plain value (its
 * regexes are applied and freed while parsing), so nothing is allocated;
 * options_free is the hook for when something is. */
#ifndef RENACER_OPTIONS_H
#define RENACER_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "filter.h"
#include "otlp.h"
#include "source.h"
#include "summary.h"

enum ts_mode { TS_NONE, TS_TIME, TS_TIME_US, TS_EPOCH_US, TS_RELATIVE };
enum out_format { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_HTML, FMT_CHROME };

#define MAX_ATTACH 64

#define MAX_TRACE_PATHS 64

struct options {
	bool follow;            /* -f */
	bool quiet;             /* -q: no attach/detach (and other) notices */
	bool quiet_exit;        /* -qq: no "+++ exited" / "+++ killed" lines */
	bool quiet_superseded;  /* --quiet=superseded: no "+++ superseded" lines */
	bool append;            /* -A */
	int interruptible;      /* -I: 0 default, 1 anywhere, 2 waiting, 3 never, 4 never_tstp */
	bool separate;          /* -ff / --output-separately: FILE.PID per task */
	bool show_ip;           /* -i */
	bool show_nr;           /* -n */
	bool always_pid;        /* --always-show-pid */
	unsigned column;        /* -a: result column (default 40) */
	/* -P PATH: only calls that touch one of these paths (by a path
	 * argument, or an fd argument open on it); each as given and, when
	 * it differs, resolved. Resolved copies are owned (options_free). */
	char *trace_paths[MAX_TRACE_PATHS];
	bool trace_path_owned[MAX_TRACE_PATHS];
	int ntrace_paths;
	struct fd_set_opt trace_fds;  /* --trace-fds=SET: only calls with an fd argument in the set */
	struct fd_set_opt dump_read;  /* -e read=SET: hex dump of what is read from them */
	struct fd_set_opt dump_write; /* -e write=SET: hex dump of what is written to them */
	bool quiet_path_resolution; /* no "Requested path ... resolved" notice */
	bool sig_filter;        /* -e signal=: only signals in sigset print */
	uint64_t sigset;        /* bit N-1: signal N (1..64) */
	bool summary_only;      /* -c */
	bool summary_too;       /* -C */
	bool show_duration;     /* -T */
	bool show_paths;        /* -y */
	bool fds_all;           /* -yy, --decode-fds=all: with show_paths */
	bool show_comm;         /* -Y, --decode-pids=comm */
	unsigned long syscall_limit; /* --syscall-limit: 0 = none */
	bool detach_on_execve;  /* -b execve */
	uint64_t overhead_ns;   /* -O: taken off each call's time in -c */
	int xlat;               /* -X: 0 abbrev, 1 raw, 2 verbose */
	bool no_abbrev;         /* -v: stat structures whole, argv/envp in full */
	int strings_hex;        /* -x: 2, -xx: 3, --strings-in-hex=non-ascii-chars: 1 (enum hex_style) */
	bool source;            /* -s / --source */
	bool stack;             /* -k */
	bool function_time;     /* --function-time (implies -s) */
	bool same_cpu;          /* --same-cpu */
	int unwinder;           /* --unwinder: an enum source_unwinder, -1 the default */
	int seccomp;            /* -1 auto, 0 off, 1 on */
	enum ts_mode ts;
	int ts_digits;          /* fraction digits of -t/-r (0, 3, 6, 9); -1: the mode's default */
	int dur_digits;         /* fraction digits of -T: 0 = 6 (default), -1 = none */
	enum out_format format;
	enum summary_sort sort;
	unsigned string_limit;  /* --string-limit, strace's -s N */
	const char *output;     /* -o FILE, NULL = stderr */
	const char *assert_file;/* --assert FILE */
	bool compress_rle;      /* --compress=rle */
	struct filter filter;
	pid_t attach[MAX_ATTACH];
	int nattach;
	char **command;         /* NULL-terminated argv of the program, or NULL */
	const char *argv0;      /* --argv0: the program's argv[0], or NULL */
	char *env_ops[64];      /* -E VAR=VAL (set) or -E VAR (unset), in order */
	int nenv;
	const char *user;       /* -u USER: run the program as USER, or NULL */
	uid_t user_uid;
	gid_t user_gid;
	/* OpenTelemetry export (--otlp-*; any of them turns it on). */
	bool otlp;
	struct otlp_options otlp_opt;
};

enum parse_result { PARSE_OK, PARSE_EXIT_OK, PARSE_USAGE };

/* Parse argv. On PARSE_USAGE a one-line message has been printed to stderr;
 * on PARSE_EXIT_OK (--help, --version) the text has been printed. */
enum parse_result options_parse(struct options *o, int argc, char **argv);
void options_free(struct options *o);
void print_help(void);
/* One --otlp-* option (lname its long name, "otlp-endpoint", ...; v its
 * value, NULL for --otlp-required) into x, for the main command and
 * `renacer-c export`: NULL when valid, else why not (for the usage
 * message, which the caller prints with the option and value). */
const char *options_otlp_set(struct otlp_options *x, const char *lname, const char *v);

/* -e signal=SET into *set (bit N-1 = signal N). 0, or -1 with a message in err. */
int parse_signal_set(const char *s, uint64_t *set, char *err, size_t errlen);

#endif
