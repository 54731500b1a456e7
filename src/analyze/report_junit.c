/* report_junit.c — the report as JUnit XML: a testsuite per trace, a
 * testcase per assertion, one more for the program's end (report.h). */
#include "report_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* junit                                                               */

/* Length of the valid UTF-8 sequence at s (n bytes available) that is
 * also an XML Char, or 0. */
static size_t xml_char_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') && c != 0x7f ? 1 : 0;
	size_t len;
	uint32_t cp, min;
	if ((c & 0xE0) == 0xC0) {
		len = 2;
		cp = c & 0x1F;
		min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3;
		cp = c & 0x0F;
		min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
		return 0;
	if (cp >= 0x80 && cp <= 0x9F) /* C1 controls: legal but discouraged; keep the text clean */
		return 0;
	return len;
}

/* XML-escaped text; ATTR also escapes whitespace controls so attribute
 * normalisation keeps them. Anything that is not an XML character
 * becomes '?'. */
static void xml_put(struct sbuf *b, const char *s, bool attr)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	size_t i = 0;
	while (i < n) {
		size_t k = xml_char_len(p + i, n - i);
		if (k == 0) {
			sbuf_putc(b, '?');
			i++;
			continue;
		}
		if (k > 1) {
			sbuf_putn(b, (const char *)p + i, k);
			i += k;
			continue;
		}
		char c = (char)p[i++];
		switch (c) {
		case '&':
			sbuf_puts(b, "&amp;");
			break;
		case '<':
			sbuf_puts(b, "&lt;");
			break;
		case '>':
			sbuf_puts(b, "&gt;");
			break;
		case '"':
			sbuf_puts(b, "&quot;");
			break;
		case '\'':
			sbuf_puts(b, "&apos;");
			break;
		case '\n':
			sbuf_puts(b, attr ? "&#10;" : "\n");
			break;
		case '\r':
			sbuf_puts(b, "&#13;");
			break;
		case '\t':
			sbuf_puts(b, attr ? "&#9;" : "\t");
			break;
		default:
			sbuf_putc(b, c);
			break;
		}
	}
}

static void junit_case(struct sbuf *b, const struct assertion_result *r)
{
	sbuf_puts(b, "    <testcase name=\"");
	xml_put(b, report_name(r), true);
	sbuf_puts(b, "\" classname=\"renacer.");
	xml_put(b, report_type(r), true);
	sbuf_puts(b, "\"");
	if (r->src_file) {
		sbuf_puts(b, " file=\"");
		xml_put(b, r->src_file, true);
		sbuf_puts(b, "\"");
		if (r->src_line)
			sbuf_printf(b, " line=\"%u\"", r->src_line);
	}
	sbuf_puts(b, ">\n");
	const char *summary = r->summary && *r->summary ? r->summary : NULL;
	switch (r->verdict) {
	case V_FAIL:
	case V_ERROR: {
		char *body = report_fail_body(r, true);
		if (!body) {
			b->oom = true;
			return;
		}
		sbuf_puts(b, "      <failure message=\"");
		xml_put(b, summary ? summary : (r->verdict == V_FAIL ? "over budget" : "could not be evaluated"), true);
		sbuf_printf(b, "\" type=\"%s\">", r->verdict == V_FAIL ? "assertion" : "error");
		xml_put(b, body, false);
		sbuf_puts(b, "</failure>\n");
		free(body);
		break;
	}
	case V_SKIP:
		sbuf_puts(b, "      <skipped message=\"");
		xml_put(b, summary ? summary : "disabled", true);
		sbuf_puts(b, "\"/>\n");
		break;
	case V_WARN: {
		char *body = report_fail_body(r, false);
		if (!body) {
			b->oom = true;
			return;
		}
		sbuf_puts(b, "      <system-out>WARN (fail_on_violation = false): ");
		xml_put(b, summary ? summary : "over budget", false);
		sbuf_puts(b, "\n");
		xml_put(b, body, false);
		sbuf_puts(b, "</system-out>\n");
		free(body);
		break;
	}
	case V_PASS:
		if (summary) {
			sbuf_puts(b, "      <system-out>");
			xml_put(b, summary, false);
			sbuf_puts(b, "</system-out>\n");
		}
		break;
	}
	sbuf_puts(b, "    </testcase>\n");
}

/* The program's end as one more test case of the trace's suite. */
static void junit_program_case(struct sbuf *b, const struct program_status *ps)
{
	struct sbuf m = SBUF_INIT;
	report_put_program(&m, ps);
	if (m.oom) {
		free(m.p);
		b->oom = true;
		return;
	}
	sbuf_puts(b, "    <testcase name=\"program exit status\" classname=\"renacer.program\">\n");
	if (program_failed(ps)) {
		sbuf_puts(b, "      <failure message=\"");
		xml_put(b, m.p, true);
		sbuf_puts(b, "\" type=\"program\">");
		xml_put(b, m.p, false);
		sbuf_puts(b, "</failure>\n");
	} else {
		sbuf_puts(b, "      <system-out>");
		xml_put(b, m.p, false);
		sbuf_puts(b, "</system-out>\n");
	}
	sbuf_puts(b, "    </testcase>\n");
	free(m.p);
}

/* Test cases and failures of a suite: the assertions, plus the program. */
static size_t junit_tests(const struct report_totals *t, const struct report_set *sets, size_t nsets)
{
	size_t n = t->passed + t->failed + t->warnings + t->skipped + t->errors;
	for (size_t s = 0; s < nsets; s++)
		n += report_program_known(sets[s].program);
	return n;
}

void report_render_junit(struct sbuf *b, const char *config_path, const struct report_set *sets, size_t nsets)
{
	struct report_totals t;
	report_count(sets, nsets, &t);
	sbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	sbuf_printf(b, "<testsuites name=\"renacer-c assert\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		    junit_tests(&t, sets, nsets), t.failed + t.errors + t.programs_failed, t.skipped);
	for (size_t s = 0; s < nsets; s++) {
		struct report_totals ts;
		report_count(&sets[s], 1, &ts);
		sbuf_puts(b, "  <testsuite name=\"");
		xml_put(b, sets[s].trace ? sets[s].trace : "live run", true);
		sbuf_printf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\"",
			    junit_tests(&ts, &sets[s], 1), ts.failed + ts.errors + ts.programs_failed, ts.skipped);
		if (config_path) {
			sbuf_puts(b, " file=\"");
			xml_put(b, config_path, true);
			sbuf_puts(b, "\"");
		}
		sbuf_puts(b, ">\n");
		for (size_t i = 0; i < sets[s].n && sets[s].results; i++)
			junit_case(b, &sets[s].results[i]);
		if (report_program_known(sets[s].program))
			junit_program_case(b, sets[s].program);
		sbuf_puts(b, "  </testsuite>\n");
	}
	sbuf_puts(b, "</testsuites>\n");
}
