/* gen_trace.c — write a synthetic renacer-json-v1 trace of N syscalls in
 * the exact layout the JSON sink writes (one record per line between
 * `"syscalls":[` and ` ],`), for the analyzer benchmarks (bench/run.sh).
 *
 * usage: gen_trace [-n N] [-v a|b] [-o FILE]
 *   -n N   number of syscall records (default 1000000)
 *   -v b   variant b: the same trace with a few differences (an openat of
 *          another path, an extra write, a dropped close, an ENOENT that
 *          became a success) for `renacer-c diff`
 *   -o F   output file (default stdout)
 *
 * The trace looks like a small program that forks one worker: the parent
 * execs, runs the dynamic loader's prelude, clones, waits and exits; the
 * worker loops over openat/newfstatat/read/read/close, an anonymous
 * mmap/munmap pair, a write to stdout and a getppid, with an ENOENT every
 * 97th iteration and one tight run of 5000 getppid calls in the middle.
 * Records carry ip, module and (for the worker's own calls) source. The
 * output is deterministic: the same arguments give the same bytes. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LIBC "/usr/lib/x86_64-linux-gnu/libc.so.6"
#define LDSO "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
#define EXE_PARENT "/opt/bench/bin/pipeline"
#define EXE_WORKER "/opt/bench/bin/worker"

#define PID_PARENT 4000
#define PID_WORKER 4001

struct gen {
	FILE *out;
	uint64_t n;          /* records wanted */
	uint64_t written;    /* records written so far */
	uint64_t ts;         /* ns since the start */
	uint64_t total_ns;
	uint64_t errors;
	uint32_t rng;
	bool variant_b;
	uint64_t diff_at[4]; /* variant b differs once at or after each */
	bool diff_done[4];
};

static uint32_t rnd(struct gen *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 17;
	g->rng ^= g->rng << 5;
	return g->rng;
}

struct src {
	const char *file;
	int line;
	const char *function;
};

/* One record. ARGS is the JSON array body of decoded args (already
 * escaped), RAW the six raw values, RESULT the return value, ERR the errno
 * name or NULL. SRC may be NULL. UNFINISHED: result null, no duration. */
static void rec(struct gen *g, const char *name, int nr, const char *args, const uint64_t raw[6], int64_t result,
		const char *err, int pid, uint64_t dur, uint64_t ip, const char *module, const struct src *src,
		bool unfinished)
{
	FILE *o = g->out;
	if (g->written == g->n)
		return;
	uint64_t ts = g->ts;
	if (unfinished)
		dur = 0;
	fprintf(o, "{\"name\":\"%s\",\"nr\":%d,\"args\":[%s],\"raw_args\":[", name, nr, args);
	for (int i = 0; i < 6; i++)
		fprintf(o, "%s\"0x%" PRIx64 "\"", i ? "," : "", raw[i]);
	if (unfinished)
		fputs("],\"result\":null,\"errno\":null", o);
	else if (err)
		fprintf(o, "],\"result\":%" PRId64 ",\"errno\":\"%s\"", result, err);
	else
		fprintf(o, "],\"result\":%" PRId64 ",\"errno\":null", result);
	fprintf(o,
		",\"pid\":%d,\"tid\":%d,\"ts_ns\":%" PRIu64 ",\"duration_ns\":%" PRIu64 ",\"duration_us\":%" PRIu64
		",\"ip\":\"0x%" PRIx64 "\",\"module\":\"%s\"",
		pid, pid, ts, dur, dur / 1000, ip, module);
	if (src)
		fprintf(o, ",\"source\":{\"file\":\"%s\",\"line\":%d,\"function\":\"%s\"}", src->file, src->line,
			src->function);
	if (unfinished)
		fputs(",\"unfinished\":true", o);
	g->written++;
	fputs(g->written == g->n ? "}\n" : "},\n", o);
	if (!unfinished) {
		g->total_ns += dur;
		if (err)
			g->errors++;
	}
	g->ts += dur + 300 + rnd(g) % 400;
}

static const uint64_t Z[6];

/* True once: at the first check at or after record diff_at[k] (b only). */
static bool diff_here(struct gen *g, int k)
{
	if (!g->variant_b || g->diff_done[k] || g->written < g->diff_at[k])
		return false;
	g->diff_done[k] = true;
	return true;
}

