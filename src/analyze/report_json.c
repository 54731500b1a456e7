/* report_json.c — the report as one JSON object (report.h). */
#include "report_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode_flags.h"
#include "json_out.h"
#include "obuf.h"

/* ------------------------------------------------------------------ */
/* json                                                                */

static void jstr(struct sbuf *b, const char *s)
{
	if (!s) {
		sbuf_puts(b, "null");
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
	sbuf_putn(b, ob.buf, ob.len);
	if (store != small)
		free(store);
}

static void jnum(struct sbuf *b, double v)
{
	if (isfinite(v))
		sbuf_printf(b, "%.15g", v);
	else
		sbuf_puts(b, "null");
}

static void jtotals(struct sbuf *b, const struct report_totals *t)
{
	sbuf_printf(b, "{\"passed\":%zu,\"failed\":%zu,\"warnings\":%zu,\"skipped\":%zu,\"errors\":%zu}", t->passed,
		    t->failed, t->warnings, t->skipped, t->errors);
}

/* null, or {"status":"exited"|"killed"|"unknown","exit_code":N|null,
 * "signal":"SIGSEGV"|N|null,"core_dumped":B,"expect_exit":N,"ok":B}. */
static void json_program(struct sbuf *b, const struct program_status *ps)
{
	if (!report_program_known(ps)) {
		sbuf_puts(b, "null");
		return;
	}
	static const char *const status[] = {[PROG_EXITED] = "exited", [PROG_KILLED] = "killed",
					      [PROG_UNKNOWN] = "unknown"};
	sbuf_printf(b, "{\"status\":\"%s\",\"exit_code\":", status[ps->end]);
	if (ps->end == PROG_EXITED)
		sbuf_printf(b, "%d", ps->code);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"signal\":");
	const char *sig = ps->end == PROG_KILLED ? signal_name(ps->signal) : NULL;
	if (sig)
		jstr(b, sig);
	else if (ps->end == PROG_KILLED)
		sbuf_printf(b, "%d", ps->signal);
	else
		sbuf_puts(b, "null");
	sbuf_printf(b, ",\"core_dumped\":%s,\"expect_exit\":%d,\"ok\":%s}",
		    ps->end == PROG_KILLED && ps->core_dumped ? "true" : "false", ps->expect_exit,
		  program_failed(ps) ? "false" : "true");
}

static void json_evidence(struct sbuf *b, const char *ev)
{
	sbuf_putc(b, '[');
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
			sbuf_putc(b, ',');
		jstr(b, line);
		free(line);
		first = false;
		if (!nl)
			break;
		p = nl + 1;
	}
	sbuf_putc(b, ']');
}

static void json_result(struct sbuf *b, const char *trace, const struct assertion_result *r)
{
	sbuf_puts(b, "{\"trace\":");
	jstr(b, trace);
	sbuf_puts(b, ",\"name\":");
	jstr(b, report_name(r));
	sbuf_puts(b, ",\"type\":");
	jstr(b, report_type(r));
	if (r->a && r->a->type == AT_ANTI_PATTERN) {
		sbuf_puts(b, ",\"pattern\":");
		jstr(b, anti_pattern_name(r->a->pattern));
	}
	sbuf_printf(b, ",\"verdict\":\"%s\",\"not_applicable\":%s,\"fail_on_violation\":%s", report_verdict_word(r->verdict),
		    r->not_applicable ? "true" : "false", (!r->a || r->a->fail_on_violation) ? "true" : "false");
	sbuf_puts(b, ",\"actual\":");
	jnum(b, r->actual);
	sbuf_puts(b, ",\"budget\":");
	jnum(b, r->budget);
	sbuf_puts(b, ",\"unit\":");
	jstr(b, r->unit);
	sbuf_printf(b, ",\"higher_is_worse\":%s,\"regression_pct\":", r->higher_is_worse ? "true" : "false");
	double pct;
	if (r->verdict != V_SKIP && report_regression_pct(r, &pct) && pct > 0)
		jnum(b, pct);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"summary\":");
	jstr(b, r->summary);
	sbuf_puts(b, ",\"evidence\":");
	json_evidence(b, r->evidence);
	sbuf_puts(b, ",\"src_file\":");
	jstr(b, r->src_file);
	sbuf_puts(b, ",\"src_line\":");
	if (r->src_file && r->src_line)
		sbuf_printf(b, "%u", r->src_line);
	else
		sbuf_puts(b, "null");
	sbuf_putc(b, '}');
}

void report_render_json(struct sbuf *b, const char *config_path, const struct report_set *sets, size_t nsets)
{
	struct report_totals t;
	report_count(sets, nsets, &t);
	sbuf_printf(b, "{\"format\":\"renacer-c-assert\",\"version\":1,\"result\":\"%s\",\"exit_code\":%d,\"config\":",
		    report_result_word(&t), report_exit_code(sets, nsets));
	jstr(b, config_path);
	sbuf_puts(b, ",\"totals\":");
	jtotals(b, &t);
	sbuf_puts(b, ",\"traces\":[");
	for (size_t s = 0; s < nsets; s++) {
		struct report_totals ts;
		report_count(&sets[s], 1, &ts);
		if (s)
			sbuf_putc(b, ',');
		sbuf_puts(b, "{\"trace\":");
		jstr(b, sets[s].trace);
		sbuf_printf(b, ",\"result\":\"%s\",\"totals\":", report_result_word(&ts));
		jtotals(b, &ts);
		sbuf_puts(b, ",\"program\":");
		json_program(b, sets[s].program);
		sbuf_putc(b, '}');
	}
	sbuf_puts(b, "],\"results\":[");
	bool first = true;
	for (size_t s = 0; s < nsets; s++)
		for (size_t i = 0; i < sets[s].n && sets[s].results; i++) {
			sbuf_puts(b, first ? "\n" : ",\n");
			first = false;
			json_result(b, sets[s].trace, &sets[s].results[i]);
		}
	sbuf_puts(b, first ? "]}\n" : "\n]}\n");
}
