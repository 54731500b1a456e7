/* unwind_micro.c — the cost of one unwind with each unwinder, at the very
 * same stops (`make bench` runs it on sites_1 and sites_1000).
 *
 *   unwind_micro PROGRAM [ARG...]
 *
 * Traces PROGRAM and, at every getppid entry (every syscall entry with
 * UNWIND_MICRO_ALL=1, for programs such as python3), unwinds the stopped thread
 * four times: libdw and libunwind, each stopping at the call site (-s) and
 * walking the whole stack (-k); four resolvers, so each keeps its own
 * caches as in a run with that setting, fallback off. The order rotates
 * from one stop to the next. Each unwind is timed with CLOCK_MONOTONIC
 * around source_unwind (register snapshot, page-cache reads and the
 * resolution of each frame included); the median over the stops is what a
 * busy machine disturbs least. Prints one line per setting:
 *
 *   -s libdw       stops 100000  median 3.41 us  mean 3.60 us  frames 2.0 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "source.h"

#define NCFG 4

static const struct {
	const char *name;
	enum source_unwinder u;
	bool full;
} cfg[NCFG] = {
	{ "-s libdw", SOURCE_UNWINDER_LIBDW, false },
	{ "-s libunwind", SOURCE_UNWINDER_LIBUNWIND, false },
	{ "-k libdw", SOURCE_UNWINDER_LIBDW, true },
	{ "-k libunwind", SOURCE_UNWINDER_LIBUNWIND, true },
};

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: unwind_micro PROGRAM [ARG...]\n");
		return 2;
	}
	struct source_resolver *r[NCFG];
	for (int i = 0; i < NCFG; i++) {
		r[i] = source_new(64);
		if (!r[i])
			return 1;
		source_set_unwinder(r[i], cfg[i].u, false);
		source_set_full_stack(r[i], cfg[i].full);
	}
	size_t cap = 1 << 16, n = 0;
	double *t[NCFG];
	double frames[NCFG] = { 0 };
	for (int i = 0; i < NCFG; i++)
		if (!(t[i] = malloc(cap * sizeof(double))))
			return 1;

	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL));
	ptrace(PTRACE_SYSCALL, pid, NULL, NULL);
	long nr = -1;
	unsigned stop = 0;
	bool all = getenv("UNWIND_MICRO_ALL") && *getenv("UNWIND_MICRO_ALL") == '1';
	for (;;) {
		if (waitpid(pid, &st, 0) != pid) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st))
			break;
		int sig = 0;
		if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
			struct __ptrace_syscall_info si;
			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(si), &si) <= 0)
				return 1;
			if (si.op == PTRACE_SYSCALL_INFO_ENTRY) {
				nr = (long)si.entry.nr;
				if (nr == SYS_getppid || all) {
					if (n == cap) {
						cap *= 2;
						for (int i = 0; i < NCFG; i++)
							if (!(t[i] = realloc(t[i], cap * sizeof(double))))
								return 1;
					}
					for (int k = 0; k < NCFG; k++) {
						int i = (int)((stop + (unsigned)k) % NCFG);
						const struct source_loc *loc;
						const struct stack_frame *fr;
						double t0 = now_us();
						int nf = source_unwind(r[i], pid, pid, &loc, &fr);
						t[i][n] = now_us() - t0;
						frames[i] += nf;
					}
					n++;
					stop++;
				}
			} else if (si.op == PTRACE_SYSCALL_INFO_EXIT) {
				if ((nr == SYS_mmap || nr == SYS_munmap || nr == SYS_mprotect || nr == SYS_mremap) &&
				    !si.exit.is_error)
					for (int i = 0; i < NCFG; i++)
						source_maps_changed(r[i], pid);
				nr = -1;
			}
		} else if (WSTOPSIG(st) != SIGTRAP) {
			sig = WSTOPSIG(st);
		}
		ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)sig);
	}
	if (n == 0) {
		fprintf(stderr, "unwind_micro: %s made no call to time\n", argv[1]);
		return 1;
	}
	for (int i = 0; i < NCFG; i++) {
		double sum = 0;
		for (size_t k = 0; k < n; k++)
			sum += t[i][k];
		qsort(t[i], n, sizeof(double), cmp_double);
		printf("%-13s stops %zu  median %.2f us  mean %.2f us  frames %.1f\n", cfg[i].name, n,
		       t[i][n / 2], sum / (double)n, frames[i] / (double)n);
		source_free(r[i]);
		free(t[i]);
	}
	return 0;
}
