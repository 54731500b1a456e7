# mk/simd.mk — the SIMD compute examples of examples/simd/ (SPEC §10):
# `make examples`, and the programs of the golden-trace gate. Included by
# the top-level Makefile, which provides CC, BUILD, STD, WARN (and, for
# sanitizer builds, EXTRA_CFLAGS / EXTRA_LDFLAGS). Defines SIMD_PROGRAMS.
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

SIMD_CFLAGS = -O2 -g $(STD) $(WARN) -ffp-contract=off $(EXTRA_CFLAGS)
SIMD_LDLIBS = -lm $(EXTRA_LDFLAGS)

DEP_FILES += $(patsubst %.o,%.d,$(SIMD_ALL_OBJ))

.PHONY: examples
examples: $(SIMD_PROGRAMS)

# Per-backend instruction sets (empty for every other object); the scalar
# backend stays scalar (no auto-vectorisation) for honest timings.
SIMD_MFLAGS :=
$(SIMD_OBJ_DIR)/vec_scalar.o: SIMD_MFLAGS := -fno-tree-vectorize
$(SIMD_OBJ_DIR)/vec_sse2.o:   SIMD_MFLAGS := -msse2
$(SIMD_OBJ_DIR)/vec_avx2.o:   SIMD_MFLAGS := -mavx2 -mfma
$(SIMD_OBJ_DIR)/vec_avx512.o: SIMD_MFLAGS := -mavx512f

$(SIMD_ALL_OBJ): $(SIMD_OBJ_DIR)/%.o: $(SIMD_SRC_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SIMD_CFLAGS) $(SIMD_MFLAGS) -MMD -MP -c $< -o $@

$(SIMD_PROGRAMS): $(SIMD_OUT_DIR)/%: $(SIMD_OBJ_DIR)/%.o $(SIMD_LIB_OBJ)
	$(CC) $(SIMD_CFLAGS) -o $@ $^ $(SIMD_LDLIBS)
