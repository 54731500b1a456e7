/* tracer.h — the ptrace engine: launch or attach, run the stop loop, feed
 * completed calls to the sinks.
 *
 * Ownership: struct tracer is caller-owned; tracer_init allocates the task
 * table, tracer_destroy frees it. Sinks are owned by the caller. */
#ifndef RENACER_TRACER_H
#define RENACER_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "decode_args.h"
#include "options.h"
#include "procs.h"
#include "sink.h"
#include "tasks.h"
#include "tmem.h"

#define TRACER_MAX_SINKS 8

struct tracer {
	const struct options *opt;
	struct sink *sinks[TRACER_MAX_SINKS];
	int nsinks;
	bool decode;              /* some sink prints decoded arguments */
	struct task_table tasks;
	struct proc_table procs;
	struct tmem mem;
	struct decode_cfg dcfg;
	struct timespec start_mono;
	struct timespec start_real;
	bool multi;               /* print [pid N] prefixes */
	pid_t main_pid;           /* launched program, 0 in attach mode */
	int main_status;          /* its wait status, once main_done */
	bool main_done;
	bool detaching;           /* attach mode, got SIGINT/SIGTERM/SIGHUP */
	unsigned interrupts;      /* signals received by the tracer */
	struct event ev;          /* reused for every call */
	char unknown_name[32];    /* "syscall_0x1b3" */
};

int tracer_init(struct tracer *tr, const struct options *opt);
void tracer_add_sink(struct tracer *tr, struct sink *s, bool needs_decoding);
/* Nanoseconds since the trace started (monotonic). */
uint64_t tracer_now(const struct tracer *tr);
/* Run to completion. Returns the process exit status for renacer-c:
 * the program's exit code, 128+N for a signal, 126/127 when it cannot
 * run, 1 on tracer failure. */
int tracer_run(struct tracer *tr);
void tracer_destroy(struct tracer *tr);

#endif
