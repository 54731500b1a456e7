/* report.c — assertion reports in text, JSON, JUnit XML and GitHub
 * workflow-command form (see src/analyze/report.h, SPEC §8).
 *
 * Everything is rendered into one growable buffer first (so a write error
 * or an out-of-memory condition never leaves half a report behind), then
 * written through a writer (atomically for -o). */
#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_flags.h"
#include "json_out.h"
#include "obuf.h"
#include "writer.h"

/* ------------------------------------------------------------------ */
/* A growable string                                                   */

struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static bool sb_reserve(struct sbuf *b, size_t extra)
{
	if (b->oom)
		return false;
	if (extra >= SIZE_MAX / 2 - b->len) {
		b->oom = true;
		return false;
	}
	if (b->len + extra + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 1024;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (!sb_reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void sb_putc(struct sbuf *b, char c)
{
	sb_putn(b, &c, 1);
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		sb_putn(b, tmp, (size_t)n);
		return;
	}
	if (!sb_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* ------------------------------------------------------------------ */
/* Common pieces                                                       */

static const char *verdict_word(enum verdict v)
{
	switch (v) {
	case V_PASS:
		return "PASS";
	case V_FAIL:
		return "FAIL";
	case V_WARN:
		return "WARN";
	case V_SKIP:
		return "SKIP";
	case V_ERROR:
		return "ERROR";
	}
	return "ERROR";
}

static const char *rname(const struct assertion_result *r)
{
	return (r->a && r->a->name) ? r->a->name : "?";
}

static const char *rtype(const struct assertion_result *r)
{
	return r->a ? assertion_type_name(r->a->type) : "unknown";
}

int report_format_parse(const char *s, enum report_format *out)
{
	static const char *const names[] = {"text", "json", "junit", "github"};
	for (int i = 0; s && i < 4; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum report_format)i;
			return 0;
		}
	return -1;
}

const char *report_format_name(enum report_format f)
{
	switch (f) {
	case REPORT_TEXT:
		return "text";
	case REPORT_JSON:
		return "json";
	case REPORT_JUNIT:
		return "junit";
	case REPORT_GITHUB:
		return "github";
	}
	return "text";
}

bool program_failed(const struct program_status *ps)
{
	if (!ps)
		return false;
	switch (ps->end) {
	case PROG_NONE:
		return false;
	case PROG_EXITED:
		return ps->code != ps->expect_exit;
	case PROG_KILLED:
	case PROG_UNKNOWN:
		break;
	}
	return true;
}

static bool program_known(const struct program_status *ps)
{
	return ps && ps->end != PROG_NONE;
}

/* "exit status 3, expected 0", "killed by SIGSEGV (core dumped), expected
 * exit status 0", ...: what the Program line and the machine formats say. */
static void put_program(struct sbuf *b, const struct program_status *ps)
{
	const char *sig;
	switch (ps->end) {
	case PROG_EXITED:
		sb_printf(b, "exit status %d", ps->code);
		if (ps->code != ps->expect_exit)
			sb_printf(b, ", expected %d", ps->expect_exit);
		else if (ps->expect_exit != 0)
			sb_puts(b, " (expected)");
		return;
	case PROG_KILLED:
		sig = signal_name(ps->signal);
		if (sig)
			sb_printf(b, "killed by %s", sig);
		else
			sb_printf(b, "killed by signal %d", ps->signal);
		sb_printf(b, "%s, expected exit status %d", ps->core_dumped ? " (core dumped)" : "",
			  ps->expect_exit);
		return;
	case PROG_UNKNOWN:
		sb_printf(b, "exit status unknown (its end was not seen), expected %d", ps->expect_exit);
		return;
	case PROG_NONE:
		break;
	}
	sb_puts(b, "not known");
}

void report_count(const struct report_set *sets, size_t nsets, struct report_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t s = 0; s < nsets; s++)
		t->programs_failed += program_failed(sets[s].program);
	for (size_t s = 0; s < nsets; s++)
		for (size_t i = 0; i < sets[s].n && sets[s].results; i++)
			switch (sets[s].results[i].verdict) {
			case V_PASS:
				t->passed++;
				break;
			case V_FAIL:
				t->failed++;
				break;
			case V_WARN:
				t->warnings++;
				break;
			case V_SKIP:
				t->skipped++;
				break;
			case V_ERROR:
			default:
				t->errors++;
				break;
			}
}

int report_exit_code(const struct report_set *sets, size_t nsets)
{
	struct report_totals t;
	report_count(sets, nsets, &t);
	if (t.programs_failed)
		return 4;
	if (t.errors)
		return 3;
	if (t.failed)
		return 1;
	return 0;
}

static const char *result_word(const struct report_totals *t)
{
	return (t->failed || t->errors || t->programs_failed) ? "FAIL" : "PASS";
}

/* "Result: FAIL (3 passed, 1 failed, 1 warning, 1 skipped)" */
static void put_result_line(struct sbuf *b, const struct report_totals *t)
{
	sb_printf(b, "Result: %s (%zu passed, %zu failed, %zu warning%s, %zu skipped", result_word(t), t->passed,
		  t->failed, t->warnings, t->warnings == 1 ? "" : "s", t->skipped);
	if (t->errors)
		sb_printf(b, ", %zu error%s", t->errors, t->errors == 1 ? "" : "s");
	sb_puts(b, ")\n");
}

/* A quantity in its unit: "125.4 ms", "87 spans", "0.81", "42.5%",
 * "67108864 bytes (64.0 MiB)". */
static void fmt_qty(char *buf, size_t n, double v, const char *unit)
{
	if (!isfinite(v)) {
		snprintf(buf, n, "%s%s%s", isnan(v) ? "n/a" : (v > 0 ? "inf" : "-inf"), unit ? " " : "",
			 unit ? unit : "");
		return;
	}
	if (!unit || !*unit) {
		snprintf(buf, n, "%g", v);
	} else if (!strcmp(unit, "ms")) {
		snprintf(buf, n, "%.1f ms", v);
	} else if (!strcmp(unit, "%")) {
		snprintf(buf, n, "%.1f%%", v);
	} else if (!strcmp(unit, "confidence") || !strcmp(unit, "similarity")) {
		snprintf(buf, n, "%.2f", v);
	} else if (!strcmp(unit, "bytes")) {
		static const char *const big[] = {"MiB", "GiB", "TiB", "PiB"};
		double scaled = fabs(v) / (1024.0 * 1024.0);
		int k = 0;
		while (k < 3 && scaled >= 1024.0) {
			scaled /= 1024.0;
			k++;
		}
		if (fabs(v) >= 1024.0 * 1024.0)
			snprintf(buf, n, "%.0f bytes (%.1f %s)", v, v < 0 ? -scaled : scaled, big[k]);
		else
			snprintf(buf, n, "%.0f bytes", v);
	} else if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, n, "%.0f %s", v, unit);
	} else {
		snprintf(buf, n, "%.2f %s", v, unit);
	}
}

