/* html_sink.c — `--format html` (docs/design.md, 'Trace format (JSON)'): one self-contained page.
 *
 * The page streams: the head and the table header are written when the
 * sink is created, one table row per call, signal and task exit as they
 * arrive, and at finish the table is closed and a summary section follows
 * (totals, time per syscall, processes), then a small inline script that
 * makes the tables sortable (click a header; again to reverse) and moves
 * the summary above the call table. Without scripts the summary stays at
 * the end, reachable from a "#summary" link at the top.
 *
 * Self-contained: inline CSS and JS only, no external href/src, and a
 * Content-Security-Policy that forbids loading anything.
 *
 * Escaping: everything that comes from the tracee or the command line
 * (arguments, results, names, paths, the command) goes through html_put:
 * & < > " ' become entities; bytes that are not well-formed UTF-8, NUL
 * and the other C0 controls except TAB/LF/CR, and DEL become U+FFFD.
 *
 * Columns: time (s since the trace started, entry time), pid/tid, syscall,
 * arguments, result, duration (µs, 3 decimals; empty when the call never
 * returned), source ("file:line", empty without -s).
 *
 * Memory: one line buffer that grows to the largest row seen, one counter
 * row per distinct syscall, one record per ended process. */
#include "format_sinks.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event_text.h"
#include "obuf.h"
#include "source.h"
#include "vec.h"

#define DIRECT_NR 1024   /* syscall numbers indexed directly */

struct html_row {           /* per-syscall counters, -c style */
	long nr;
	char *name;
	uint64_t calls, errors, ns;
};

struct html_proc {
	pid_t pid, ppid;
	char *exe;
	bool exited, core;
	int code, sig;
	uint64_t start_ns, end_ns, utime_us, stime_us, maxrss_kb;
};

struct html_sink {
	struct sink sink;
	struct writer *out;
	bool finished;
	bool oom;
	struct linebuf line;
	/* totals */
	uint64_t events, errors, unfinished, signals, total_ns;
	/* per syscall */
	struct html_row *rows;
	size_t nrows, rows_cap;
	uint32_t direct[DIRECT_NR]; /* row index + 1, 0 = none */
	/* processes */
	struct html_proc *procs;
	size_t nprocs, procs_cap;
};

/* ------------------------------------------------------------------ */
/* escaping                                                            */

/* Length of the well-formed UTF-8 sequence starting at p (n bytes
 * available), or 0 when there is none (RFC 3629). */
static size_t html_utf8_len(const unsigned char *p, size_t n)
{
	unsigned need;
	uint32_t cp, min;
	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		need = 1;
		cp = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		need = 2;
		cp = p[0] & 0x0f;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		need = 3;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < need + 1u)
		return 0;
	for (unsigned k = 1; k <= need; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1u;
}

/* Worst case of html_put per input byte: "&#xFFFD;" is 8 bytes. */
#define HTML_ESC_MAX 8

static void html_put(struct obuf *ob, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0;
	while (i < n) {
		const char *rep = NULL;
		size_t adv = 1;
		unsigned char c = p[i];
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\t':
		case '\n':
		case '\r':
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				rep = "&#xFFFD;";
			} else if (c >= 0x80) {
				size_t l = html_utf8_len(p + i, n - i);
				if (l == 0)
					rep = "&#xFFFD;";
				else
					adv = l;
			}
		}
		if (rep) {
			obuf_putn(ob, s + start, i - start);
			obuf_puts(ob, rep);
			i += 1;
			start = i;
		} else {
			i += adv;
		}
	}
	obuf_putn(ob, s + start, n - start);
}

static void html_puts(struct obuf *ob, const char *s)
{
	html_put(ob, s, strlen(s));
}

/* ------------------------------------------------------------------ */
/* buffers                                                             */

static void put_secs(struct obuf *ob, uint64_t ns)
{
	obuf_printf(ob, "%llu.%06llu", (unsigned long long)(ns / 1000000000u),
		    (unsigned long long)(ns % 1000000000u / 1000u));
}

/* Start a line of at most `need` bytes; false (row dropped) on OOM. */
static bool html_begin(struct html_sink *hs, struct obuf *ob, size_t need)
{
	if (!linebuf_reserve(&hs->line, need)) {
		hs->oom = true;
		return false;
	}
	obuf_init(ob, hs->line.buf, hs->line.cap);
	return true;
}

