/* config.h — a loaded renacer.toml: the list of assertions (docs/design.md,
 * "Assertions").
 *
 * The loader is strict: unknown keys or tables, wrong types, bad regexes,
 * unknown types or patterns, missing required keys and a file with no
 * enabled assertion are configuration errors reported as FILE:LINE:COL
 * (exit 5), never silently ignored.
 * Ownership: config_load allocates the struct config and everything in
 * it (names, strings, compiled regexes); config_free releases it all. */
#ifndef RENACER_CONFIG_H
#define RENACER_CONFIG_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum assertion_type {
	AT_CRITICAL_PATH,
	AT_SPAN_COUNT,
	AT_MEMORY_USAGE,
	AT_ANTI_PATTERN,
	AT_SYSCALL_COUNT,
	AT_SYSCALL_PERCENTAGE,
	AT_TOTAL_TIME,
	AT_GOLDEN,
};

enum anti_pattern {
	AP_GOD_PROCESS,
	AP_TIGHT_LOOP,
	AP_PCIE_BOTTLENECK,        /* also spelled PCIeBottleneck */
	AP_EXCESSIVE_IO,
	AP_BLOCKING_MAIN_THREAD,
};

enum tracking_mode { TRACK_ALLOCATIONS, TRACK_RSS };

/* An optional POSIX ERE. */
struct pattern {
	bool set;
	char *src;                 /* as written */
	regex_t re;                /* compiled with REG_EXTENDED | REG_NOSUB */
};

struct assertion {
	char *name;
	enum assertion_type type;
	bool fail_on_violation;    /* default true; false = warning only */
	bool enabled;              /* default true; false = skipped */
	unsigned line, col;        /* of the [[assertion]] header, for reports */

	/* Parameters; only those of the assertion's type are set (the loader
	 * rejects the others as unknown keys for that type). Numbers accept
	 * TOML integers or floats. */
	double max_duration_ms;            /* critical_path (required) */
	struct pattern trace_name_pattern; /* critical_path: ERE over process exe basename */
	double max_spans;                  /* span_count (required) */
	struct pattern span_name_pattern;  /* span_count: ERE over syscall names (default all) */
	double max_bytes;                  /* memory_usage (required) */
	enum tracking_mode tracking_mode;  /* memory_usage (default allocations) */
	enum anti_pattern pattern;         /* anti_pattern (required) */
	double threshold;                  /* anti_pattern: 0..1 (default 0.8) */
	struct pattern process_name_pattern; /* anti_pattern: ERE over exe basename */
	double min_run;                    /* TightLoop (default 1000) */
	double max_ops_per_sec;            /* ExcessiveIO (default 10000) */
	double max_block_ms;               /* BlockingMainThread (default 100) */
	char *syscall;                     /* syscall_count, syscall_percentage (required) */
	double max_count;                  /* syscall_count (required) */
	double max_percentage;             /* syscall_percentage (required), 0..100 */
	double max_time_ms;                /* total_time (required) */
	char *baseline;                    /* golden (required): path, relative to the config file's directory */
	double min_similarity;             /* golden (default 0.95), 0..1 */
};

struct config {
	char *path;                /* the file it came from */
	char *dir;                 /* its directory, for relative baselines */
	struct assertion *items;
	size_t n;                  /* at least one of them enabled (else the load fails) */
	/* Top-level `expect_exit = N` (0..255): the exit status the traced
	 * program is expected to end with; default 0. A program that ends
	 * otherwise, or is killed by a signal, fails the gate (exit 4). */
	bool has_expect_exit;
	int expect_exit;
};

/* Load and validate path. Returns the config, or NULL with a one-line
 * message `FILE:LINE:COL: what is wrong` in err (no "renacer-c: " prefix,
 * no newline). A file without any enabled assertion is an error too
 * (`FILE: no enabled assertions: ...`): a gate that checks nothing must
 * not pass. */
struct config *config_load(const char *path, char *err, size_t errlen);
/* Same, from a buffer (tests, fuzzing); `name` is used in messages. */
struct config *config_load_buffer(const char *name, const char *text, size_t len, char *err, size_t errlen);
void config_free(struct config *c);

const char *assertion_type_name(enum assertion_type t);   /* "critical_path" */
const char *anti_pattern_name(enum anti_pattern p);        /* "GodProcess" */

#endif