/* How far past the budget, in percent of the budget (positive = worse).
 * false when it cannot be expressed (zero or non-finite budget). */
static bool regression_pct(const struct assertion_result *r, double *pct)
{
	if (!isfinite(r->actual) || !isfinite(r->budget) || r->budget == 0)
		return false;
	double d = r->higher_is_worse ? r->actual - r->budget : r->budget - r->actual;
	*pct = d / fabs(r->budget) * 100.0;
	return isfinite(*pct);
}

static bool has_numbers(const struct assertion_result *r)
{
	return isfinite(r->actual) && isfinite(r->budget);
}

/* Append S with every control character replaced by REPL (one line). */
static void sb_put_line(struct sbuf *b, const char *s, char repl)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		sb_putc(b, (c < 0x20 || c == 0x7f) ? repl : (char)c);
	}
}

/* The last lines: how each program ended, where known ("Program: TRACE:
 * ..." with several traces). */
static void put_program_lines(struct sbuf *b, const struct report_set *sets, size_t nsets)
{
	for (size_t s = 0; s < nsets; s++) {
		if (!program_known(sets[s].program))
			continue;
		sb_puts(b, "Program: ");
		if (nsets > 1) {
			sb_put_line(b, sets[s].trace ? sets[s].trace : "(live run)", '?');
			sb_puts(b, ": ");
		}
		put_program(b, sets[s].program);
		sb_putc(b, '\n');
	}
}

