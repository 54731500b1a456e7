/* fallback.c — the unwinder-fallback fixture: main calls two functions of
 * fallback_asm.S (assembled without debug info, their CFI only in
 * .debug_frame), each of which makes a chdir. One unwinder fails at each
 * call and the other finds main (tests/unit/test_source.c, fallback_*):
 *   cfi_broken            libdw stops there (its CFI claims the outermost
 *                         frame); libunwind follows the frame pointer
 *   cfi_debug_frame_only  libunwind guesses by frame pointer and skips main;
 *                         libdw reads the .debug_frame CFI */
int cfi_debug_frame_only(void);
int cfi_broken(void);

volatile int sink;

int main(void)
{
	sink = cfi_broken(); /* @site:broken */
	sink = cfi_debug_frame_only(); /* @site:debug_frame */
	return 0;
}