/* Start the row of a signal or task end of tid at ts_ns, up to the
 * opening of its third cell. */
static bool html_begin_event_row(struct html_sink *hs, struct obuf *ob, const char *cls, uint64_t ts_ns,
				 pid_t tid)
{
	if (hs->finished || !html_begin(hs, ob, 512))
		return false;
	obuf_printf(ob, "<tr class=\"%s\"><td>", cls);
	put_secs(ob, ts_ns);
	obuf_printf(ob, "</td><td>%ld</td><td>", (long)tid);
	return true;
}

static void html_end(struct html_sink *hs, struct obuf *ob, uint64_t now)
{
	if (ob->overflow) { /* cannot happen: callers bound the line */
		hs->oom = true;
		return;
	}
	writer_put(hs->out, ob->buf, ob->len);
	if (now) /* 0: not a trace-time line (head, metadata, summary) */
		writer_line_done(hs->out, now);
}

/* ------------------------------------------------------------------ */
/* counters                                                            */

static struct html_row *html_row_for(struct html_sink *hs, long nr, const char *name)
{
	if (nr >= 0 && nr < DIRECT_NR) {
		if (hs->direct[nr])
			return &hs->rows[hs->direct[nr] - 1];
	} else {
		for (size_t i = 0; i < hs->nrows; i++)
			if (hs->rows[i].nr == nr && strcmp(hs->rows[i].name, name) == 0)
				return &hs->rows[i];
	}
	if (!vec_grow(&hs->rows, &hs->rows_cap, hs->nrows + 1, sizeof(*hs->rows)))
		return NULL;
	char *copy = strdup(name);
	if (!copy)
		return NULL;
	struct html_row *r = &hs->rows[hs->nrows++];
	memset(r, 0, sizeof(*r));
	r->nr = nr;
	r->name = copy;
	if (nr >= 0 && nr < DIRECT_NR)
		hs->direct[nr] = (uint32_t)hs->nrows;
	return r;
}

/* ------------------------------------------------------------------ */
/* rows                                                                */

static void html_syscall(void *self, const struct event *ev)
{
	struct html_sink *hs = self;
	if (hs->finished)
		return;
	const char *name = ev->name ? ev->name : "?";
	hs->events++;
	if (!ev->finished) {
		hs->unfinished++;
	} else {
		if (ev->err)
			hs->errors++;
		hs->total_ns += ev->duration_ns;
		/* Counted like -c: calls that returned. */
		struct html_row *r = html_row_for(hs, ev->nr, name);
		if (!r) {
			hs->oom = true;
		} else {
			r->calls++;
			r->errors += ev->err != 0;
			r->ns += ev->duration_ns;
		}
	}

	int nargs = event_nargs(ev);
	char resbuf[EVENT_RESULT_MAX];
	const char *res = event_result_text(ev, resbuf, true);
	size_t need = 512 + HTML_ESC_MAX * strlen(name) + event_args_size(ev, nargs, HTML_ESC_MAX) +
		      HTML_ESC_MAX * strlen(res);
	if (ev->source && ev->source->file)
		need += HTML_ESC_MAX * strlen(ev->source->file);
	struct obuf ob;
	if (!html_begin(hs, &ob, need))
		return;

	if (!ev->finished)
		obuf_puts(&ob, "<tr class=\"unf\">");
	else if (ev->err)
		obuf_puts(&ob, "<tr class=\"err\">");
	else
		obuf_puts(&ob, "<tr>");
	obuf_puts(&ob, "<td>");
	put_secs(&ob, ev->ts_ns);
	obuf_printf(&ob, "</td><td>%ld/%ld</td><td>", (long)ev->pid, (long)ev->tid);
	html_puts(&ob, name);
	obuf_puts(&ob, "</td><td>");
	event_put_args(&ob, ev, nargs, html_put);
	obuf_puts(&ob, "</td><td>");
	html_puts(&ob, res);
	obuf_puts(&ob, "</td><td>");
	if (ev->finished)
		event_put_usec(&ob, ev->duration_ns);
	obuf_puts(&ob, "</td><td>");
	if (ev->source && ev->source->file) {
		html_puts(&ob, ev->source->file);
		obuf_printf(&ob, ":%u", ev->source->line);
	}
	obuf_puts(&ob, "</td></tr>\n");
	html_end(hs, &ob, ev->ts_ns + ev->duration_ns);
}