static void parent_prelude(struct gen *g)
{
	static const struct src msrc = {"src/pipeline.c", 31, "main"};
	char args[256];
	snprintf(args, sizeof(args), "\"\\\"%s\\\"\",\"[\\\"%s\\\"]\",\"0x7ffd5a1c2e08 /* 24 vars */\"", EXE_PARENT,
		 EXE_PARENT);
	rec(g, "execve", 59, args, (const uint64_t[6]){0x7ffd5a1c2df0, 0x7ffd5a1c2df8, 0x7ffd5a1c2e08}, 0, NULL,
	    PID_PARENT, 410000, 0x7f1c2a4e5ad7, LIBC, NULL, false);
	rec(g, "brk", 12, "\"NULL\"", Z, 0x55d1c0a00000, NULL, PID_PARENT, 2100, 0x7f1c2a6f0c47, LDSO, NULL, false);
	rec(g, "access", 21, "\"\\\"/etc/ld.so.preload\\\"\",\"R_OK\"", (const uint64_t[6]){0x7f1c2a6fa2a0, 4},
	    -2, "ENOENT", PID_PARENT, 3100, 0x7f1c2a6f09e7, LDSO, NULL, false);
	rec(g, "openat", 257, "\"AT_FDCWD\",\"\\\"/etc/ld.so.cache\\\"\",\"O_RDONLY|O_CLOEXEC\"",
	    (const uint64_t[6]){0xffffff9c, 0x7f1c2a6f90b1, 0x80000}, 3, NULL, PID_PARENT, 4200, 0x7f1c2a6f0b1d,
	    LDSO, NULL, false);
	rec(g, "newfstatat", 262, "\"3\",\"\\\"\\\"\",\"{st_mode=S_IFREG|0644, st_size=43231, ...}\",\"AT_EMPTY_PATH\"",
	    (const uint64_t[6]){3, 0x7f1c2a6f9c99, 0x7ffd5a1c1610, 0x1000}, 0, NULL, PID_PARENT, 1900,
	    0x7f1c2a6f092a, LDSO, NULL, false);
	rec(g, "mmap", 9, "\"NULL\",\"43231\",\"PROT_READ\",\"MAP_PRIVATE\",\"3\",\"0\"",
	    (const uint64_t[6]){0, 43231, 1, 2, 3, 0}, 0x7f1c2a6c4000, NULL, PID_PARENT, 2300, 0x7f1c2a6f0ca3, LDSO,
	    NULL, false);
	rec(g, "close", 3, "\"3\"", (const uint64_t[6]){3}, 0, NULL, PID_PARENT, 1200, 0x7f1c2a6f0a17, LDSO, NULL,
	    false);
	rec(g, "openat", 257,
	    "\"AT_FDCWD\",\"\\\"/lib/x86_64-linux-gnu/libc.so.6\\\"\",\"O_RDONLY|O_CLOEXEC\"",
	    (const uint64_t[6]){0xffffff9c, 0x7f1c2a6c5e10, 0x80000}, 3, NULL, PID_PARENT, 4100, 0x7f1c2a6f0b1d,
	    LDSO, NULL, false);
	rec(g, "read", 0, "\"3\",\"\\\"\\\\177ELF\\\\2\\\\1\\\\1\\\\3\\\"...\",\"832\"",
	    (const uint64_t[6]){3, 0x7ffd5a1c1778, 832}, 832, NULL, PID_PARENT, 1700, 0x7f1c2a6f0b4a, LDSO, NULL,
	    false);
	rec(g, "mmap", 9, "\"NULL\",\"1970000\",\"PROT_READ\",\"MAP_PRIVATE|MAP_DENYWRITE\",\"3\",\"0\"",
	    (const uint64_t[6]){0, 1970000, 1, 0x802, 3, 0}, 0x7f1c2a4bf000, NULL, PID_PARENT, 2600, 0x7f1c2a6f0ca3,
	    LDSO, NULL, false);
	rec(g, "close", 3, "\"3\"", (const uint64_t[6]){3}, 0, NULL, PID_PARENT, 1100, 0x7f1c2a6f0a17, LDSO, NULL,
	    false);
	rec(g, "arch_prctl", 158, "\"ARCH_SET_FS\",\"0x7f1c2a4bc740\"", (const uint64_t[6]){0x1002, 0x7f1c2a4bc740},
	    0, NULL, PID_PARENT, 900, 0x7f1c2a6d8a3e, LDSO, NULL, false);
	rec(g, "set_tid_address", 218, "\"0x7f1c2a4bca10\"", (const uint64_t[6]){0x7f1c2a4bca10}, PID_PARENT, NULL,
	    PID_PARENT, 800, 0x7f1c2a6d8b11, LDSO, NULL, false);
	rec(g, "rseq", 334, "\"0x7f1c2a4bd060\",\"0x20\",\"0\",\"0x53053053\"",
	    (const uint64_t[6]){0x7f1c2a4bd060, 0x20, 0, 0x53053053}, 0, NULL, PID_PARENT, 700, 0x7f1c2a6d8b51,
	    LDSO, NULL, false);
	rec(g, "mprotect", 10, "\"0x7f1c2a699000\",\"16384\",\"PROT_READ\"",
	    (const uint64_t[6]){0x7f1c2a699000, 16384, 1}, 0, NULL, PID_PARENT, 1500, 0x7f1c2a6f0d0b, LDSO, NULL,
	    false);
	rec(g, "clone", 56, "\"child_stack=NULL\",\"flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD\"",
	    (const uint64_t[6]){0, 0x1200011}, PID_WORKER, NULL, PID_PARENT, 61000, 0x7f1c2a5ba6c4, LIBC, &msrc,
	    false);
	char wargs[256];
	snprintf(wargs, sizeof(wargs), "\"\\\"%s\\\"\",\"[\\\"%s\\\"]\",\"0x7ffd5a1c2e08 /* 24 vars */\"", EXE_WORKER,
		 EXE_WORKER);
	rec(g, "execve", 59, wargs, (const uint64_t[6]){0x55d1c0a01000, 0x55d1c0a02000, 0x7ffd5a1c2e08}, 0, NULL,
	    PID_WORKER, 380000, 0x7f1c2a5bbad7, LIBC, &msrc, false);
}

