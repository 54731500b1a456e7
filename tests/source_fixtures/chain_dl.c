/* chain_dl.c — libchain_dl.so, dlopen'ed by the call-chain fixture. */
#include <sys/stat.h>

__attribute__((noinline)) int dl_func(void)
{
	mode_t old = umask(022); /* @site:umask */

	umask(old);
	return (int)old;
}
