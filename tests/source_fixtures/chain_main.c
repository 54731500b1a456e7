/* chain_main.c — main of the call-chain fixture. argv[1]: how many times
 * to run the chdir chain (default 1), for benchmarks. */
#include <stdlib.h>

#include "chain.h"

volatile int sink;

int main(int argc, char **argv)
{
	long loops = argc > 1 ? strtol(argv[1], NULL, 10) : 1;

	for (long i = 0; i < loops; i++)
		sink = f0(1); /* @site:f0 */
	helper_write();
	helper_fopen();
#ifndef NO_DLOPEN
	dl_call();
#endif
	return 0;
}
