/* fd_detail.h — -yy: what strace prints about a socket fd. */
#ifndef RENACER_FD_DETAIL_H
#define RENACER_FD_DETAIL_H

#include <stdbool.h>
#include "obuf.h"

/* Append "PROTO:[...]" for socket inode ino, open as fd in process pid;
 * false (nothing appended) when the protocol cannot be read. */
bool fd_detail_socket(struct obuf *ob, long pid, long fd, unsigned long ino);

#endif
