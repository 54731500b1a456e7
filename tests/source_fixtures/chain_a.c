/* chain_a.c — f0 and f1 of the call-chain fixture. The work after each
 * call keeps -O2 from turning it into a tail call. */
#include "chain.h"

NOINLINE int f0(int x)
{
	int r = f1(x + 1); /* @site:f1 */

	sink = r;
	return r + 1;
}

NOINLINE int f1(int x)
{
	int r = f2(x + 1); /* @site:f2 */

	sink = r;
	return r + 1;
}
