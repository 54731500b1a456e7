/* ptrace_floor.c — the cost floor of syscall tracing: a bare
 * PTRACE_SYSCALL + waitpid loop with no decoding and no output.
 * With FLOOR_INFO=1 it also makes one PTRACE_GET_SYSCALL_INFO per syscall
 * stop (and ignores the answer): the least a tracer that knows what each
 * stop is must do, so the bench can tell that cost from renacer-c's own.
 * usage: ptrace_floor PROGRAM [ARG...]; exits with the program's status. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ptrace_floor PROGRAM [ARG...]\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(126);
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL));
	unsigned long stops = 0;
	int sig = 0;
	const char *want_info = getenv("FLOOR_INFO");
	bool info = want_info && *want_info && strcmp(want_info, "0") != 0;
	struct __ptrace_syscall_info si;
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)sig) != 0 && errno != ESRCH) {
			perror("ptrace");
			return 1;
		}
		if (waitpid(pid, &st, 0) < 0) {
			perror("waitpid");
			return 1;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st))
			break;
		sig = 0;
		if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
			stops++;
			if (info)
				(void)ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(si), &si);
		}
		else if (WSTOPSIG(st) != SIGTRAP)
			sig = WSTOPSIG(st);
	}
	if (getenv("FLOOR_VERBOSE"))
		fprintf(stderr, "ptrace_floor: %lu syscall stops\n", stops);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
