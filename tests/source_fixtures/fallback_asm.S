/* fallback_asm.S — two functions whose only CFI is in .debug_frame (which
 * libdw reads and libunwind's remote tables do not), without line info:
 *   cfi_debug_frame_only  correct CFI, no frame pointer: libunwind's
 *                         frame-pointer guess skips its caller; libdw unwinds it
 *   cfi_broken            CFI that wrongly marks it outermost (return address
 *                         undefined), with a frame pointer: libdw stops there;
 *                         libunwind, finding no .eh_frame entry, follows %rbp */
	.cfi_sections .debug_frame
	.text

	.globl cfi_debug_frame_only
	.type cfi_debug_frame_only, @function
cfi_debug_frame_only:
	.cfi_startproc
	subq $24, %rsp
	.cfi_def_cfa_offset 32
	leaq path_tmp(%rip), %rdi
	call chdir@PLT
	addq $24, %rsp
	.cfi_def_cfa_offset 8
	ret
	.cfi_endproc
	.size cfi_debug_frame_only, .-cfi_debug_frame_only

	.globl cfi_broken
	.type cfi_broken, @function
cfi_broken:
	.cfi_startproc
	.cfi_undefined rip
	pushq %rbp
	movq %rsp, %rbp
	leaq path_root(%rip), %rdi
	call chdir@PLT
	popq %rbp
	ret
	.cfi_endproc
	.size cfi_broken, .-cfi_broken

	.section .rodata
path_tmp:
	.string "/tmp"
path_root:
	.string "/"
	.section .note.GNU-stack,"",@progbits