/* One iteration of the worker's loop: 11 records. */
static void worker_iteration(struct gen *g, uint64_t i)
{
	static const struct src s_open = {"src/worker.c", 44, "load_chunk"};
	static const struct src s_stat = {"src/worker.c", 47, "load_chunk"};
	static const struct src s_read = {"src/worker.c", 52, "load_chunk"};
	static const struct src s_close = {"src/worker.c", 58, "load_chunk"};
	static const struct src s_mmap = {"src/buffer.c", 19, "buffer_new"};
	static const struct src s_munmap = {"src/buffer.c", 33, "buffer_free"};
	static const struct src s_write = {"src/report.c", 71, "report_progress"};
	static const struct src s_ppid = {"src/worker.c", 90, "check_parent"};
	const int pid = PID_WORKER;
	char args[256];
	bool missing = i % 97 == 96;
	if (diff_here(g, 3))
		missing = !missing;
	unsigned file = (unsigned)(i % 64);
	if (diff_here(g, 0))
		snprintf(args, sizeof(args), "\"AT_FDCWD\",\"\\\"/srv/data/other-%02u.bin\\\"\",\"O_RDONLY\"", file);
	else
		snprintf(args, sizeof(args), "\"AT_FDCWD\",\"\\\"/srv/data/chunk-%02u.bin\\\"\",\"O_RDONLY\"", file);
	uint64_t rawo[6] = {0xffffff9c, 0x55d1c0a04000 + file * 64, 0};
	if (missing) {
		rec(g, "openat", 257, args, rawo, -2, "ENOENT", pid, 2400 + rnd(g) % 800, 0x7f1c2a5b6001, LIBC,
		    &s_open, false);
	} else {
		rec(g, "openat", 257, args, rawo, 3, NULL, pid, 2600 + rnd(g) % 900, 0x7f1c2a5b6001, LIBC, &s_open,
		    false);
		rec(g, "newfstatat", 262,
		    "\"3\",\"\\\"\\\"\",\"{st_mode=S_IFREG|0644, st_size=6144, ...}\",\"AT_EMPTY_PATH\"",
		    (const uint64_t[6]){3, 0x7f1c2a699c99, 0x7ffd5a1c1500, 0x1000}, 0, NULL, pid, 900 + rnd(g) % 300,
		    0x7f1c2a5b092a, LIBC, &s_stat, false);
		rec(g, "read", 0, "\"3\",\"\\\"\\\\x00\\\\x01\\\\x02\\\\x03\\\"...\",\"4096\"",
		    (const uint64_t[6]){3, 0x55d1c0a10000, 4096}, 4096, NULL, pid, 1800 + rnd(g) % 1200,
		    0x7f1c2a5b1272, LIBC, &s_read, false);
		rec(g, "read", 0, "\"3\",\"\\\"\\\\x04\\\\x05\\\\x06\\\\x07\\\"...\",\"4096\"",
		    (const uint64_t[6]){3, 0x55d1c0a10000, 4096}, 2048, NULL, pid, 1500 + rnd(g) % 900,
		    0x7f1c2a5b1272, LIBC, &s_read, false);
		if (!diff_here(g, 2))
			rec(g, "close", 3, "\"3\"", (const uint64_t[6]){3}, 0, NULL, pid, 700 + rnd(g) % 200,
			    0x7f1c2a5b5e67, LIBC, &s_close, false);
	}
	uint64_t addr = 0x7f1c29000000 + (i % 16) * 0x10000;
	rec(g, "mmap", 9, "\"NULL\",\"65536\",\"PROT_READ|PROT_WRITE\",\"MAP_PRIVATE|MAP_ANONYMOUS\",\"-1\",\"0\"",
	    (const uint64_t[6]){0, 65536, 3, 0x22, 0xffffffff, 0}, (int64_t)addr, NULL, pid, 1300 + rnd(g) % 500,
	    0x7f1c2a5c0ca3, LIBC, &s_mmap, false);
	char margs[96];
	snprintf(margs, sizeof(margs), "\"0x%" PRIx64 "\",\"65536\"", addr);
	rec(g, "munmap", 11, margs, (const uint64_t[6]){addr, 65536}, 0, NULL, pid, 1600 + rnd(g) % 600,
	    0x7f1c2a5c0d0b, LIBC, &s_munmap, false);
	if (i % 8 == 7 || diff_here(g, 1)) {
		rec(g, "write", 1, "\"1\",\"\\\"progress: chunk done\\\\n\\\"\",\"20\"",
		    (const uint64_t[6]){1, 0x55d1c0a20000, 20}, 20, NULL, pid, 3000 + rnd(g) % 2000, 0x7f1c2a5b1350,
		    LIBC, &s_write, false);
	}
	rec(g, "getppid", 110, "", Z, PID_PARENT, NULL, pid, 200 + rnd(g) % 100, 0x7f1c2a5b0e9b, LIBC, &s_ppid,
	    false);
}

