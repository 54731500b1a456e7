/* event_text.c — the text the output sinks spell the same way (see
 * src/output/event_text.h). */
#include "event_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "decode_flags.h"
#include "vec.h"
#include "diag.h"

bool linebuf_reserve(struct linebuf *lb, size_t need)
{
	/* The first size is 4096 (a power of two, so doubling from
	 * VEC_MIN_CAP reaches the same sizes as doubling from 4096). */
	return vec_grow(&lb->buf, &lb->cap, need < 4096 ? 4096 : need, 1);
}

void linebuf_free(struct linebuf *lb)
{
	free(lb->buf);
	lb->buf = NULL;
	lb->cap = 0;
}

static int clamp_args(int n)
{
	if (n < 0)
		return 0;
	return n > EVENT_MAX_ARGS ? EVENT_MAX_ARGS : n;
}

int event_nshown(const struct event *ev)
{
	return clamp_args(ev->nshown);
}

int event_nargs(const struct event *ev)
{
	int n = ev->nshown;
	if (n <= 0 && ev->arg_text[0] == NULL)
		n = ev->nargs;
	return clamp_args(n);
}

void event_put_args(struct obuf *ob, const struct event *ev, int n, text_put_fn put)
{
	for (int i = 0; i < n; i++) {
		if (i)
			obuf_puts(ob, ", ");
		const char *a = ev->arg_text[i];
		if (!a)
			obuf_put_hex(ob, ev->raw_args[i]);
		else if (put)
			put(ob, a, strlen(a));
		else
			obuf_puts(ob, a);
	}
}

size_t event_args_size(const struct event *ev, int n, size_t scale)
{
	size_t size = 1;
	for (int i = 0; i < n; i++)
		size += 2 + (ev->arg_text[i] ? scale * strlen(ev->arg_text[i]) : 20);
	return size;
}

bool event_join_args(struct linebuf *lb, const struct event *ev, struct obuf *ob)
{
	int n = event_nargs(ev);
	if (!linebuf_reserve(lb, event_args_size(ev, n, 1)))
		return false;
	obuf_init(ob, lb->buf, lb->cap);
	event_put_args(ob, ev, n, NULL);
	return true;
}

const char *event_result_text(const struct event *ev, char buf[EVENT_RESULT_MAX], bool errno_names)
{
	if (ev->ret_text)
		return ev->ret_text;
	if (!ev->finished)
		return "?";
	if (ev->err) {
		const char *en = errno_names ? errno_name(ev->err) : NULL;
		if (en)
			snprintf(buf, EVENT_RESULT_MAX, "-1 %s", en);
		else
			snprintf(buf, EVENT_RESULT_MAX, "-1 errno %d", ev->err);
	} else {
		snprintf(buf, EVENT_RESULT_MAX, "%ld", ev->result);
	}
	return buf;
}

void event_put_signame(struct obuf *ob, int sig, const char *unknown_prefix)
{
	const char *n = signal_name(sig);
	if (n)
		obuf_puts(ob, n);
	else
		obuf_printf(ob, "%s%d", unknown_prefix, sig);
}

void event_put_sicode(struct obuf *ob, int signo, int code, bool quote_name)
{
	const char *n = sicode_name(signo, code);
	if (!n)
		obuf_printf(ob, "%d", code);
	else if (quote_name)
		obuf_printf(ob, "\"%s\"", n);
	else
		obuf_puts(ob, n);
}

void event_put_end(struct obuf *ob, bool exited, int code, int sig, bool core, const char *unknown_prefix)
{
	if (exited) {
		obuf_printf(ob, "exited with %d", code);
		return;
	}
	obuf_puts(ob, "killed by ");
	event_put_signame(ob, sig, unknown_prefix);
	if (core)
		obuf_puts(ob, " (core dumped)");
}

void event_put_wstatus(struct obuf *ob, int wstatus, const char *unknown_prefix)
{
	bool sig = WIFSIGNALED(wstatus);
	event_put_end(ob, WIFEXITED(wstatus), WEXITSTATUS(wstatus), sig ? WTERMSIG(wstatus) : 0,
		      sig && WCOREDUMP(wstatus), unknown_prefix);
}

void event_put_usec(struct obuf *ob, uint64_t ns)
{
	obuf_printf(ob, "%llu.%03llu", (unsigned long long)(ns / 1000u), (unsigned long long)(ns % 1000u));
}

int sink_flush_report(struct writer *out, bool oom, const char *who, const char *lost)
{
	int rc = writer_flush(out);
	if (oom) {
		diag("%s: out of memory; %s", who, lost);
		rc = -1;
	}
	return rc;
}
