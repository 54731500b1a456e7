/* vec.c — array growth by doubling (see src/util/vec.h). */
#include "vec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool vec_grow_slow(void *itemsp, size_t *cap, size_t need, size_t elem_size)
{
	if (need <= *cap)
		return true;
	if (elem_size == 0)
		return false;
	size_t max = SIZE_MAX / elem_size; /* most elements whose bytes fit a size_t */
	if (need > max)
		return false;
	size_t n = *cap ? *cap : VEC_MIN_CAP;
	while (n < need)
		n = n > max / 2 ? max : n * 2;
	if (n > max)
		n = max;
	/* *itemsp is the caller's `T *`; read and write it as bytes so any
	 * element type works without a cast at the call site. */
	void *old;
	memcpy(&old, itemsp, sizeof(old));
	void *p = realloc(old, n * elem_size);
	if (!p)
		return false;
	memcpy(itemsp, &p, sizeof(p));
	*cap = n;
	return true;
}
