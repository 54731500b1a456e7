/* exec_target.c — exec'ed by forkexec. */
#include <unistd.h>

static volatile int sink;

__attribute__((noinline)) static void target_work(void)
{
	sink = chdir("/"); /* @site:target */
}

int main(void)
{
	target_work();
	return 0;
}
