# simd.mk — SIMD compute examples (SPEC §10).  Included by the top-level
# Makefile, which provides CC and BUILD (and, for sanitizer builds,
# EXTRA_CFLAGS / EXTRA_LDFLAGS).  Defines SIMD_PROGRAMS and their rules;
# the top level adds `examples: $(SIMD_PROGRAMS)`.
#
# Every translation unit is compiled with -ffp-contract=off: the backends
# must not differ by compiler-fused multiply-adds (examples/simd/simd.h, D1).
# Only the backend TUs get -m flags; everything else runs on any x86_64.

SIMD_SRC_DIR  := examples/simd
SIMD_OUT_DIR   = $(BUILD)/examples/simd
SIMD_OBJ_DIR   = $(BUILD)/examples/simd/obj
SIMD_NAMES    := backend_detection matrix_operations activation_functions \
                 performance_demo ml_similarity backend_equivalence
SIMD_LIB_NAMES := vec_scalar vec_sse2 vec_avx2 vec_avx512 dispatch simd_util
SIMD_PROGRAMS  = $(addprefix $(SIMD_OUT_DIR)/,$(SIMD_NAMES))
SIMD_LIB_OBJ   = $(patsubst %,$(SIMD_OBJ_DIR)/%.o,$(SIMD_LIB_NAMES))
SIMD_ALL_OBJ   = $(patsubst %,$(SIMD_OBJ_DIR)/%.o,$(SIMD_LIB_NAMES) $(SIMD_NAMES))

SIMD_CFLAGS = -O2 -g -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
              -Wmissing-prototypes -ffp-contract=off $(EXTRA_CFLAGS)
SIMD_LDLIBS = -lm $(EXTRA_LDFLAGS)

# per-backend instruction sets
# the scalar backend stays scalar (no auto-vectorisation) for honest timings
SIMD_MFLAGS_vec_scalar := -fno-tree-vectorize
SIMD_MFLAGS_vec_sse2   := -msse2
SIMD_MFLAGS_vec_avx2   := -mavx2 -mfma
SIMD_MFLAGS_vec_avx512 := -mavx512f

$(SIMD_ALL_OBJ): $(SIMD_OBJ_DIR)/%.o: $(SIMD_SRC_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SIMD_CFLAGS) $(SIMD_MFLAGS_$*) -MMD -MP -c $< -o $@

$(SIMD_PROGRAMS): $(SIMD_OUT_DIR)/%: $(SIMD_OBJ_DIR)/%.o $(SIMD_LIB_OBJ)
	$(CC) $(SIMD_CFLAGS) -o $@ $^ $(SIMD_LDLIBS)
