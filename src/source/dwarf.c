/* dwarf.c — module identity and the (module identity, pc) cache of
 * resolved frames: ELF symbol + offset, DWARF file:line and the name of
 * the innermost (possibly inlined) function, all looked up with libdw on
 * a miss and interned. Entries are keyed by the module's build-id (or
 * path, device and inode when it has none) and the pc relative to the
 * module's start, so they hold across processes, ASLR, exec and unmapping,
 * and never need invalidating. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source_int.h"

/* Beyond this many entries the cache is emptied rather than grown. */
#define FCACHE_MAX_ENTRIES (1u << 20)

struct frame_cache {
	struct hmap map; /* of struct frame_info, keyed by (ident, rel) */
};

static bool under_dir(const char *p, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(p, prefix, n) != 0)
		return false;
	for (p += n; *p && *p != '/'; p++)
		;
	return *p == '/';
}

bool path_is_system(const char *path)
{
	/* Not a file ([vdso], anonymous code) counts as system too. */
	if (!path || path[0] != '/')
		return true;
	return under_dir(path, "/lib") || under_dir(path, "/usr/lib");
}

int modinfo_init(struct modinfo *mi, Dwfl_Module *mod, const struct maps *maps, const char *exe,
		 struct intern_tab *it)
{
	Dwarf_Addr start = 0, bias;
	const char *name = dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
	char buf[4096 + 128];
	const unsigned char *bits;
	GElf_Addr vaddr;

	memset(mi, 0, sizeof(*mi));
	mi->start = start;
	if (name) {
		mi->path = intern(it, name);
		if (!mi->path)
			return -1;
	}
	mi->main = exe && name && strcmp(exe, name) == 0;
	mi->system = !mi->main && path_is_system(name);

	(void)dwfl_module_getelf(mod, &bias); /* the build-id note lives in the ELF */
	int n = dwfl_module_build_id(mod, &bits, &vaddr);
	if (n > 0 && n <= 64) {
		buf[0] = 'b';
		for (int i = 0; i < n; i++)
			snprintf(buf + 1 + 2 * i, 3, "%02x", bits[i]);
	} else {
		const struct map_ent *e = maps ? maps_find(maps, start) : NULL;
		snprintf(buf, sizeof(buf), "p%s@%x:%x:%" PRIu64, name ? name : "?",
			 e ? e->dev_major : 0, e ? e->dev_minor : 0, e ? e->inode : 0);
	}
	mi->ident = intern(it, buf);
	return mi->ident ? 0 : -1;
}

struct frame_cache *fcache_new(void)
{
	struct frame_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	hmap_init(&c->map, sizeof(struct frame_info));
	if (!hmap_reserve(&c->map, 512)) {
		free(c);
		return NULL;
	}
	return c;
}

void fcache_free(struct frame_cache *c)
{
	if (!c)
		return;
	hmap_free(&c->map);
	free(c);
}

/* ident is interned: the pointer is the identity. */
static uint64_t key_hash(const char *ident, uint64_t rel)
{
	uint64_t h = (uint64_t)(uintptr_t)ident * 0x9e3779b97f4a7c15ULL ^ rel * 0xc2b2ae3d27d4eb4fULL;

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h;
}

struct fkey {
	const char *ident;
	uint64_t rel;
};

static bool entry_is(const void *entry, const void *key)
{
	const struct frame_info *e = entry;
	const struct fkey *k = key;
	return e->ident == k->ident && e->rel == k->rel;
}

const struct frame_info *fcache_get(const struct frame_cache *c, const char *ident, uint64_t rel)
{
	struct fkey k = { ident, rel };
	return hmap_find(&c->map, key_hash(ident, rel), entry_is, &k);
}

/* The CU containing addr (a module address) and the module's DWARF bias.
 * libdw 0.188 finds CUs through .debug_aranges only, which clang does not
 * emit: without it, walk the units and test their ranges. Misses only. */
static Dwarf_Die *cu_of(Dwfl_Module *mod, Dwarf_Addr addr, Dwarf_Die *mem, Dwarf_Addr *bias)
{
	Dwarf_Die *cu = dwfl_module_addrdie(mod, addr, bias);

	if (cu)
		return cu;
	Dwarf *dw = dwfl_module_getdwarf(mod, bias);
	if (!dw)
		return NULL;
	Dwarf_CU *unit = NULL;
	Dwarf_Half version;
	uint8_t unit_type;
	while (dwarf_get_units(dw, unit, &unit, &version, &unit_type, mem, NULL) == 0) {
		if ((unit_type == DW_UT_compile || unit_type == DW_UT_partial ||
		     unit_type == DW_UT_skeleton) &&
		    dwarf_haspc(mem, addr - *bias) > 0)
			return mem;
	}
	return NULL;
}

/* The name of the innermost function (inlined or not) containing the
 * DWARF address a in cu. */
static const char *dwarf_function(Dwarf_Die *cu, Dwarf_Addr a)
{
	Dwarf_Die *scopes = NULL;
	const char *name = NULL;

	int n = dwarf_getscopes(cu, a, &scopes);
	for (int i = 0; i < n && !name; i++) {
		int tag = dwarf_tag(&scopes[i]);
		if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine)
			name = dwarf_diename(&scopes[i]);
	}
	free(scopes);
	return name;
}

const struct frame_info *fcache_resolve(struct frame_cache *c, struct intern_tab *it,
					Dwfl_Module *mod, const struct modinfo *mi, uint64_t pc_adj)
{
	struct frame_info fi = { .ident = mi->ident, .rel = pc_adj - mi->start };
	GElf_Off off = 0;
	GElf_Sym sym;

	const char *sname = dwfl_module_addrinfo(mod, pc_adj, &off, &sym, NULL, NULL, NULL);
	if (sname) {
		/* "__libc_start_main@@GLIBC_2.34" -> "__libc_start_main" */
		fi.symbol = intern_n(it, sname, strcspn(sname, "@"));
		if (!fi.symbol)
			return NULL;
		fi.sym_rel = pc_adj - off - mi->start;
	}
	/* Lines only for non-system modules: the C library's installed debug
	 * info would cost a large DWARF load for frames never shown as a
	 * source location, and strace -k prints none for them either. */
	Dwarf_Die cu_mem, *cu = NULL;
	Dwarf_Addr bias = 0;
	if (!mi->system)
		cu = cu_of(mod, pc_adj, &cu_mem, &bias);
	if (cu) {
		Dwarf_Line *ln = dwarf_getsrc_die(cu, pc_adj - bias);
		int lineno = 0;
		const char *file = ln ? dwarf_linesrc(ln, NULL, NULL) : NULL;

		if (file && dwarf_lineno(ln, &lineno) == 0 && lineno > 0) {
			fi.file = intern(it, file);
			if (!fi.file)
				return NULL;
			fi.line = (unsigned)lineno;
			fi.user = true;
			const char *fn = dwarf_function(cu, pc_adj - bias);
			if (fn) {
				fi.function = intern(it, fn);
				if (!fi.function)
					return NULL;
			} else {
				fi.function = fi.symbol;
			}
		}
	}
	/* A full cache is emptied rather than grown past the limit. */
	if (c->map.count >= FCACHE_MAX_ENTRIES && (c->map.count + 1) * 2 > c->map.cap)
		hmap_clear(&c->map);
	struct frame_info *e = hmap_insert(&c->map, key_hash(fi.ident, fi.rel));
	if (!e)
		return NULL;
	*e = fi;
	return e;
}
