/* chain_io.c — helpers of the call-chain fixture: a write, an fopen (the
 * openat happens deep inside libc) and a dlopen'ed library's syscall. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifndef NO_DLOPEN
#include <dlfcn.h>
#include <limits.h>
#endif

#include "chain.h"

NOINLINE void helper_write(void)
{
	ssize_t n = write(STDOUT_FILENO, "", 0); /* @site:write */

	sink = (int)n;
}

NOINLINE void helper_fopen(void)
{
	FILE *f = fopen("/dev/null", "r"); /* @site:fopen */

	if (f)
		fclose(f);
}

#ifndef NO_DLOPEN
NOINLINE void dl_call(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);

	if (n <= 0)
		exit(3);
	path[n] = '\0';
	char *slash = strrchr(path, '/');
	strcpy(slash ? slash + 1 : path, "libchain_dl.so");
	void *h = dlopen(path, RTLD_NOW);
	if (!h) {
		fprintf(stderr, "dlopen: %s\n", dlerror());
		exit(3);
	}
	int (*fn)(void) = (int (*)(void))dlsym(h, "dl_func");
	if (!fn)
		exit(3);
	sink = fn(); /* @site:dl_func */
}
#endif
