/* chain.h — the call-chain fixture for the source-correlation tests:
 * main -> f0 -> f1 -> f2 -> f3 -> chdir across chain_main.c, chain_a.c and
 * chain_b.c; helper_write and helper_fopen in chain_io.c; dl_call dlopens
 * libchain_dl.so (next to the executable) and calls dl_func, which makes a
 * umask syscall. Lines marked "@site:NAME" are the call sites the tests
 * expect; keep every marked call on one line. */
#ifndef CHAIN_H
#define CHAIN_H

#define NOINLINE __attribute__((noinline))

extern volatile int sink;

int f0(int x);
int f1(int x);
int f2(int x);
int f3(int x);
void helper_write(void);
void helper_fopen(void);
void dl_call(void);

#endif
