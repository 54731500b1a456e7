/* chain_b.c — f2 and f3 of the call-chain fixture; f3 makes the syscall. */
#include <unistd.h>

#include "chain.h"

NOINLINE int f2(int x)
{
	int r = f3(x + 1); /* @site:f3 */

	sink = r;
	return r + 1;
}

NOINLINE int f3(int x)
{
	int r = chdir("/"); /* @site:chdir */

	sink = r;
	return r + x;
}
