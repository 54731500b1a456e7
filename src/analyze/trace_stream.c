/* trace_stream.c — the streamed layout: one record per line.
 *
 * Streaming detection: the file starts with a line beginning with '{',
 * and within the first HEADER_MAX_LINES lines (HEADER_MAX_BYTES bytes) one
 * ends with `"syscalls":[`; that header plus "]}" must parse as JSON.
 * Then every line up to one starting with ']' must be exactly one JSON
 * object, followed by ',' except for the last. If the very first record
 * line does not parse (a document that only looks like the compact
 * layout), the reader starts over with a full parse; nothing has been fed
 * to the sinks at that point. Lines in json_sink's exact layout are read
 * by trace_fastline.c without cJSON. */
#include "trace_reader_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linereader.h"
#include "sbuf.h"
#include "trace_fastline_int.h"

/* ------------------------------------------------------------------ */
/* Streaming                                                           */

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trim in place; returns the start, sets *n. */
static char *trim(char *s, size_t len, size_t *n)
{
	while (len && is_ws(s[len - 1]))
		len--;
	while (len && is_ws(*s)) {
		s++;
		len--;
	}
	*n = len;
	return s;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && !memcmp(s + n - k, suffix, k);
}

/* Append n bytes of s to b unless b would then hold max bytes or more
 * (with its NUL); false then or without memory. */
static bool append(struct sbuf *b, const char *s, size_t n, size_t max)
{
	if (b->len + n + 1 > max)
		return false;
	sbuf_putn(b, s, n);
	return !b->oom;
}

/* A line as read, with its newline when it had one. */
static bool append_line(struct sbuf *b, const struct linereader *lr, const char *s, size_t n, size_t max)
{
	return append(b, s, n, max) && (!lr->nl || append(b, "\n", 1, max));
}

/* Header: returns true (and the header text) when the layout matches. */
static bool read_header(struct linereader *lr, struct sbuf *hdr, unsigned long *lineno)
{
	for (int i = 0; i < HEADER_MAX_LINES; i++) {
		size_t len;
		char *line = linereader_next(lr, &len);
		if (!line)
			return false;
		(*lineno)++;
		size_t n;
		char *t = trim(line, len, &n);
		if (i == 0 && (n == 0 || t[0] != '{'))
			return false;
		if (!append_line(hdr, lr, line, len, HEADER_MAX_BYTES))
			return false;
		if (ends_with(t, n, "\"syscalls\":["))
			return true;
	}
	return false;
}

