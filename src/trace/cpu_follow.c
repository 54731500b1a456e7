/* cpu_follow.c — --same-cpu: the tracer follows the traced task's CPU. */
#include "engine_int.h"

#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

/* CPU a task last ran on: field 39 of /proc/TID/stat, or -1. */
static int task_cpu(pid_t tid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* the command name may contain spaces */
	if (!p)
		return -1;
	/* After ")": field 3 (state) onwards; the CPU is field 39. */
	int field = 2;
	for (; *p && field < 39; p++)
		if (*p == ' ')
			field++;
	return field == 39 ? atoi(p) : -1;
}

/* --same-cpu: a stop is a wake-up of the tracer by the tracee and back;
 * on one CPU both are cheap, across CPUs each costs an IPI. The tracee's
 * own affinity is never touched: the tracer follows it, re-checking
 * every 256 stops (reading /proc costs a few µs). */
void cpu_follow(struct tracer *tr, pid_t tid)
{
	if (++tr->stops_since_cpu_check < 256 && tr->cpu >= 0)
		return;
	tr->stops_since_cpu_check = 0;
	int cpu = task_cpu(tid);
	if (cpu < 0 || cpu == tr->cpu)
		return;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) == 0)
		tr->cpu = cpu;
}
