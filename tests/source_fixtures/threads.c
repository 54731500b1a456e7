/* threads.c — each of three threads makes a chdir from its own function. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static volatile int sink;

__attribute__((noinline)) static void *thread_a(void *arg)
{
	(void)arg;
	sink = chdir("/"); /* @site:thread_a */
	return NULL;
}

__attribute__((noinline)) static void *thread_b(void *arg)
{
	(void)arg;
	sink = chdir("/tmp"); /* @site:thread_b */
	return NULL;
}

int main(void)
{
	pthread_t a, b;

	if (pthread_create(&a, NULL, thread_a, NULL) != 0 || pthread_join(a, NULL) != 0)
		return 1;
	if (pthread_create(&b, NULL, thread_b, NULL) != 0 || pthread_join(b, NULL) != 0)
		return 1;
	sink = chdir("/"); /* @site:thread_main */
	return 0;
}
