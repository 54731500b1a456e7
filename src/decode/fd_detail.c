/* fd_detail.c — what -yy prints inside <...> after an fd, as strace 6.1:
 * sockets as PROTO:[...] (UNIX-STREAM:[INODE->PEER,"path"],
 * TCP:[LOCAL->REMOTE], UDPv6:[[::1]:53]), devices as PATH<char MAJ:MIN>.
 *
 * The protocol name comes from the "system.sockprotoname" attribute of the
 * /proc/PID/fd/N link; UNIX peers and names from NETLINK_SOCK_DIAG; inet
 * addresses from a copy of the fd (pidfd_getfd), else from
 * /proc/net/{tcp,tcp6,udp,udp6}. Whatever cannot be found
 * (a socket not bound yet) leaves PROTO:[INODE]. */
#include "fd_detail.h"
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

/* The escaping -y uses for paths. */
static void put_escaped(struct obuf *ob, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '>' || ch == '\\' || ch == '"' || ch < 0x20 || ch >= 0x7f)
			obuf_printf(ob, "\\x%02x", ch);
		else
			obuf_putc(ob, (char)ch);
	}
}

/* UNIX socket inode: its peer's inode and its name, by NETLINK_SOCK_DIAG. */
static bool unix_lookup(unsigned long ino, unsigned long *peer, char *name, size_t cap, size_t *nlen)
{
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return false;
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req udr;
	} req;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.udr.sdiag_family = AF_UNIX;
	req.udr.udiag_states = ~0u;
	req.udr.udiag_ino = (unsigned)ino;
	req.udr.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER;
	req.udr.udiag_cookie[0] = req.udr.udiag_cookie[1] = ~0u;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	bool ok = false;
	*peer = 0;
	*nlen = 0;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa, sizeof(sa)) == (ssize_t)sizeof(req)) {
		long buf[1024];
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		if (n > 0 && NLMSG_OK(h, (size_t)n) && h->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
		    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct unix_diag_msg))) {
			struct unix_diag_msg *m = NLMSG_DATA(h);
			ok = m->udiag_ino == ino;
			int len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
			struct rtattr *a = (struct rtattr *)(m + 1);
			for (; ok && RTA_OK(a, len); a = RTA_NEXT(a, len)) {
				size_t pl = RTA_PAYLOAD(a);
				if (a->rta_type == UNIX_DIAG_PEER && pl >= 4) {
					uint32_t p;
					memcpy(&p, RTA_DATA(a), 4);
					*peer = p;
				} else if (a->rta_type == UNIX_DIAG_NAME && pl > 0 && pl < cap) {
					memcpy(name, RTA_DATA(a), pl);
					*nlen = pl;
				}
			}
		}
	}
	close(fd);
	return ok;
}

static void put_inet(struct obuf *ob, const char *hex, unsigned port, bool v6)
{
	char txt[INET6_ADDRSTRLEN];
	if (v6) {
		unsigned char a[16];
		for (int w = 0; w < 4; w++) {
			unsigned v = 0;
			sscanf(hex + 8 * w, "%8x", &v);
			memcpy(a + 4 * w, &v, 4); /* each word in host order */
		}
		inet_ntop(AF_INET6, a, txt, sizeof(txt));
		obuf_printf(ob, "[%s]:%u", txt, port);
	} else {
		unsigned v = 0;
		sscanf(hex, "%8x", &v);
		struct in_addr in;
		memcpy(&in, &v, 4);
		inet_ntop(AF_INET, &in, txt, sizeof(txt));
		obuf_printf(ob, "%s:%u", txt, port);
	}
}

/* inet socket inode in /proc/net/FILE: "LOCAL" or "LOCAL->REMOTE". */
static bool inet_lookup(struct obuf *ob, const char *file, unsigned long ino, bool v6)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/net/%s", file);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	char line[512];
	bool found = false;
	if (!fgets(line, sizeof(line), f)) { /* the header */
		fclose(f);
		return false;
	}
	while (!found && fgets(line, sizeof(line), f)) {
		char la[40], ra[40];
		unsigned lp, rp, st;
		unsigned long inode;
		if (sscanf(line, "%*d: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x %*s %*s %*s %*s %*s %lu", la, &lp,
			   ra, &rp, &st, &inode) != 6 || inode != ino)
			continue;
		found = true;
		if (lp == 0) /* not bound: as strace, the inode alone */
			return fclose(f), false;
		put_inet(ob, la, lp, v6);
		if (rp != 0) {
			obuf_puts(ob, "->");
			put_inet(ob, ra, rp, v6);
		}
	}
	fclose(f);
	return found;
}

