/* report_text.c — the text report: one line per PASS/WARN/SKIP, a block
 * for each FAIL, then the Result and Program lines (report.h). */
#include "report_int.h"

/* ------------------------------------------------------------------ */
/* text                                                                */

static void text_result(struct sbuf *b, const struct assertion_result *r)
{
	const char *ind = "      ";
	sbuf_printf(b, "%-5s %s", report_verdict_word(r->verdict), report_name(r));
	switch (r->verdict) {
	case V_FAIL:
		sbuf_putc(b, '\n');
		if (report_has_numbers(r)) {
			report_put_numbers(b, r, ind);
		} else if (r->summary && *r->summary) {
			sbuf_puts(b, ind);
			report_put_line(b, r->summary, ' ');
			sbuf_putc(b, '\n');
		}
		report_put_evidence(b, r->evidence, ind);
		return;
	case V_SKIP:
		sbuf_puts(b, ": ");
		report_put_line(b, r->summary && *r->summary ? r->summary : "disabled", ' ');
		sbuf_putc(b, '\n');
		return;
	case V_PASS:
	case V_WARN:
	case V_ERROR:
		break;
	}
	if (r->summary && *r->summary) {
		sbuf_puts(b, ": ");
		report_put_line(b, r->summary, ' ');
	}
	sbuf_putc(b, '\n');
	if (r->verdict != V_PASS)
		report_put_evidence(b, r->evidence, ind);
}

void report_render_text(struct sbuf *b, const struct report_set *sets, size_t nsets)
{
	for (size_t s = 0; s < nsets; s++) {
		if (nsets > 1) {
			sbuf_puts(b, "Trace: ");
			report_put_line(b, sets[s].trace ? sets[s].trace : "(live run)", '?');
			sbuf_putc(b, '\n');
		}
		for (size_t i = 0; i < sets[s].n && sets[s].results; i++)
			text_result(b, &sets[s].results[i]);
	}
	struct report_totals t;
	report_count(sets, nsets, &t);
	report_put_result_line(b, &t);
	report_put_program_lines(b, sets, nsets);
}
