/* fuzz_trace_reader.c — libFuzzer target for the saved-trace reader
 * (src/analyze/trace_reader.h).
 *
 * trace_read_file reads from a path, so the input goes into a memfd that
 * is read back through /proc/self/fd/N. A counting sink receives every
 * record and process and touches every string it is handed (ASan then
 * catches pointers into freed or unterminated storage); the summary is
 * released afterwards. Contracts checked: the return code is one of the
 * enum, an error comes with a one-line message, and the counts in the
 * summary match what the sink saw. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "source.h"
#include "trace_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct counter {
	uint64_t calls, procs, bytes;
};

static void touch(struct counter *c, const char *s)
{
	if (s)
		c->bytes += strlen(s);
}

static void on_syscall(void *self, const struct event *ev)
{
	struct counter *c = self;
	c->calls++;
	if (ev->nargs < 0 || ev->nargs > EVENT_MAX_ARGS || ev->nshown < 0 ||
	    ev->nshown > EVENT_MAX_ARGS || ev->nframes < 0)
		fuzz_broken("trace_read_file", "argument counts out of range");
	if (!ev->name)
		fuzz_broken("trace_read_file", "event without a name");
	touch(c, ev->name);
	for (int i = 0; i < ev->nshown; i++)
		touch(c, ev->arg_text[i]);
	touch(c, ev->ret_text);
	touch(c, ev->module);
	if (ev->source) {
		touch(c, ev->source->file);
		touch(c, ev->source->function);
	}
	if (ev->frames) {
		for (int i = 0; i < ev->nframes; i++) {
			touch(c, ev->frames[i].module);
			touch(c, ev->frames[i].symbol);
			touch(c, ev->frames[i].file);
		}
	}
}

static void on_process(void *self, const struct process_info *p)
{
	struct counter *c = self;
	c->procs++;
	touch(c, p->exe);
}

static int memfd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (memfd < 0) {
		memfd = memfd_create("fuzz_trace", MFD_CLOEXEC);
		if (memfd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) != 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size))
		abort();

	struct counter cnt = {0};
	struct sink s = {
		.self = &cnt,
		.syscall = on_syscall,
		.process_end = on_process,
	};
	struct sink *sinks[1] = {&s};
	struct trace_summary sum;
	memset(&sum, 0, sizeof sum);
	char err[1024];
	err[0] = '\0';
	int rc = trace_read_file(path, sinks, 1, &sum, err, sizeof err);
	if (rc != TRACE_OK && rc != TRACE_ERR_IO && rc != TRACE_ERR_FORMAT && rc != TRACE_ERR_NOMEM)
		fuzz_broken("trace_read_file", "unknown return code");
	if (rc != TRACE_OK)
		fuzz_one_line("trace_read_file", err);
	if (rc == TRACE_OK && (sum.nrecords != cnt.calls || sum.nprocesses != cnt.procs))
		fuzz_broken("trace_read_file", "summary counts differ from what the sink saw");
	if (rc == TRACE_OK) {
		struct run_info ri;
		trace_summary_run_info(&sum, &ri);
		for (int i = 0; i < sum.ncommand; i++)
			touch(&cnt, sum.command[i]);
	}
	trace_summary_free(&sum);

	/* once more with no sinks and no summary */
	rc = trace_read_file(path, NULL, 0, NULL, err, sizeof err);
	(void)rc;
	return 0;
}