static void tight_run(struct gen *g, unsigned n)
{
	static const struct src s = {"src/worker.c", 120, "spin_wait"};
	for (unsigned k = 0; k < n; k++)
		rec(g, "getppid", 110, "", Z, PID_PARENT, NULL, PID_WORKER, 200 + rnd(g) % 100, 0x7f1c2a5b0e9b, LIBC,
		    &s, false);
}

int main(int argc, char **argv)
{
	struct gen g = {.out = stdout, .n = 1000000, .rng = 2463534242u};
	const char *outpath = NULL;
	int c;
	while ((c = getopt(argc, argv, "n:v:o:")) != -1) {
		switch (c) {
		case 'n':
			g.n = strtoull(optarg, NULL, 10);
			break;
		case 'v':
			if (strcmp(optarg, "a") && strcmp(optarg, "b")) {
				fprintf(stderr, "gen_trace: -v takes a or b\n");
				return 2;
			}
			g.variant_b = optarg[0] == 'b';
			break;
		case 'o':
			outpath = optarg;
			break;
		default:
			fprintf(stderr, "usage: gen_trace [-n N] [-v a|b] [-o FILE]\n");
			return 2;
		}
	}
	if (g.n < 40) {
		fprintf(stderr, "gen_trace: -n must be at least 40\n");
		return 2;
	}
	if (outpath && !(g.out = fopen(outpath, "w"))) {
		perror(outpath);
		return 1;
	}
	static char obuf[1 << 20];
	setvbuf(g.out, obuf, _IOFBF, sizeof(obuf));
	/* Variant b differs at four places spread over the trace. */
	g.diff_at[0] = g.n / 5;
	g.diff_at[1] = g.n / 5 * 2;
	g.diff_at[2] = g.n / 5 * 3;
	g.diff_at[3] = g.n / 5 * 4;

	fprintf(g.out, "{\"version\":\"0.1.0\",\"format\":\"renacer-json-v1\",\"schema\":2,\n");
	fprintf(g.out,
		" \"meta\":{\"tracer\":\"renacer-c\",\"command\":[\"%s\"],\"start_unix_ns\":1767225600000000000,"
		"\"kernel\":\"6.1.0-synthetic\",\"host\":\"bench\"},\n",
		EXE_PARENT);
	fputs(" \"syscalls\":[\n", g.out);

	const unsigned tail = 5; /* parent's wait4, exit_groups */
	parent_prelude(&g);
	uint64_t tight_at = g.n / 2;
	bool tight_done = false;
	uint64_t i = 0;
	uint64_t worker_start = g.ts;
	while (g.written + 11 + tail < g.n) {
		if (!tight_done && g.written >= tight_at) {
			tight_run(&g, 5000 < g.n / 10 ? 5000 : (unsigned)(g.n / 10));
			tight_done = true;
			continue;
		}
		worker_iteration(&g, i++);
	}
	/* Pad with getppid up to the tail, then the ends of both processes. */
	while (g.written + tail < g.n)
		rec(&g, "getppid", 110, "", Z, PID_PARENT, NULL, PID_WORKER, 250, 0x7f1c2a5b0e9b, LIBC, NULL, false);
	static const struct src s_exit = {"src/worker.c", 140, "main"};
	rec(&g, "close", 3, "\"1\"", (const uint64_t[6]){1}, 0, NULL, PID_WORKER, 800, 0x7f1c2a5b5e67, LIBC, &s_exit,
	    false);
	rec(&g, "exit_group", 231, "\"0\"", Z, 0, NULL, PID_WORKER, 0, 0x7f1c2a58d409, LIBC, &s_exit, true);
	uint64_t worker_end = g.ts;
	static const struct src s_wait = {"src/pipeline.c", 40, "main"};
	uint64_t wait_dur = worker_end - worker_start;
	g.ts = worker_start; /* wait4 started when the worker did; written at completion */
	rec(&g, "wait4", 61, "\"-1\",\"[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]\",\"0\",\"NULL\"",
	    (const uint64_t[6]){0xffffffff, 0x7ffd5a1c2eec}, PID_WORKER, NULL, PID_PARENT, wait_dur, 0x7f1c2a5c5bd3,
	    LIBC, &s_wait, false);
	rec(&g, "write", 1, "\"1\",\"\\\"done\\\\n\\\"\",\"5\"", (const uint64_t[6]){1, 0x55d1c0a30000, 5}, 5, NULL,
	    PID_PARENT, 4000, 0x7f1c2a5b1350, LIBC, &s_wait, false);
	rec(&g, "exit_group", 231, "\"0\"", Z, 0, NULL, PID_PARENT, 0, 0x7f1c2a58d409, LIBC, &s_wait, true);
	if (g.ts < worker_end)
		g.ts = worker_end + 1000;
	uint64_t end = g.ts;
	fputs(" ],\n", g.out);
	fprintf(g.out,
		" \"processes\":[{\"pid\":%d,\"ppid\":%d,\"exe\":\"%s\",\"start_ns\":%" PRIu64 ",\"end_ns\":%" PRIu64
		",\"exit_code\":0,\"signal\":null,\"utime_us\":%" PRIu64 ",\"stime_us\":%" PRIu64
		",\"maxrss_kb\":9120},"
		"{\"pid\":%d,\"ppid\":%d,\"exe\":\"%s\",\"start_ns\":0,\"end_ns\":%" PRIu64
		",\"exit_code\":0,\"signal\":null,\"utime_us\":%" PRIu64 ",\"stime_us\":%" PRIu64
		",\"maxrss_kb\":2240}],\n",
		PID_WORKER, PID_PARENT, EXE_WORKER, worker_start, worker_end, (worker_end - worker_start) / 4000,
		(worker_end - worker_start) / 2500, PID_PARENT, 3999, EXE_PARENT, end, (uint64_t)1900, (uint64_t)800);
	fprintf(g.out,
		" \"summary\":{\"total_syscalls\":%" PRIu64 ",\"total_time_us\":%" PRIu64 ",\"errors\":%" PRIu64
		",\"wall_time_us\":%" PRIu64 ",\"exit_code\":0}\n}\n",
		g.written, g.total_ns / 1000, g.errors, end / 1000);
	if (fflush(g.out) != 0 || ferror(g.out) || (outpath && fclose(g.out) != 0)) {
		perror(outpath ? outpath : "stdout");
		return 1;
	}
	return 0;
}
