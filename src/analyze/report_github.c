/* report_github.c — the report as GitHub workflow commands (::error,
 * ::warning) followed by the Result and Program lines (report.h). */
#include "report_int.h"

#include <stdlib.h>

/* ------------------------------------------------------------------ */
/* github                                                              */

/* Workflow-command escaping: data escapes % CR LF; properties also : and ,. */
static void gh_put(struct sbuf *b, const char *s, bool prop)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '%':
			sbuf_puts(b, "%25");
			break;
		case '\r':
			sbuf_puts(b, "%0D");
			break;
		case '\n':
			sbuf_puts(b, "%0A");
			break;
		case ':':
			sbuf_puts(b, prop ? "%3A" : ":");
			break;
		case ',':
			sbuf_puts(b, prop ? "%2C" : ",");
			break;
		default:
			sbuf_putc(b, *s);
			break;
		}
	}
}

static void github_result(struct sbuf *b, const char *trace, bool show_trace, const struct assertion_result *r)
{
	const char *cmd;
	switch (r->verdict) {
	case V_FAIL:
	case V_ERROR:
		cmd = "error";
		break;
	case V_WARN:
		cmd = "warning";
		break;
	default:
		return;
	}
	sbuf_printf(b, "::%s ", cmd);
	if (r->src_file && *r->src_file) {
		sbuf_puts(b, "file=");
		gh_put(b, r->src_file, true);
		if (r->src_line)
			sbuf_printf(b, ",line=%u", r->src_line);
		sbuf_putc(b, ',');
	}
	sbuf_puts(b, "title=");
	gh_put(b, report_name(r), true);
	sbuf_puts(b, "::");

	/* The message: what was measured, then the block lines. */
	struct sbuf m = SBUF_INIT;
	if (show_trace && trace)
		sbuf_printf(&m, "[%s] ", trace);
	sbuf_printf(&m, "%s %s", report_verdict_word(r->verdict), report_name(r));
	if (r->summary && *r->summary)
		sbuf_printf(&m, ": %s", r->summary);
	sbuf_putc(&m, '\n');
	char *body = report_fail_body(r, false);
	if (body)
		sbuf_puts(&m, body);
	else
		m.oom = true;
	free(body);
	while (m.len && m.p[m.len - 1] == '\n')
		m.p[--m.len] = '\0';
	if (m.oom)
		b->oom = true;
	else
		gh_put(b, m.p, false);
	free(m.p);
	sbuf_putc(b, '\n');
}

/* "::error title=program exit status::[TRACE] exit status 3, expected 0" */
static void github_program(struct sbuf *b, const char *trace, bool show_trace, const struct program_status *ps)
{
	struct sbuf m = SBUF_INIT;
	if (show_trace && trace)
		sbuf_printf(&m, "[%s] ", trace);
	sbuf_puts(&m, "Program: ");
	report_put_program(&m, ps);
	if (m.oom)
		b->oom = true;
	else {
		sbuf_puts(b, "::error title=program exit status::");
		gh_put(b, m.p, false);
		sbuf_putc(b, '\n');
	}
	free(m.p);
}

void report_render_github(struct sbuf *b, const struct report_set *sets, size_t nsets)
{
	for (size_t s = 0; s < nsets; s++) {
		for (size_t i = 0; i < sets[s].n && sets[s].results; i++)
			github_result(b, sets[s].trace, nsets > 1, &sets[s].results[i]);
		if (program_failed(sets[s].program))
			github_program(b, sets[s].trace, nsets > 1, sets[s].program);
	}
	struct report_totals t;
	report_count(sets, nsets, &t);
	report_put_result_line(b, &t);
	report_put_program_lines(b, sets, nsets);
}
