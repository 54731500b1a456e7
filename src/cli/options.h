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

struct options {
	bool follow;            /* -f */
	bool quiet;             /* -q */
	bool summary_only;      /* -c */
	bool summary_too;       /* -C */
	bool show_duration;     /* -T */
	bool show_paths;        /* -y */
	bool source;            /* -s / --source */
	bool stack;             /* -k */
	bool function_time;     /* --function-time (implies -s) */
	bool same_cpu;          /* --same-cpu */
	int unwinder;           /* --unwinder: an enum source_unwinder, -1 the default */
	int seccomp;            /* -1 auto, 0 off, 1 on */
	enum ts_mode ts;
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
/* --otlp-endpoint, --otlp-compression, --otlp-header, --otlp-timeout,
 * --otlp-required at argv[*i] (shared with `renacer-c export`): 1 parsed
 * (value consumed), 0 not an --otlp option, -1 invalid (message printed). */
int options_parse_otlp(struct otlp_options *x, int argc, char **argv, int *i);

#endif
