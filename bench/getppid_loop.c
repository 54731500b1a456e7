/* getppid_loop.c — N raw getppid syscalls (default 100000). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}