/* Evidence lines, each indented by INDENT. */
static void put_evidence(struct sbuf *b, const char *ev, const char *indent)
{
	if (!ev || !*ev)
		return;
	const char *p = ev;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n) {
			sb_puts(b, indent);
			for (size_t i = 0; i < n; i++) {
				unsigned char c = (unsigned char)p[i];
				sb_putc(b, (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c);
			}
			sb_putc(b, '\n');
		}
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* The Actual/Budget/Regression lines of a FAIL (or a WARN in JUnit). */
static void put_numbers(struct sbuf *b, const struct assertion_result *r, const char *indent)
{
	char q[128];
	fmt_qty(q, sizeof(q), r->actual, r->unit);
	sb_printf(b, "%sActual:     %s\n", indent, q);
	fmt_qty(q, sizeof(q), r->budget, r->unit);
	sb_printf(b, "%sBudget:     %s\n", indent, q);
	double pct;
	if (regression_pct(r, &pct))
		sb_printf(b, "%sRegression: %+.1f%%\n", indent, pct);
}

/* ------------------------------------------------------------------ */
/* text                                                                */

static void text_result(struct sbuf *b, const struct assertion_result *r)
{
	const char *ind = "      ";
	sb_printf(b, "%-5s %s", verdict_word(r->verdict), rname(r));
	switch (r->verdict) {
	case V_FAIL:
		sb_putc(b, '\n');
		if (has_numbers(r)) {
			put_numbers(b, r, ind);
		} else if (r->summary && *r->summary) {
			sb_puts(b, ind);
			sb_put_line(b, r->summary, ' ');
			sb_putc(b, '\n');
		}
		put_evidence(b, r->evidence, ind);
		return;
	case V_SKIP:
		sb_puts(b, ": ");
		sb_put_line(b, r->summary && *r->summary ? r->summary : "disabled", ' ');
		sb_putc(b, '\n');
		return;
	case V_PASS:
	case V_WARN:
	case V_ERROR:
		break;
	}
	if (r->summary && *r->summary) {
		sb_puts(b, ": ");
		sb_put_line(b, r->summary, ' ');
	}
	sb_putc(b, '\n');
	if (r->verdict != V_PASS)
		put_evidence(b, r->evidence, ind);
}

static void render_text(struct sbuf *b, const struct report_set *sets, size_t nsets)
{
	for (size_t s = 0; s < nsets; s++) {
		if (nsets > 1) {
			sb_puts(b, "Trace: ");
			sb_put_line(b, sets[s].trace ? sets[s].trace : "(live run)", '?');
			sb_putc(b, '\n');
		}
		for (size_t i = 0; i < sets[s].n && sets[s].results; i++)
			text_result(b, &sets[s].results[i]);
	}
	struct report_totals t;
	report_count(sets, nsets, &t);
	put_result_line(b, &t);
	put_program_lines(b, sets, nsets);
}

/* ------------------------------------------------------------------ */
/* json                                                                */

static void jstr(struct sbuf *b, const char *s)
{
	if (!s) {
		sb_puts(b, "null");
		return;
	}
	size_t n = strlen(s);
	if (n > (SIZE_MAX - 16) / 6) {
		b->oom = true;
		return;
	}
	size_t cap = n * 6 + 3;
	char small[1024];
	char *store = cap <= sizeof(small) ? small : malloc(cap);
	if (!store) {
		b->oom = true;
		return;
	}
	struct obuf ob;
	obuf_init(&ob, store, cap);
	json_put_str(&ob, s, n);
	sb_putn(b, ob.buf, ob.len);
	if (store != small)
		free(store);
}

static void jnum(struct sbuf *b, double v)
{
	if (isfinite(v))
		sb_printf(b, "%.15g", v);
	else
		sb_puts(b, "null");
}

static void jtotals(struct sbuf *b, const struct report_totals *t)
{
	sb_printf(b, "{\"passed\":%zu,\"failed\":%zu,\"warnings\":%zu,\"skipped\":%zu,\"errors\":%zu}", t->passed,
		  t->failed, t->warnings, t->skipped, t->errors);
}

/* null, or {"status":"exited"|"killed"|"unknown","exit_code":N|null,
 * "signal":"SIGSEGV"|N|null,"core_dumped":B,"expect_exit":N,"ok":B}. */
static void json_program(struct sbuf *b, const struct program_status *ps)
{
	if (!program_known(ps)) {
		sb_puts(b, "null");
		return;
	}
	static const char *const status[] = {[PROG_EXITED] = "exited", [PROG_KILLED] = "killed",
					      [PROG_UNKNOWN] = "unknown"};
	sb_printf(b, "{\"status\":\"%s\",\"exit_code\":", status[ps->end]);
	if (ps->end == PROG_EXITED)
		sb_printf(b, "%d", ps->code);
	else
		sb_puts(b, "null");
	sb_puts(b, ",\"signal\":");
	const char *sig = ps->end == PROG_KILLED ? signal_name(ps->signal) : NULL;
	if (sig)
		jstr(b, sig);
	else if (ps->end == PROG_KILLED)
		sb_printf(b, "%d", ps->signal);
	else
		sb_puts(b, "null");
	sb_printf(b, ",\"core_dumped\":%s,\"expect_exit\":%d,\"ok\":%s}",
		  ps->end == PROG_KILLED && ps->core_dumped ? "true" : "false", ps->expect_exit,
		  program_failed(ps) ? "false" : "true");
}

static void json_evidence(struct sbuf *b, const char *ev)
{
	sb_putc(b, '[');
	bool first = true;
	for (const char *p = ev; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = malloc(n + 1);
		if (!line) {
			b->oom = true;
			return;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		if (!first)
			sb_putc(b, ',');
		jstr(b, line);
		free(line);
		first = false;
		if (!nl)
			break;
		p = nl + 1;
	}
	sb_putc(b, ']');
}

static void json_result(struct sbuf *b, const char *trace, const struct assertion_result *r)
{
	sb_puts(b, "{\"trace\":");
	jstr(b, trace);
	sb_puts(b, ",\"name\":");
	jstr(b, rname(r));
	sb_puts(b, ",\"type\":");
	jstr(b, rtype(r));
	if (r->a && r->a->type == AT_ANTI_PATTERN) {
		sb_puts(b, ",\"pattern\":");
		jstr(b, anti_pattern_name(r->a->pattern));
	}
	sb_printf(b, ",\"verdict\":\"%s\",\"not_applicable\":%s,\"fail_on_violation\":%s", verdict_word(r->verdict),
		  r->not_applicable ? "true" : "false", (!r->a || r->a->fail_on_violation) ? "true" : "false");
	sb_puts(b, ",\"actual\":");
	jnum(b, r->actual);
	sb_puts(b, ",\"budget\":");
	jnum(b, r->budget);
	sb_puts(b, ",\"unit\":");
	jstr(b, r->unit);
	sb_printf(b, ",\"higher_is_worse\":%s,\"regression_pct\":", r->higher_is_worse ? "true" : "false");
	double pct;
	if (r->verdict != V_SKIP && regression_pct(r, &pct) && pct > 0)
		jnum(b, pct);
	else
		sb_puts(b, "null");
	sb_puts(b, ",\"summary\":");
	jstr(b, r->summary);
	sb_puts(b, ",\"evidence\":");
	json_evidence(b, r->evidence);
	sb_puts(b, ",\"src_file\":");
	jstr(b, r->src_file);
	sb_puts(b, ",\"src_line\":");
	if (r->src_file && r->src_line)
		sb_printf(b, "%u", r->src_line);
	else
		sb_puts(b, "null");
	sb_putc(b, '}');
}

static void render_json(struct sbuf *b, const char *config_path, const struct report_set *sets, size_t nsets)
{
	struct report_totals t;
	report_count(sets, nsets, &t);
	sb_printf(b, "{\"format\":\"renacer-c-assert\",\"version\":1,\"result\":\"%s\",\"exit_code\":%d,\"config\":",
		  result_word(&t), report_exit_code(sets, nsets));
	jstr(b, config_path);
	sb_puts(b, ",\"totals\":");
	jtotals(b, &t);
	sb_puts(b, ",\"traces\":[");
	for (size_t s = 0; s < nsets; s++) {
		struct report_totals ts;
		report_count(&sets[s], 1, &ts);
		if (s)
			sb_putc(b, ',');
		sb_puts(b, "{\"trace\":");
		jstr(b, sets[s].trace);
		sb_printf(b, ",\"result\":\"%s\",\"totals\":", result_word(&ts));
		jtotals(b, &ts);
		sb_puts(b, ",\"program\":");
		json_program(b, sets[s].program);
		sb_putc(b, '}');
	}
	sb_puts(b, "],\"results\":[");
	bool first = true;
	for (size_t s = 0; s < nsets; s++)
		for (size_t i = 0; i < sets[s].n && sets[s].results; i++) {
			sb_puts(b, first ? "\n" : ",\n");
			first = false;
			json_result(b, sets[s].trace, &sets[s].results[i]);
		}
	sb_puts(b, first ? "]}\n" : "\n]}\n");
}

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
			sb_putc(b, '?');
			i++;
			continue;
		}
		if (k > 1) {
			sb_putn(b, (const char *)p + i, k);
			i += k;
			continue;
		}
		char c = (char)p[i++];
		switch (c) {
		case '&':
			sb_puts(b, "&amp;");
			break;
		case '<':
			sb_puts(b, "&lt;");
			break;
		case '>':
			sb_puts(b, "&gt;");
			break;
		case '"':
			sb_puts(b, "&quot;");
			break;
		case '\'':
			sb_puts(b, "&apos;");
			break;
		case '\n':
			sb_puts(b, attr ? "&#10;" : "\n");
			break;
		case '\r':
			sb_puts(b, "&#13;");
			break;
		case '\t':
			sb_puts(b, attr ? "&#9;" : "\t");
			break;
		default:
			sb_putc(b, c);
			break;
		}
	}
}

