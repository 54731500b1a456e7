/* summary.c — the -c table, laid out byte for byte like `strace -c -w`.
 *
 * One row per distinct syscall. Rows live in a growable array; numbers
 * 0..IDX_LIMIT-1 find their row through a growable index (one slot per
 * number), so counting a number already seen never allocates. Other
 * numbers (negative, huge: rare) are found by a scan matching nr and name.
 *
 * Rounding, verified against strace 6.1 (-c -w with --syscall-times=ns):
 *   seconds    = ns / 1e9 printed %11.6f (round to nearest)
 *   usecs/call = ns / calls / 1000, integer division (truncates)
 *   % time     = 100 * ns / total_ns printed %6.2f; 0.00 when total is 0;
 *                the total row always reads 100.00. */
#include "summary.h"
#include "syscall_table.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"

#define IDX_LIMIT 65536L

struct row {
	long nr;
	char *name; /* owned copy */
	uint64_t calls;
	uint64_t errors;
	uint64_t ns;
};

struct summary {
	struct row *rows;
	size_t nrows, cap;
	uint32_t *idx; /* idx[nr] = row index + 1, 0 = not seen */
	size_t idx_cap;
};

struct summary *summary_new(void)
{
	return calloc(1, sizeof(struct summary));
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nrows; i++)
		free(s->rows[i].name);
	free(s->rows);
	free(s->idx);
	free(s);
}

static char *make_name(long nr, const char *name)
{
	char buf[32];

	if (!name) {
		const struct syscall_info *si = syscall_lookup(nr);
		if (si && si->name) {
			name = si->name;
		} else {
			snprintf(buf, sizeof(buf), "syscall_%#lx", (unsigned long)nr);
			name = buf;
		}
	}
	return strdup(name);
}

static int idx_reserve(struct summary *s, long nr)
{
	size_t want = (size_t)nr + 1;
	size_t old = s->idx_cap;

	/* First size 512 (a power of two: the doubling matches). */
	if (!vec_grow(&s->idx, &s->idx_cap, want < 512 ? 512 : want, sizeof(*s->idx)))
		return -1;
	memset(s->idx + old, 0, (s->idx_cap - old) * sizeof(*s->idx));
	return 0;
}

static struct row *find_row(struct summary *s, long nr, const char *name)
{
	if (nr >= 0 && nr < IDX_LIMIT) {
		if ((size_t)nr < s->idx_cap && s->idx[nr])
			return &s->rows[s->idx[nr] - 1];
		return NULL;
	}
	for (size_t i = 0; i < s->nrows; i++) {
		struct row *r = &s->rows[i];
		if (r->nr != nr)
			continue;
		if (!name) /* name would be synthesized from nr alone */
			return r;
		if (strcmp(r->name, name) == 0)
			return r;
	}
	return NULL;
}

static struct row *new_row(struct summary *s, long nr, const char *name)
{
	struct row *r;

	if (nr >= 0 && nr < IDX_LIMIT && idx_reserve(s, nr) < 0)
		return NULL;
	if (!vec_grow(&s->rows, &s->cap, s->nrows + 1, sizeof(*s->rows)))
		return NULL;
	r = &s->rows[s->nrows];
	memset(r, 0, sizeof(*r));
	r->nr = nr;
	r->name = make_name(nr, name);
	if (!r->name)
		return NULL;
	s->nrows++;
	if (nr >= 0 && nr < IDX_LIMIT)
		s->idx[nr] = (uint32_t)s->nrows;
	return r;
}

int summary_add(struct summary *s, long nr, const char *name, int failed, uint64_t duration_ns)
{
	return summary_add_n(s, nr, name, 1, failed, duration_ns);
}

int summary_add_n(struct summary *s, long nr, const char *name, uint64_t calls, int failed, uint64_t duration_ns)
{
	struct row *r = find_row(s, nr, name);

	if (!r) {
		r = new_row(s, nr, name);
		if (!r) {
			errno = ENOMEM;
			return -1;
		}
	}
	r->calls += calls;
	if (failed)
		r->errors += calls;
	r->ns += duration_ns;
	return 0;
}

