/* fuzz_golden.c — libFuzzer target for golden-trace normalisation
 * (src/analyze/golden.h): the input is loaded as a saved trace with
 * golden_seq_load (through a memfd) and compared with itself, which must
 * give a similarity of exactly 1. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "golden.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (memfd < 0) {
		memfd = memfd_create("fuzz_golden", MFD_CLOEXEC);
		if (memfd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
	}
	if (ftruncate(memfd, 0) != 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size))
		abort();

	struct golden_seq *s = NULL;
	char err[1024];
	err[0] = '\0';
	int rc = golden_seq_load(path, &s, err, sizeof err);
	if (rc == 0) {
		if (!s)
			abort();
		(void)golden_seq_len(s);
		if (golden_similarity(s, s) != 1.0)
			fuzz_broken("golden_similarity", "a sequence is not identical to itself");
		golden_seq_free(s);
	} else {
		fuzz_one_line("golden_seq_load", err);
		if (s)
			golden_seq_free(s);
	}
	return 0;
}