int reader_stream(struct reader *r, struct linereader *lr, enum stream_rc *how)
{
	struct sbuf hdr = SBUF_INIT, tail = SBUF_INIT;
	unsigned long lineno = 0;
	int rc = TRACE_OK;
	cJSON *root = NULL;
	struct trace_fastline fast = { 0 }; /* json_sink's exact layout, without cJSON */
	*how = STREAM_NOT_STREAMED;

	if (!read_header(lr, &hdr, &lineno))
		goto out;
	if (!append(&hdr, "]}", 2, SIZE_MAX)) {
		rc = TRACE_ERR_NOMEM;
		reader_error(r, 0, "out of memory");
		*how = STREAM_FAILED;
		goto out;
	}
	if (memchr(hdr.p, '\0', hdr.len))
		goto out;
	root = cJSON_ParseWithLengthOpts(hdr.p, hdr.len + 1, NULL, true);
	if (!root || !cJSON_IsObject(root))
		goto out; /* not our layout after all: full parse */
	*how = STREAM_FAILED;
	r->sum->streamed = true;
	rc = reader_head(r, root, 1);
	cJSON_Delete(root);
	root = NULL;
	if (rc != TRACE_OK)
		goto out;

	bool need_comma = false, had_comma = false, closed = false;
	unsigned long first_record_line = lineno + 1;
	unsigned long close_line = 0;
	size_t len;
	char *line;
	while ((line = linereader_next(lr, &len))) {
		lineno++;
		size_t n;
		char *t = trim(line, len, &n);
		if (n == 0)
			continue;
		if (t[0] == ']') {
			if (had_comma) {
				reader_error(r, lineno, "',' after the last record");
				rc = TRACE_ERR_FORMAT;
				goto out;
			}
			closed = true;
			close_line = lineno;
			/* What follows ']' continues the top-level object. */
			if (!append(&tail, "{\"syscalls\":[", 13, SIZE_MAX) ||
			    !append_line(&tail, lr, t, (size_t)(line + len - t), SIZE_MAX)) {
				rc = TRACE_ERR_NOMEM;
				reader_error(r, 0, "out of memory");
				goto out;
			}
			break;
		}
		if (need_comma) {
			reader_error(r, lineno, "missing ',' between records");
			rc = TRACE_ERR_FORMAT;
			goto out;
		}
		struct event fev;
		bool fcomma;
		if (trace_fastline_parse(&fast, t, n, &fev, &fcomma) == TRACE_FASTLINE_OK) {
			had_comma = fcomma;
			need_comma = !fcomma;
			r->synth_ts = event_end_ns(&fev);
			reader_feed_event(r, &fev);
			continue;
		}
		/* Any other layout, or an error: cJSON and reader_to_event. */
		const char *end = NULL;
		cJSON *rec = cJSON_ParseWithLengthOpts(t, n, &end, false);
		if (!rec) {
			if (r->sum->nrecords == 0 && lineno == first_record_line) {
				/* Records span lines: not the compact layout. */
				*how = STREAM_NOT_STREAMED;
				r->sum->streamed = false;
				goto out;
			}
			/* A last line without its newline: the file ends inside it. */
			bool at_end = !end || end >= t + n || !lr->nl;
			reader_error(r, lineno, at_end ? "truncated syscall record" : "invalid JSON in syscall record");
			rc = TRACE_ERR_FORMAT;
			goto out;
		}
		const char *p = end;
		while (p < t + n && is_ws(*p))
			p++;
		had_comma = false;
		need_comma = true;
		if (p < t + n && *p == ',') {
			had_comma = true;
			need_comma = false;
			p++;
			while (p < t + n && is_ws(*p))
				p++;
		}
		if (p != t + n) {
			cJSON_Delete(rec);
			reader_error(r, lineno, "unexpected text after the syscall record");
			rc = TRACE_ERR_FORMAT;
			goto out;
		}
		struct event ev;
		char msg[256];
		if (reader_to_event(r, rec, &ev, msg, sizeof(msg)) < 0) {
			cJSON_Delete(rec);
			reader_error(r, lineno, "%s", msg);
			rc = TRACE_ERR_FORMAT;
			goto out;
		}
		reader_feed_event(r, &ev);
		cJSON_Delete(rec);
	}
	if (lr->err) {
		reader_error(r, lineno, "read error: %s", strerror(lr->err));
		rc = TRACE_ERR_IO;
		goto out;
	}
	if (!closed) {
		reader_error(r, lineno, "truncated trace: the \"syscalls\" array is not closed");
		rc = TRACE_ERR_FORMAT;
		goto out;
	}
	/* Trailer: the rest of the file (processes, summary, gpu). */
	while ((line = linereader_next(lr, &len))) {
		if (!append_line(&tail, lr, line, len, SIZE_MAX)) {
			rc = TRACE_ERR_NOMEM;
			reader_error(r, 0, "out of memory");
			goto out;
		}
	}
	if (lr->err) {
		reader_error(r, 0, "read error: %s", strerror(lr->err));
		rc = TRACE_ERR_IO;
		goto out;
	}
	const char *end = NULL;
	const char *text = tail.p;
	size_t tlen = tail.len;
	const char *nul = memchr(text, '\0', tlen);
	if (nul) {
		reader_error(r, close_line + reader_line_at(text, tlen, nul, 0), "NUL byte in the file");
		rc = TRACE_ERR_FORMAT;
		goto out;
	}
	root = cJSON_ParseWithLengthOpts(text, tlen + 1, &end, true);
	if (!root) {
		const char *ep = end ? end : cJSON_GetErrorPtr();
		bool at_end = !ep || ep >= text + tlen;
		unsigned long l = at_end ? close_line + (unsigned long)reader_line_at(text, tlen, text + tlen, 0)
					 : close_line + reader_line_at(text, tlen, ep, 0);
		if (at_end && tlen > 0 && text[tlen - 1] == '\n' && l > close_line)
			l--;
		reader_error(r, l, at_end ? "truncated trace: the document is not closed"
					  : "invalid JSON after the syscalls array");
		rc = TRACE_ERR_FORMAT;
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		reader_error(r, close_line, "invalid JSON after the syscalls array");
		rc = TRACE_ERR_FORMAT;
		goto out;
	}
	rc = reader_tail(r, root, close_line);
	if (rc == TRACE_OK)
		*how = STREAM_DONE;
out:
	cJSON_Delete(root);
	trace_fastline_free(&fast);
	sbuf_free(&hdr);
	sbuf_free(&tail);
	return rc;
}