/* The lines of a FAIL block below its header (optionally preceded by
 * the summary): Actual/Budget/Regression for FAIL and WARN, evidence. */
static char *fail_body(const struct assertion_result *r, bool with_summary)
{
	struct sbuf t = {0};
	if (with_summary && r->summary && *r->summary) {
		sb_put_line(&t, r->summary, ' ');
		sb_putc(&t, '\n');
	}
	if ((r->verdict == V_FAIL || r->verdict == V_WARN) && has_numbers(r))
		put_numbers(&t, r, "");
	put_evidence(&t, r->evidence, "");
	if (t.oom) {
		free(t.p);
		return NULL;
	}
	if (!t.p)
		return calloc(1, 1);
	return t.p;
}

static void junit_case(struct sbuf *b, const struct assertion_result *r)
{
	sb_puts(b, "    <testcase name=\"");
	xml_put(b, rname(r), true);
	sb_puts(b, "\" classname=\"renacer.");
	xml_put(b, rtype(r), true);
	sb_puts(b, "\"");
	if (r->src_file) {
		sb_puts(b, " file=\"");
		xml_put(b, r->src_file, true);
		sb_puts(b, "\"");
		if (r->src_line)
			sb_printf(b, " line=\"%u\"", r->src_line);
	}
	sb_puts(b, ">\n");
	const char *summary = r->summary && *r->summary ? r->summary : NULL;
	switch (r->verdict) {
	case V_FAIL:
	case V_ERROR: {
		char *body = fail_body(r, true);
		if (!body) {
			b->oom = true;
			return;
		}
		sb_puts(b, "      <failure message=\"");
		xml_put(b, summary ? summary : (r->verdict == V_FAIL ? "over budget" : "could not be evaluated"), true);
		sb_printf(b, "\" type=\"%s\">", r->verdict == V_FAIL ? "assertion" : "error");
		xml_put(b, body, false);
		sb_puts(b, "</failure>\n");
		free(body);
		break;
	}
	case V_SKIP:
		sb_puts(b, "      <skipped message=\"");
		xml_put(b, summary ? summary : "disabled", true);
		sb_puts(b, "\"/>\n");
		break;
	case V_WARN: {
		char *body = fail_body(r, false);
		if (!body) {
			b->oom = true;
			return;
		}
		sb_puts(b, "      <system-out>WARN (fail_on_violation = false): ");
		xml_put(b, summary ? summary : "over budget", false);
		sb_puts(b, "\n");
		xml_put(b, body, false);
		sb_puts(b, "</system-out>\n");
		free(body);
		break;
	}
	case V_PASS:
		if (summary) {
			sb_puts(b, "      <system-out>");
			xml_put(b, summary, false);
			sb_puts(b, "</system-out>\n");
		}
		break;
	}
	sb_puts(b, "    </testcase>\n");
}