static void html_signal(void *self, pid_t tid, uint64_t ts_ns, const siginfo_t *si)
{
	struct html_sink *hs = self;
	if (hs->finished || !si)
		return;
	hs->signals++;
	struct obuf ob;
	if (!html_begin_event_row(hs, &ob, "sig", ts_ns, tid))
		return;
	obuf_puts(&ob, "--- ");
	event_put_signame(&ob, si->si_signo, "");
	obuf_puts(&ob, " ---</td><td>{si_signo=");
	event_put_signame(&ob, si->si_signo, "");
	obuf_puts(&ob, ", si_code=");
	event_put_sicode(&ob, si->si_signo, si->si_code, false);
	if (si->si_code <= 0 || si->si_signo == SIGCHLD)
		obuf_printf(&ob, ", si_pid=%ld", (long)si->si_pid);
	obuf_puts(&ob, "}</td><td></td><td></td><td></td></tr>\n");
	html_end(hs, &ob, ts_ns);
}

static void html_exited(void *self, pid_t tid, uint64_t ts_ns, int status)
{
	struct html_sink *hs = self;
	struct obuf ob;
	if (!html_begin_event_row(hs, &ob, "exit", ts_ns, tid))
		return;
	obuf_puts(&ob, "+++ ");
	event_put_wstatus(&ob, status, "");
	obuf_puts(&ob, " +++</td><td></td><td></td><td></td><td></td></tr>\n");
	html_end(hs, &ob, ts_ns);
}

static void html_superseded(void *self, pid_t tid, uint64_t ts_ns, pid_t by_tid)
{
	struct html_sink *hs = self;
	struct obuf ob;
	if (!html_begin_event_row(hs, &ob, "exit", ts_ns, tid))
		return;
	obuf_printf(&ob, "+++ superseded by execve in pid %ld +++</td>"
		    "<td></td><td></td><td></td><td></td></tr>\n", (long)by_tid);
	html_end(hs, &ob, ts_ns);
}

static void html_process_end(void *self, const struct process_info *p)
{
	struct html_sink *hs = self;
	if (hs->finished || !p)
		return;
	if (!vec_grow(&hs->procs, &hs->procs_cap, hs->nprocs + 1, sizeof(*hs->procs))) {
		hs->oom = true;
		return;
	}
	char *exe = NULL;
	if (p->exe) {
		exe = strdup(p->exe);
		if (!exe) {
			hs->oom = true;
			return;
		}
	}
	struct html_proc *q = &hs->procs[hs->nprocs++];
	q->pid = p->pid;
	q->ppid = p->ppid;
	q->exe = exe;
	q->exited = p->exited;
	q->core = p->core_dumped;
	q->code = p->exit_code;
	q->sig = p->signal;
	q->start_ns = p->start_ns;
	q->end_ns = p->end_ns;
	q->utime_us = p->utime_us;
	q->stime_us = p->stime_us;
	q->maxrss_kb = p->maxrss_kb;
}

/* ------------------------------------------------------------------ */
/* finish: summary and script                                          */

static const char html_script[] =
	"<script>\n"
	"(function(){\n"
	"var s=document.getElementById('summary'),t=document.getElementById('top');\n"
	"if(s&&t)t.appendChild(s);\n"
	"function key(c,num){if(!c)return num?-Infinity:'';\n"
	" var v=c.textContent;if(!num)return v;\n"
	" var m=/-?[0-9]+(\\.[0-9]+)?/.exec(v);return m?parseFloat(m[0]):-Infinity;}\n"
	"Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(tb){\n"
	" var hs=tb.tHead.rows[0].cells;\n"
	" Array.prototype.forEach.call(hs,function(th,i){\n"
	"  th.addEventListener('click',function(){\n"
	"   var num=th.hasAttribute('data-num'),asc=th.getAttribute('aria-sort')!=='ascending';\n"
	"   Array.prototype.forEach.call(hs,function(h){h.removeAttribute('aria-sort');});\n"
	"   th.setAttribute('aria-sort',asc?'ascending':'descending');\n"
	"   var body=tb.tBodies[0],rs=Array.prototype.slice.call(body.rows);\n"
	"   var ks=rs.map(function(r,j){return [key(r.cells[i],num),j,r];});\n"
	"   ks.sort(function(a,b){var c=a[0]<b[0]?-1:a[0]>b[0]?1:0;if(!asc)c=-c;return c||a[1]-b[1];});\n"
	"   var f=document.createDocumentFragment();\n"
	"   ks.forEach(function(k){f.appendChild(k[2]);});body.appendChild(f);\n"
	"  });\n"
	" });\n"
	"});\n"
	"})();\n"
	"</script>\n";

