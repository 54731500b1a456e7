/* file_loop.c — N iterations of open + read + close on one small file
 * (default 20000, i.e. 60000 syscalls plus the start-up ones).
 * usage: file_loop PATH [N] */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: file_loop PATH [N]\n");
		return 2;
	}
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 20000;
	char buf[4096];
	for (long i = 0; i < n; i++) {
		int fd = open(argv[1], O_RDONLY);
		if (fd < 0) {
			perror(argv[1]);
			return 1;
		}
		if (read(fd, buf, sizeof(buf)) < 0) {
			perror("read");
			return 1;
		}
		close(fd);
	}
	return 0;
}
