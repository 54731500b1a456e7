/* syscall_table.c — lookups over the generated x86_64 syscall table.
 *
 * The table itself (syscall_table[], syscall_table_size) and the spellings
 * of the argument kinds (syscall_arg_kind_names[]) are emitted by
 * scripts/gen_syscall_table.sh into build/gen/syscall_table_gen.c; the
 * spellings are derived there from enum arg_kind in syscall_table.h, so the
 * header is the only list of kinds. */
#include "syscall_table.h"

#include <stddef.h>
#include <string.h>

/* Defined in the generated file; indexed by enum arg_kind. */
extern const char *const syscall_arg_kind_names[AK_COUNT];

const struct syscall_info *syscall_lookup(long nr)
{
	if (nr < 0 || (unsigned long)nr >= syscall_table_size)
		return NULL;
	if (syscall_table[nr].name == NULL)
		return NULL;
	return &syscall_table[nr];
}

long syscall_by_name(const char *name)
{
	if (name == NULL)
		return -1;
	for (unsigned i = 0; i < syscall_table_size; i++) {
		if (syscall_table[i].name != NULL && strcmp(syscall_table[i].name, name) == 0)
			return (long)i;
	}
	return -1;
}

const char *arg_kind_name(enum arg_kind k)
{
	if ((unsigned)k >= AK_COUNT)
		return NULL;
	return syscall_arg_kind_names[k];
}