/* The program's end as one more test case of the trace's suite. */
static void junit_program_case(struct sbuf *b, const struct program_status *ps)
{
	struct sbuf m = {0};
	put_program(&m, ps);
	if (m.oom) {
		free(m.p);
		b->oom = true;
		return;
	}
	sb_puts(b, "    <testcase name=\"program exit status\" classname=\"renacer.program\">\n");
	if (program_failed(ps)) {
		sb_puts(b, "      <failure message=\"");
		xml_put(b, m.p, true);
		sb_puts(b, "\" type=\"program\">");
		xml_put(b, m.p, false);
		sb_puts(b, "</failure>\n");
	} else {
		sb_puts(b, "      <system-out>");
		xml_put(b, m.p, false);
		sb_puts(b, "</system-out>\n");
	}
	sb_puts(b, "    </testcase>\n");
	free(m.p);
}

/* Test cases and failures of a suite: the assertions, plus the program. */
static size_t junit_tests(const struct report_totals *t, const struct report_set *sets, size_t nsets)
{
	size_t n = t->passed + t->failed + t->warnings + t->skipped + t->errors;
	for (size_t s = 0; s < nsets; s++)
		n += program_known(sets[s].program);
	return n;
}

static void render_junit(struct sbuf *b, const char *config_path, const struct report_set *sets, size_t nsets)
{
	struct report_totals t;
	report_count(sets, nsets, &t);
	sb_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	sb_printf(b, "<testsuites name=\"renacer-c assert\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		  junit_tests(&t, sets, nsets), t.failed + t.errors + t.programs_failed, t.skipped);
	for (size_t s = 0; s < nsets; s++) {
		struct report_totals ts;
		report_count(&sets[s], 1, &ts);
		sb_puts(b, "  <testsuite name=\"");
		xml_put(b, sets[s].trace ? sets[s].trace : "live run", true);
		sb_printf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\"",
			  junit_tests(&ts, &sets[s], 1), ts.failed + ts.errors + ts.programs_failed, ts.skipped);
		if (config_path) {
			sb_puts(b, " file=\"");
			xml_put(b, config_path, true);
			sb_puts(b, "\"");
		}
		sb_puts(b, ">\n");
		for (size_t i = 0; i < sets[s].n && sets[s].results; i++)
			junit_case(b, &sets[s].results[i]);
		if (program_known(sets[s].program))
			junit_program_case(b, sets[s].program);
		sb_puts(b, "  </testsuite>\n");
	}
	sb_puts(b, "</testsuites>\n");
}

