/* report.c — assertion reports (report.h): the pieces the formats share,
 * the gate's exit status, and rendering and writing a report. Each format
 * has its own file (listed in report_int.h).
 *
 * Everything is rendered into one growable buffer first (so a write error
 * or an out-of-memory condition never leaves half a report behind), then
 * written through a writer (atomically for -o). */
#include "report_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_flags.h"
#include "diag.h"
#include "writer.h"

/* ------------------------------------------------------------------ */
/* Common pieces                                                       */

const char *report_verdict_word(enum verdict v)
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

const char *report_name(const struct assertion_result *r)
{
	return (r->a && r->a->name) ? r->a->name : "?";
}

const char *report_type(const struct assertion_result *r)
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

bool report_program_known(const struct program_status *ps)
{
	return ps && ps->end != PROG_NONE;
}

/* "exit status 3, expected 0", "killed by SIGSEGV (core dumped), expected
 * exit status 0", ...: what the Program line and the machine formats say. */
void report_put_program(struct sbuf *b, const struct program_status *ps)
{
	const char *sig;
	switch (ps->end) {
	case PROG_EXITED:
		sbuf_printf(b, "exit status %d", ps->code);
		if (ps->code != ps->expect_exit)
			sbuf_printf(b, ", expected %d", ps->expect_exit);
		else if (ps->expect_exit != 0)
			sbuf_puts(b, " (expected)");
		return;
	case PROG_KILLED:
		sig = signal_name(ps->signal);
		if (sig)
			sbuf_printf(b, "killed by %s", sig);
		else
			sbuf_printf(b, "killed by signal %d", ps->signal);
		sbuf_printf(b, "%s, expected exit status %d", ps->core_dumped ? " (core dumped)" : "",
			    ps->expect_exit);
		return;
	case PROG_UNKNOWN:
		sbuf_printf(b, "exit status unknown (its end was not seen), expected %d", ps->expect_exit);
		return;
	case PROG_NONE:
		break;
	}
	sbuf_puts(b, "not known");
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
		return RC_PROGRAM;
	if (t.errors)
		return RC_BAD_TRACE;
	if (t.failed)
		return RC_FAIL;
	return RC_OK;
}

const char *report_result_word(const struct report_totals *t)
{
	return (t->failed || t->errors || t->programs_failed) ? "FAIL" : "PASS";
}

/* "Result: FAIL (3 passed, 1 failed, 1 warning, 1 skipped)" */
void report_put_result_line(struct sbuf *b, const struct report_totals *t)
{
	sbuf_printf(b, "Result: %s (%zu passed, %zu failed, %zu warning%s, %zu skipped", report_result_word(t), t->passed,
		    t->failed, t->warnings, t->warnings == 1 ? "" : "s", t->skipped);
	if (t->errors)
		sbuf_printf(b, ", %zu error%s", t->errors, t->errors == 1 ? "" : "s");
	sbuf_puts(b, ")\n");
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
bool report_regression_pct(const struct assertion_result *r, double *pct)
{
	if (!isfinite(r->actual) || !isfinite(r->budget) || r->budget == 0)
		return false;
	double d = r->higher_is_worse ? r->actual - r->budget : r->budget - r->actual;
	*pct = d / fabs(r->budget) * 100.0;
	return isfinite(*pct);
}

bool report_has_numbers(const struct assertion_result *r)
{
	return isfinite(r->actual) && isfinite(r->budget);
}

/* Append S with every control character replaced by REPL (one line). */
void report_put_line(struct sbuf *b, const char *s, char repl)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		sbuf_putc(b, (c < 0x20 || c == 0x7f) ? repl : (char)c);
	}
}

/* The last lines: how each program ended, where known ("Program: TRACE:
 * ..." with several traces). */
void report_put_program_lines(struct sbuf *b, const struct report_set *sets, size_t nsets)
{
	for (size_t s = 0; s < nsets; s++) {
		if (!report_program_known(sets[s].program))
			continue;
		sbuf_puts(b, "Program: ");
		if (nsets > 1) {
			report_put_line(b, sets[s].trace ? sets[s].trace : "(live run)", '?');
			sbuf_puts(b, ": ");
		}
		report_put_program(b, sets[s].program);
		sbuf_putc(b, '\n');
	}
}

/* Evidence lines, each indented by INDENT. */
void report_put_evidence(struct sbuf *b, const char *ev, const char *indent)
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
			sbuf_puts(b, indent);
			for (size_t i = 0; i < n; i++) {
				unsigned char c = (unsigned char)p[i];
				sbuf_putc(b, (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c);
			}
			sbuf_putc(b, '\n');
		}
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* The Actual/Budget/Regression lines of a FAIL (or a WARN in JUnit). */
void report_put_numbers(struct sbuf *b, const struct assertion_result *r, const char *indent)
{
	char q[128];
	fmt_qty(q, sizeof(q), r->actual, r->unit);
	sbuf_printf(b, "%sActual:     %s\n", indent, q);
	fmt_qty(q, sizeof(q), r->budget, r->unit);
	sbuf_printf(b, "%sBudget:     %s\n", indent, q);
	double pct;
	if (report_regression_pct(r, &pct))
		sbuf_printf(b, "%sRegression: %+.1f%%\n", indent, pct);
}

/* The lines of a FAIL block below its header (optionally preceded by
 * the summary): Actual/Budget/Regression for FAIL and WARN, evidence. */
char *report_fail_body(const struct assertion_result *r, bool with_summary)
{
	struct sbuf t = SBUF_INIT;
	if (with_summary && r->summary && *r->summary) {
		report_put_line(&t, r->summary, ' ');
		sbuf_putc(&t, '\n');
	}
	if ((r->verdict == V_FAIL || r->verdict == V_WARN) && report_has_numbers(r))
		report_put_numbers(&t, r, "");
	report_put_evidence(&t, r->evidence, "");
	return sbuf_take(&t, NULL);
}

/* ------------------------------------------------------------------ */

char *report_render(enum report_format fmt, const char *config_path, const struct report_set *sets,
		    size_t nsets, size_t *len)
{
	struct sbuf b = SBUF_INIT;
	if (!sets)
		nsets = 0;
	switch (fmt) {
	case REPORT_JSON:
		report_render_json(&b, config_path, sets, nsets);
		break;
	case REPORT_JUNIT:
		report_render_junit(&b, config_path, sets, nsets);
		break;
	case REPORT_GITHUB:
		report_render_github(&b, sets, nsets);
		break;
	case REPORT_TEXT:
	default:
		report_render_text(&b, sets, nsets);
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
		diag("out of memory");
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
