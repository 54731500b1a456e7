/* trace_reader.h — read a saved JSON trace back into the event stream
 * (docs/design.md, "Trace format (JSON)"): the analyzer's and `renacer-c summary`'s input.
 *
 * Two paths:
 *  - streamed: the one-record-per-line layout json_sink writes (a header
 *    whose last line ends with `"syscalls":[`, then one record per line,
 *    then a line starting with `]`). Each line is parsed on its own, so
 *    memory stays flat in the number of records (the trailer — processes,
 *    summary, gpu — is parsed as one piece; it grows with processes only).
 *  - full parse: any other valid JSON document with a top-level
 *    "syscalls" array, e.g. renacer's own pretty-printed v1 files.
 *
 * Records are fed to every sink's `syscall` hook in file order, then each
 * process record to `process_end` (when the hook is non-NULL). The reader
 * never calls `finish` or `destroy`: the caller does, with a run_info
 * built by trace_summary_run_info(). On error, sinks may already have
 * seen the records before the bad one.
 *
 * Defaults for fields a record lacks: nr from the name (-1 if unknown),
 * name from nr, pid 1 (a single pseudo process) and tid = pid, ts_ns
 * synthesized by accumulating durations, duration_ns = duration_us*1000,
 * errno from a negative result in [-4095, -1] (only when the "errno" key
 * is absent), raw_args from args that read as numbers, finished unless
 * "unfinished":true or "result":null.
 *
 * A --compress=rle record ({"rle":{"count":N,...},...}, src/output/rle.h) is
 * fed as ONE event with rle_count = N and the run's times (event.h); the
 * rle object is validated (unsigned integers, count >= 1, last_ts_ns >=
 * first_ts_ns = ts_ns, min <= duration_ns, duration_ns_last <= max <=
 * total). A run of one call is fed as a plain event. "duration_ns_last"
 * is optional (default: the max, an upper bound of the run's end).
 *
 * Event pointers (name, arg_text, ret_text, module, source) point into
 * reader-owned storage valid only during the hook call (event.h rules).
 *
 * Ownership: struct trace_summary is caller-owned; trace_read_file fills
 * it (allocating command, gpu) and trace_summary_free releases that. */
#ifndef RENACER_TRACE_READER_H
#define RENACER_TRACE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sink.h"

/* Return codes of trace_read_file. Subcommands map every error to exit 3. */
enum trace_read_rc {
	TRACE_OK = 0,
	TRACE_ERR_IO = -1,      /* cannot open or read the file */
	TRACE_ERR_FORMAT = -2,  /* truncated, invalid JSON, wrong types */
	TRACE_ERR_NOMEM = -3,   /* out of memory */
};

enum trace_gpu_kind { TRACE_GPU_TRANSFER, TRACE_GPU_KERNEL };

/* One entry of the optional top-level "gpu" array:
 * {"kind":"transfer"|"kernel","ts_ns":N,"duration_ns":N,"bytes":N}. */
struct trace_gpu_span {
	enum trace_gpu_kind kind;
	uint64_t ts_ns;
	uint64_t duration_ns;
	uint64_t bytes;         /* 0 when absent */
};

struct trace_summary {
	char version[32];       /* "" when absent */
	char format[64];        /* "" when absent */
	int schema;             /* 0 when absent (renacer's own v1 files) */
	bool streamed;          /* read record by record (json_sink layout) */

	uint64_t start_unix_ns; /* meta.start_unix_ns, 0 when absent */
	char host[256];         /* meta.host, "" when absent */
	char **command;         /* meta.command (owned), NULL when absent */
	int ncommand;

	/* Counted while reading. */
	uint64_t nrecords;      /* syscall records fed to the sinks */
	uint64_t ncalls;        /* calls they stand for (an rle record counts N) */
	uint64_t nprocesses;    /* process records fed to the sinks */
	uint64_t nerrors;       /* finished calls with an errno */
	uint64_t total_ns;      /* sum of the durations of finished calls */
	uint64_t end_ns;        /* max over records of the end of their last call */

	/* The file's "summary" object (has_summary false when absent; the
	 * other has_ flags say which keys were present). */
	bool has_summary;
	bool has_total_syscalls, has_total_time_us, has_errors, has_wall_time_us, has_exit_code;
	uint64_t total_syscalls;
	uint64_t total_time_us;
	uint64_t errors;
	uint64_t wall_time_us;
	int exit_code;

	struct trace_gpu_span *gpu;  /* owned, NULL when none */
	size_t ngpu;
};

/* Read PATH, feeding the NSINKS sinks (may be 0). Returns TRACE_OK, or a
 * negative enum trace_read_rc with a one-line message in ERR:
 * "PATH:LINE: what is wrong" when the line is known, else "PATH: what is
 * wrong" (record positions as syscalls[N] in full-parse mode). No
 * "renacer-c: " prefix, no newline. OUT may be NULL; when given it is
 * filled (also partially on error) and must be released with
 * trace_summary_free. */
int trace_read_file(const char *path, struct sink *const *sinks, int nsinks, struct trace_summary *out,
		    char *err, size_t errlen);

/* The run_info a live run of this trace would have ended with: exit code
 * from summary.exit_code (0 when absent), wall time from
 * summary.wall_time_us or else the last record's end. */
void trace_summary_run_info(const struct trace_summary *s, struct run_info *ri);

void trace_summary_free(struct trace_summary *s);

#endif