int summary_sort_parse(const char *str, enum summary_sort *out)
{
	static const struct {
		const char *name;
		enum summary_sort sort;
	} names[] = {
		{ "time", SORT_TIME },
		{ "min-time", SORT_TIME }, { "min_time", SORT_TIME },
		{ "time-min", SORT_TIME }, { "time_min", SORT_TIME },
		{ "max-time", SORT_TIME }, { "max_time", SORT_TIME },
		{ "time-max", SORT_TIME }, { "time_max", SORT_TIME },
		{ "avg-time", SORT_TIME }, { "avg_time", SORT_TIME },
		{ "time-avg", SORT_TIME }, { "time_avg", SORT_TIME },
		{ "total-time", SORT_TIME }, { "total_time", SORT_TIME },
		{ "time-total", SORT_TIME }, { "time_total", SORT_TIME },
		{ "calls", SORT_CALLS }, { "count", SORT_CALLS },
		{ "errors", SORT_ERRORS }, { "error", SORT_ERRORS },
		{ "name", SORT_NAME }, { "syscall", SORT_NAME },
		{ "syscall-name", SORT_NAME }, { "syscall_name", SORT_NAME },
		{ "nothing", SORT_NOTHING }, { "none", SORT_NOTHING },
	};

	if (!str)
		return -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(str, names[i].name) == 0) {
			if (out)
				*out = names[i].sort;
			return 0;
		}
	}
	return -1;
}

/* ---- sorting ------------------------------------------------------------ */

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

static int tie_break(const struct row *a, const struct row *b)
{
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	return a->nr < b->nr ? -1 : a->nr > b->nr;
}

#define ROWS(pa, pb) \
	const struct row *a = *(const struct row *const *)(pa); \
	const struct row *b = *(const struct row *const *)(pb)

static int cmp_time(const void *pa, const void *pb)
{
	ROWS(pa, pb);
	int c = cmp_u64_desc(a->ns, b->ns);
	return c ? c : tie_break(a, b);
}

static int cmp_calls(const void *pa, const void *pb)
{
	ROWS(pa, pb);
	int c = cmp_u64_desc(a->calls, b->calls);
	return c ? c : tie_break(a, b);
}

static int cmp_errors(const void *pa, const void *pb)
{
	ROWS(pa, pb);
	int c = cmp_u64_desc(a->errors, b->errors);
	return c ? c : tie_break(a, b);
}

static int cmp_name(const void *pa, const void *pb)
{
	ROWS(pa, pb);
	return tie_break(a, b);
}

/* strace's "nothing" leaves its per-number array as is: syscall number order. */
static int cmp_nothing(const void *pa, const void *pb)
{
	ROWS(pa, pb);
	if (a->nr != b->nr)
		return a->nr < b->nr ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* ---- printing ----------------------------------------------------------- */

static const char divider[] =
	"------ ----------- ----------- --------- --------- ----------------\n";

static double ns_to_sec(uint64_t ns)
{
	return (double)(ns / 1000000000u) + (double)(ns % 1000000000u) / 1e9;
}

static int print_row(FILE *out, double pct, uint64_t ns, uint64_t calls, uint64_t errors,
		     const char *name)
{
	char errbuf[24] = "";
	unsigned long usecs = calls ? (unsigned long)(ns / calls / 1000u) : 0;

	if (errors)
		snprintf(errbuf, sizeof(errbuf), "%lu", (unsigned long)errors);
	return fprintf(out, "%6.2f %11.6f %11lu %9lu %9s %s\n", pct, ns_to_sec(ns), usecs,
		       (unsigned long)calls, errbuf, name) < 0 ? -1 : 0;
}

int summary_print(const struct summary *s, enum summary_sort sort, FILE *out)
{
	const struct row **order = NULL;
	uint64_t tot_ns = 0, tot_calls = 0, tot_errors = 0;
	int (*cmp)(const void *, const void *);
	int rc = 0;

	switch (sort) {
	case SORT_CALLS: cmp = cmp_calls; break;
	case SORT_ERRORS: cmp = cmp_errors; break;
	case SORT_NAME: cmp = cmp_name; break;
	case SORT_NOTHING: cmp = cmp_nothing; break;
	case SORT_TIME:
	default: cmp = cmp_time; break;
	}

	if (s->nrows) {
		order = malloc(s->nrows * sizeof(*order));
		if (!order) {
			errno = ENOMEM;
			return -1;
		}
		for (size_t i = 0; i < s->nrows; i++) {
			order[i] = &s->rows[i];
			tot_ns += s->rows[i].ns;
			tot_calls += s->rows[i].calls;
			tot_errors += s->rows[i].errors;
		}
		qsort(order, s->nrows, sizeof(*order), cmp);
	}

	if (fputs("% time     seconds  usecs/call     calls    errors syscall\n", out) < 0 ||
	    fputs(divider, out) < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < s->nrows; i++) {
		const struct row *r = order[i];
		double pct = tot_ns ? 100.0 * (double)r->ns / (double)tot_ns : 0.0;
		rc = print_row(out, pct, r->ns, r->calls, r->errors, r->name);
	}
	if (rc == 0 && fputs(divider, out) < 0)
		rc = -1;
	if (rc == 0)
		rc = print_row(out, 100.0, tot_ns, tot_calls, tot_errors, "total");
	if (rc == 0 && fflush(out) != 0)
		rc = -1;
	free(order);
	return rc;
}