/* ------------------------------------------------------------------ */
/* github                                                              */

/* Workflow-command escaping: data escapes % CR LF; properties also : and ,. */
static void gh_put(struct sbuf *b, const char *s, bool prop)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '%':
			sb_puts(b, "%25");
			break;
		case '\r':
			sb_puts(b, "%0D");
			break;
		case '\n':
			sb_puts(b, "%0A");
			break;
		case ':':
			sb_puts(b, prop ? "%3A" : ":");
			break;
		case ',':
			sb_puts(b, prop ? "%2C" : ",");
			break;
		default:
			sb_putc(b, *s);
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
	sb_printf(b, "::%s ", cmd);
	if (r->src_file && *r->src_file) {
		sb_puts(b, "file=");
		gh_put(b, r->src_file, true);
		if (r->src_line)
			sb_printf(b, ",line=%u", r->src_line);
		sb_putc(b, ',');
	}
	sb_puts(b, "title=");
	gh_put(b, rname(r), true);
	sb_puts(b, "::");

	/* The message: what was measured, then the block lines. */
	struct sbuf m = {0};
	if (show_trace && trace)
		sb_printf(&m, "[%s] ", trace);
	sb_printf(&m, "%s %s", verdict_word(r->verdict), rname(r));
	if (r->summary && *r->summary)
		sb_printf(&m, ": %s", r->summary);
	sb_putc(&m, '\n');
	char *body = fail_body(r, false);
	if (body)
		sb_puts(&m, body);
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
	sb_putc(b, '\n');
}

