/* csv_sink.c — `--format csv` (docs/design.md, 'Trace format (JSON)'): one row per completed call.
 *
 * Layout (renacer's columns):
 *
 *   syscall,arguments,result[,duration][,source_location]
 *
 *   syscall          the name ("openat", "syscall_0x1b3")
 *   arguments        the decoded arguments joined with ", ", strace spelling
 *                    (raw arguments in hex when they were not decoded)
 *   result           as strace prints it: "3", "-1 ENOENT (No such file or
 *                    directory)", "?" for a call that never returned
 *   duration         with -T: whole microseconds with a "us" suffix, as
 *                    renacer writes it ("1500us"; truncated like the JSON
 *                    duration_us); empty for a call that never returned
 *   source_location  with -s: "file:line" of the user call site, or empty
 *
 * Quoting is RFC 4180: a field that contains a comma, a double quote, CR or
 * LF is enclosed in double quotes and its quotes are doubled; nothing else
 * is changed (bytes pass through as they are; the decoders already escape
 * tracee data the strace way). Records end with LF, like renacer and every
 * Unix tool expects; RFC 4180 readers (Python's csv module, spreadsheets)
 * accept LF endings, and CR or LF inside a field is always quoted.
 *
 * Signals and exits are not calls and produce no rows. Memory: one line
 * buffer that grows to the largest row seen; nothing per event. */
#include "format_sinks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_text.h"
#include "obuf.h"
#include "source.h"

struct csv_sink {
	struct sink sink;
	struct writer *out;
	bool with_duration;
	bool with_source;
	bool oom;           /* a row was dropped: its buffer could not grow */
	struct linebuf line;
	struct linebuf join; /* the arguments joined, before quoting */
};

static bool csv_special(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return false;
}

/* Field body with quotes doubled (the caller adds the enclosing quotes). */
static void csv_put_doubled(struct obuf *ob, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"') {
			obuf_putn(ob, s + start, i + 1 - start);
			obuf_putc(ob, '"');
			start = i + 1;
		}
	}
	obuf_putn(ob, s + start, n - start);
}

static void csv_put_field(struct obuf *ob, const char *s, size_t n)
{
	if (!csv_special(s, n)) {
		obuf_putn(ob, s, n);
		return;
	}
	obuf_putc(ob, '"');
	csv_put_doubled(ob, s, n);
	obuf_putc(ob, '"');
}

static void csv_syscall(void *self, const struct event *ev)
{
	struct csv_sink *cs = self;
	const char *name = ev->name ? ev->name : "?";

	/* The arguments (joined with ", ") and the result are formatted
	 * first, so that the row size is known before the row is built. A
	 * row of several arguments is quoted: the separator holds a comma. */
	struct obuf jb;
	if (!event_join_args(&cs->join, ev, &jb)) {
		cs->oom = true;
		return;
	}
	size_t need = 2 * strlen(name) + 2 * jb.len + 128;

	char resbuf[EVENT_RESULT_MAX];
	const char *res = event_result_text(ev, resbuf, true);
	size_t reslen = strlen(res);
	need += 2 * reslen + 64;

	const char *sfile = NULL;
	size_t sfilelen = 0;
	if (cs->with_source && ev->source && ev->source->file) {
		sfile = ev->source->file;
		sfilelen = strlen(sfile);
		need += 2 * sfilelen + 32;
	}

	if (!linebuf_reserve(&cs->line, need)) {
		cs->oom = true;
		return;
	}
	struct obuf ob;
	obuf_init(&ob, cs->line.buf, cs->line.cap);

	csv_put_field(&ob, name, strlen(name));
	obuf_putc(&ob, ',');
	csv_put_field(&ob, jb.buf, jb.len);
	obuf_putc(&ob, ',');
	csv_put_field(&ob, res, reslen);
	if (cs->with_duration) {
		obuf_putc(&ob, ',');
		if (ev->finished)
			obuf_printf(&ob, "%lluus", (unsigned long long)(ev->duration_ns / 1000u));
	}
	if (cs->with_source) {
		obuf_putc(&ob, ',');
		if (sfile) {
			/* "file:line" as one field; the line number needs no quoting. */
			char lbuf[24];
			int ln = snprintf(lbuf, sizeof lbuf, ":%u", ev->source->line);
			bool q = csv_special(sfile, sfilelen);
			if (q)
				obuf_putc(&ob, '"');
			if (q)
				csv_put_doubled(&ob, sfile, sfilelen);
			else
				obuf_putn(&ob, sfile, sfilelen);
			obuf_putn(&ob, lbuf, (size_t)ln);
			if (q)
				obuf_putc(&ob, '"');
		}
	}
	obuf_putc(&ob, '\n');
	if (ob.overflow) { /* cannot happen: `need` bounds the row */
		cs->oom = true;
		return;
	}
	writer_put(cs->out, ob.buf, ob.len);
	writer_line_done(cs->out, ev->ts_ns + ev->duration_ns);
}

static int csv_finish(void *self, const struct run_info *ri)
{
	(void)ri;
	struct csv_sink *cs = self;
	return sink_flush_report(cs->out, cs->oom, cs->out->name, "some rows were not written");
}

static void csv_destroy(void *self)
{
	struct csv_sink *cs = self;
	linebuf_free(&cs->line);
	linebuf_free(&cs->join);
	free(cs);
}

struct sink *csv_sink_new(struct writer *out, const struct run_meta *m, bool with_duration)
{
	struct csv_sink *cs = calloc(1, sizeof(*cs));
	if (!cs)
		return NULL;
	cs->out = out;
	cs->with_duration = with_duration;
	cs->with_source = m && m->with_source;
	cs->sink = (struct sink){ .self = cs, .syscall = csv_syscall, .finish = csv_finish,
				  .destroy = csv_destroy };

	char hdr[64];
	int n = snprintf(hdr, sizeof hdr, "syscall,arguments,result%s%s\n", with_duration ? ",duration" : "",
			 cs->with_source ? ",source_location" : "");
	writer_put(out, hdr, (size_t)n);
	return &cs->sink;
}
