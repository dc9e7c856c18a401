// threadmany N CALLS [ALIVE]: starts N threads, at most ALIVE alive at a
// time (default: all N at once; small stacks); each makes CALLS getppid
// through syscall(2), then returns (the exit syscall). Threads are started
// in waves of ALIVE, each wave joined before the next starts.
// Counts by construction (this program only): getppid N * CALLS,
// clone3 N (glibc 2.36 pthread_create), exit N (thread exits; the process
// ends with one exit_group).
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long calls;

static void *worker(void *arg)
{
	for (long i = 0; i < calls; i++)
		syscall(SYS_getppid);
	return arg;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
	long alive = argc > 3 ? strtol(argv[3], NULL, 10) : n;
	pthread_attr_t attr;
	pthread_t *threads;

	calls = argc > 2 ? strtol(argv[2], NULL, 10) : 100;
	if (alive < 1 || alive > n)
		alive = n;
	threads = calloc((size_t)alive, sizeof(*threads));
	if (!threads)
		return 1;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (long started = 0; started < n;) {
		long wave = n - started < alive ? n - started : alive;

		for (long i = 0; i < wave; i++) {
			int err = pthread_create(&threads[i], &attr, worker, NULL);

			if (err != 0) {
				fprintf(stderr, "threadmany: pthread_create: error %d\n", err);
				return 1;
			}
		}
		for (long i = 0; i < wave; i++)
			pthread_join(threads[i], NULL);
		started += wave;
	}
	return 0;
}