/* "::error title=program exit status::[TRACE] exit status 3, expected 0" */
static void github_program(struct sbuf *b, const char *trace, bool show_trace, const struct program_status *ps)
{
	struct sbuf m = {0};
	if (show_trace && trace)
		sb_printf(&m, "[%s] ", trace);
	sb_puts(&m, "Program: ");
	put_program(&m, ps);
	if (m.oom)
		b->oom = true;
	else {
		sb_puts(b, "::error title=program exit status::");
		gh_put(b, m.p, false);
		sb_putc(b, '\n');
	}
	free(m.p);
}

static void render_github(struct sbuf *b, const struct report_set *sets, size_t nsets)
{
	for (size_t s = 0; s < nsets; s++) {
		for (size_t i = 0; i < sets[s].n && sets[s].results; i++)
			github_result(b, sets[s].trace, nsets > 1, &sets[s].results[i]);
		if (program_failed(sets[s].program))
			github_program(b, sets[s].trace, nsets > 1, sets[s].program);
	}
	struct report_totals t;
	report_count(sets, nsets, &t);
	put_result_line(b, &t);
	put_program_lines(b, sets, nsets);
}

/* ------------------------------------------------------------------ */

char *report_render(enum report_format fmt, const char *config_path, const struct report_set *sets,
		    size_t nsets, size_t *len)
{
	struct sbuf b = {0};
	if (!sets)
		nsets = 0;
	switch (fmt) {
	case REPORT_JSON:
		render_json(&b, config_path, sets, nsets);
		break;
	case REPORT_JUNIT:
		render_junit(&b, config_path, sets, nsets);
		break;
	case REPORT_GITHUB:
		render_github(&b, sets, nsets);
		break;
	case REPORT_TEXT:
	default:
		render_text(&b, sets, nsets);
		break;
	}
	if (b.oom || !b.p) {
		free(b.p);
		return NULL;
	}
	if (len)
		*len = b.len;
	return b.p;
}

int report_write(const struct report_opts *ro, const char *config_path, const struct report_set *sets,
		 size_t nsets)
{
	size_t len = 0;
	char *text = report_render(ro ? ro->format : REPORT_TEXT, config_path, sets, nsets, &len);
	if (!text) {
		fprintf(stderr, "renacer-c: out of memory\n");
		return -1;
	}
	struct writer w;
	const char *out = ro ? ro->output : NULL;
	if (writer_open(&w, out, out != NULL) != 0) {
		free(text);
		return -1;
	}
	writer_put(&w, text, len);
	free(text);
	return writer_close(&w);
}