static int cmp_row_time(const void *a, const void *b)
{
	const struct html_row *x = *(const struct html_row *const *)a;
	const struct html_row *y = *(const struct html_row *const *)b;
	if (x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void html_put_line(struct html_sink *hs, const char *s)
{
	writer_put(hs->out, s, strlen(s));
}

static void html_summary_rows(struct html_sink *hs)
{
	struct html_row **order = NULL;
	if (hs->nrows) {
		order = malloc(hs->nrows * sizeof(*order));
		if (!order) {
			hs->oom = true;
			return;
		}
		for (size_t i = 0; i < hs->nrows; i++)
			order[i] = &hs->rows[i];
		qsort(order, hs->nrows, sizeof(*order), cmp_row_time);
	}
	uint64_t tot_ns = 0, tot_calls = 0, tot_err = 0;
	for (size_t i = 0; i < hs->nrows; i++) {
		tot_ns += hs->rows[i].ns;
		tot_calls += hs->rows[i].calls;
		tot_err += hs->rows[i].errors;
	}
	html_put_line(hs, "<h3>Time per syscall</h3>\n<table class=\"sortable\" id=\"bysyscall\"><thead><tr>"
			  "<th data-num>% time</th><th data-num>seconds</th><th data-num>usecs/call</th>"
			  "<th data-num>calls</th><th data-num>errors</th><th>syscall</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < hs->nrows; i++) {
		const struct html_row *r = order[i];
		struct obuf ob;
		if (!html_begin(hs, &ob, 256 + HTML_ESC_MAX * strlen(r->name)))
			break;
		double pct = tot_ns ? 100.0 * (double)r->ns / (double)tot_ns : 0.0;
		obuf_printf(&ob, "<tr><td>%.2f</td><td>%.6f</td><td>", pct, (double)r->ns / 1e9);
		obuf_printf(&ob, "%llu</td><td>%llu</td><td>",
			    (unsigned long long)(r->calls ? r->ns / 1000u / r->calls : 0),
			    (unsigned long long)r->calls);
		if (r->errors)
			obuf_printf(&ob, "%llu", (unsigned long long)r->errors);
		obuf_puts(&ob, "</td><td>");
		html_puts(&ob, r->name);
		obuf_puts(&ob, "</td></tr>\n");
		html_end(hs, &ob, 0);
	}
	free(order);
	struct obuf ob;
	if (!html_begin(hs, &ob, 512))
		return;
	obuf_printf(&ob, "</tbody><tfoot><tr><td>%s</td><td>%.6f</td><td>", tot_ns ? "100.00" : "0.00",
		    (double)tot_ns / 1e9);
	obuf_printf(&ob, "%llu</td><td>%llu</td><td>%llu</td><td>total</td></tr></tfoot></table>\n",
		    (unsigned long long)(tot_calls ? tot_ns / 1000u / tot_calls : 0),
		    (unsigned long long)tot_calls, (unsigned long long)tot_err);
	html_end(hs, &ob, 0);
}

static void html_summary_procs(struct html_sink *hs)
{
	if (!hs->nprocs)
		return;
	html_put_line(hs, "<h3>Processes</h3>\n<table class=\"sortable\" id=\"processes\"><thead><tr>"
			  "<th data-num>pid</th><th data-num>ppid</th><th>executable</th><th>status</th>"
			  "<th data-num>start (s)</th><th data-num>end (s)</th><th data-num>user (s)</th>"
			  "<th data-num>system (s)</th><th data-num>max RSS (KiB)</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < hs->nprocs; i++) {
		const struct html_proc *p = &hs->procs[i];
		struct obuf ob;
		if (!html_begin(hs, &ob, 512 + (p->exe ? HTML_ESC_MAX * strlen(p->exe) : 0)))
			break;
		obuf_printf(&ob, "<tr><td>%ld</td><td>%ld</td><td>", (long)p->pid, (long)p->ppid);
		if (p->exe)
			html_puts(&ob, p->exe);
		obuf_puts(&ob, "</td><td>");
		event_put_end(&ob, p->exited, p->code, p->sig, p->core, "");
		obuf_puts(&ob, "</td><td>");
		put_secs(&ob, p->start_ns);
		obuf_puts(&ob, "</td><td>");
		put_secs(&ob, p->end_ns);
		obuf_puts(&ob, "</td><td>");
		put_secs(&ob, p->utime_us * 1000u);
		obuf_puts(&ob, "</td><td>");
		put_secs(&ob, p->stime_us * 1000u);
		obuf_printf(&ob, "</td><td>%llu</td></tr>\n", (unsigned long long)p->maxrss_kb);
		html_end(hs, &ob, 0);
	}
	html_put_line(hs, "</tbody></table>\n");
}

static int html_finish(void *self, const struct run_info *ri)
{
	struct html_sink *hs = self;
	if (hs->finished)
		return writer_flush(hs->out);
	hs->finished = true;
	html_put_line(hs, "</tbody></table>\n<section id=\"summary\">\n<h2>Summary</h2>\n");
	struct obuf ob;
	if (html_begin(hs, &ob, 2048)) {
		obuf_puts(&ob, "<table class=\"totals\"><tbody>\n");
		obuf_printf(&ob, "<tr><th>calls</th><td>%llu</td></tr>\n", (unsigned long long)hs->events);
		obuf_printf(&ob, "<tr><th>errors</th><td>%llu</td></tr>\n", (unsigned long long)hs->errors);
		obuf_printf(&ob, "<tr><th>unfinished</th><td>%llu</td></tr>\n",
			    (unsigned long long)hs->unfinished);
		obuf_printf(&ob, "<tr><th>signals</th><td>%llu</td></tr>\n", (unsigned long long)hs->signals);
		obuf_puts(&ob, "<tr><th>time in syscalls (s)</th><td>");
		put_secs(&ob, hs->total_ns);
		obuf_puts(&ob, "</td></tr>\n");
		if (ri) {
			obuf_puts(&ob, "<tr><th>wall time (s)</th><td>");
			put_secs(&ob, ri->wall_ns);
			obuf_printf(&ob, "</td></tr>\n<tr><th>exit code</th><td>%d</td></tr>\n", ri->exit_code);
			if (ri->interrupted)
				obuf_puts(&ob, "<tr><th>interrupted</th><td>yes: the tracer was stopped by a "
					       "signal</td></tr>\n");
		}
		obuf_puts(&ob, "</tbody></table>\n");
		html_end(hs, &ob, 0);
	}
	html_summary_rows(hs);
	html_summary_procs(hs);
	html_put_line(hs, "</section>\n");
	html_put_line(hs, html_script);
	html_put_line(hs, "</body>\n</html>\n");
	return sink_flush_report(hs->out, hs->oom, hs->out->name, "the HTML report is incomplete");
}

static void html_destroy(void *self)
{
	struct html_sink *hs = self;
	for (size_t i = 0; i < hs->nrows; i++)
		free(hs->rows[i].name);
	free(hs->rows);
	for (size_t i = 0; i < hs->nprocs; i++)
		free(hs->procs[i].exe);
	free(hs->procs);
	linebuf_free(&hs->line);
	free(hs);
}

/* ------------------------------------------------------------------ */
/* head                                                                */

static const char html_style[] =
	"<style>\n"
	"body{font-family:system-ui,sans-serif;margin:1em;color:#222;background:#fff}\n"
	"h1{font-size:1.3em}h1 code{font-size:.9em}\n"
	"table{border-collapse:collapse;margin:.5em 0}\n"
	"th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}\n"
	"#calls td:nth-child(4),#calls td:nth-child(5){font-family:ui-monospace,monospace;"
	"white-space:pre-wrap;word-break:break-all}\n"
	"thead th{background:#eee;cursor:pointer;position:sticky;top:0}\n"
	"th[aria-sort=ascending]::after{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}\n"
	"tr.err td{background:#fdecea}tr.unf td{background:#fff8e1}\n"
	"tr.sig td,tr.exit td{background:#eef3fb;font-style:italic}\n"
	".meta{color:#555}\n"
	"</style>\n";

/* The command as one line (arguments separated by spaces), escaped. */
static void put_command(struct obuf *ob, const struct run_meta *m)
{
	if (m && m->command && m->command[0]) {
		for (size_t i = 0; m->command[i]; i++) {
			if (i)
				obuf_putc(ob, ' ');
			html_puts(ob, m->command[i]);
		}
	} else if (m && m->attached && m->nattached > 0) {
		obuf_puts(ob, "-p ");
		for (int i = 0; i < m->nattached; i++)
			obuf_printf(ob, "%s%ld", i ? "," : "", (long)m->attached[i]);
	} else {
		obuf_puts(ob, "(unknown command)");
	}
}

static size_t command_size(const struct run_meta *m)
{
	size_t n = 64;
	if (m && m->command)
		for (size_t i = 0; m->command[i]; i++)
			n += 1 + HTML_ESC_MAX * strlen(m->command[i]);
	if (m && m->attached)
		n += 24 * (size_t)(m->nattached > 0 ? m->nattached : 0);
	return n;
}

static bool html_head(struct html_sink *hs, const struct run_meta *m)
{
	size_t cmd = command_size(m);
	size_t need = sizeof(html_style) + 2 * cmd + 4096;
	if (m && m->host)
		need += HTML_ESC_MAX * strlen(m->host);
	if (m && m->kernel)
		need += HTML_ESC_MAX * strlen(m->kernel);
	struct obuf ob;
	if (!html_begin(hs, &ob, need))
		return false;
	obuf_puts(&ob, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		       "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
		       "<meta name=\"generator\" content=\"renacer-c\">\n<title>renacer-c: ");
	put_command(&ob, m);
	obuf_puts(&ob, "</title>\n");
	obuf_puts(&ob, html_style);
	obuf_puts(&ob, "</head>\n<body>\n<h1>renacer-c trace: <code>");
	put_command(&ob, m);
	obuf_puts(&ob, "</code></h1>\n<p class=\"meta\">");
	if (m && m->start_unix_ns) {
		time_t sec = (time_t)(m->start_unix_ns / 1000000000u);
		struct tm tm;
		char when[64];
		if (gmtime_r(&sec, &tm) && strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm))
			obuf_printf(&ob, "started %s", when);
	}
	if (m && m->host) {
		obuf_puts(&ob, " &middot; host ");
		html_puts(&ob, m->host);
	}
	if (m && m->kernel) {
		obuf_puts(&ob, " &middot; kernel ");
		html_puts(&ob, m->kernel);
	}
	obuf_puts(&ob, " &middot; <a href=\"#summary\">summary</a></p>\n<div id=\"top\"></div>\n"
		       "<h2>Calls</h2>\n<table class=\"sortable\" id=\"calls\"><thead><tr>"
		       "<th data-num>time (s)</th><th data-num>pid/tid</th><th>syscall</th>"
		       "<th>arguments</th><th>result</th><th data-num>duration (&micro;s)</th>"
		       "<th>source</th></tr></thead>\n<tbody>\n");
	html_end(hs, &ob, 0);
	return true;
}

struct sink *html_sink_new(struct writer *out, const struct run_meta *m)
{
	struct html_sink *hs = calloc(1, sizeof(*hs));
	if (!hs)
		return NULL;
	hs->out = out;
	hs->sink = (struct sink){ .self = hs, .syscall = html_syscall, .signal = html_signal,
				  .exited = html_exited, .superseded = html_superseded,
				  .process_end = html_process_end, .finish = html_finish,
				  .destroy = html_destroy };
	if (!html_head(hs, m)) {
		html_destroy(hs);
		return NULL;
	}
	return &hs->sink;
}
