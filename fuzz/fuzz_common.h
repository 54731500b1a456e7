/* fuzz_common.h — checks shared by the fuzz targets.
 *
 * Besides what the sanitizers catch, the targets check documented
 * contracts of the code under test (errors are one non-empty line, a
 * refused -e leaves the filter alone, ...). A broken contract prints
 * "fuzz contract: ..." and aborts, so libFuzzer keeps the input like any
 * crash. Building with -DFUZZ_LENIENT (make fuzz FUZZ_EXTRA=-DFUZZ_LENIENT)
 * turns the message checks off, to look for memory errors past a known
 * message bug. */
#ifndef RENACER_FUZZ_COMMON_H
#define RENACER_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noreturn, unused)) static void fuzz_broken(const char *what, const char *msg)
{
	fprintf(stderr, "fuzz contract: %s: [%s]\n", what, msg ? msg : "(null)");
	abort();
}

/* MSG must be a non-empty single line (no '\n' or '\r'). */
__attribute__((unused)) static void fuzz_one_line(const char *what, const char *msg)
{
#ifndef FUZZ_LENIENT
	if (!msg || msg[0] == '\0')
		fuzz_broken(what, "empty error message");
	if (strchr(msg, '\n') || strchr(msg, '\r'))
		fuzz_broken(what, msg);
#else
	(void)what;
	(void)msg;
#endif
}

#endif