static void put_sockaddr(struct obuf *ob, const struct sockaddr_storage *ss)
{
	char txt[INET6_ADDRSTRLEN];
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &s6->sin6_addr, txt, sizeof(txt));
		obuf_printf(ob, "[%s]:%u", txt, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &s4->sin_addr, txt, sizeof(txt));
		obuf_printf(ob, "%s:%u", txt, ntohs(s4->sin_port));
	}
}

static unsigned sockaddr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return 0;
}

/* inet socket: "LOCAL" or "LOCAL->REMOTE" from a copy of the tracee's fd
 * (pidfd_getfd: the tracer may). 0: not bound; -1: no copy. */
static int inet_by_copy(struct obuf *ob, long pid, long fd)
{
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_getfd)
	int pfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (pfd < 0)
		return -1;
	int s = (int)syscall(SYS_pidfd_getfd, pfd, (int)fd, 0);
	close(pfd);
	if (s < 0)
		return -1;
	struct sockaddr_storage la, ra;
	socklen_t ll = sizeof(la), rl = sizeof(ra);
	memset(&la, 0, sizeof(la));
	memset(&ra, 0, sizeof(ra));
	int rc = -1;
	if (getsockname(s, (struct sockaddr *)&la, &ll) == 0) {
		rc = 0;
		if (sockaddr_port(&la) != 0) {
			rc = 1;
			put_sockaddr(ob, &la);
			if (getpeername(s, (struct sockaddr *)&ra, &rl) == 0 && sockaddr_port(&ra) != 0) {
				obuf_puts(ob, "->");
				put_sockaddr(ob, &ra);
			}
		}
	}
	close(s);
	return rc;
#else
	(void)ob; (void)pid; (void)fd;
	return -1;
#endif
}

bool fd_detail_socket(struct obuf *ob, long pid, long fd, unsigned long ino)
{
	char link[64], proto[64];
	snprintf(link, sizeof(link), "/proc/%ld/fd/%ld", pid, fd);
	ssize_t pn = getxattr(link, "system.sockprotoname", proto, sizeof(proto) - 1);
	if (pn <= 0)
		return false;
	proto[pn] = '\0';
	if (pn > 0 && proto[pn - 1] == '\0')
		pn--;
	obuf_printf(ob, "%s:[", proto);
	size_t mark = ob->len;
	bool done = false;
	if (!strncmp(proto, "UNIX", 4)) {
		unsigned long peer;
		char name[256];
		size_t nl;
		if (unix_lookup(ino, &peer, name, sizeof(name), &nl)) {
			obuf_printf(ob, "%lu", ino);
			if (peer)
				obuf_printf(ob, "->%lu", peer);
			if (nl) {
				obuf_puts(ob, ",\"");
				if (name[0] == '\0') { /* abstract */
					obuf_putc(ob, '@');
					put_escaped(ob, name + 1, nl - 1);
				} else {
					put_escaped(ob, name, strnlen(name, nl));
				}
				obuf_putc(ob, '"');
			}
			done = true;
		}
	} else if (!strncmp(proto, "TCP", 3) || !strncmp(proto, "UDP", 3)) {
		int r = inet_by_copy(ob, pid, fd);
		if (r >= 0)
			done = r > 0;
		else if (!strcmp(proto, "TCP"))
			done = inet_lookup(ob, "tcp", ino, false);
		else if (!strcmp(proto, "TCPv6"))
			done = inet_lookup(ob, "tcp6", ino, true);
		else if (!strcmp(proto, "UDP"))
			done = inet_lookup(ob, "udp", ino, false);
		else if (!strcmp(proto, "UDPv6"))
			done = inet_lookup(ob, "udp6", ino, true);
	}
	if (!done) {
		ob->len = mark;
		obuf_printf(ob, "%lu", ino);
	}
	obuf_putc(ob, ']');
	return true;
}
