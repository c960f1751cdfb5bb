// SPDX-License-Identifier: GPL-2.0
/*
 * connbench: short connections per second, and many held connections, for
 * synfw's benchmarks (a Python loop would measure Python).
 *
 *   connbench server PORT            accept and close, forever
 *   connbench keep PORT              accept and keep every connection, forever
 *   connbench rate HOST PORT N       N connect+close in a row; prints conn/s
 *   connbench hold HOST PORT N [SRC...]
 *                                    open N connections, from each SRC address
 *                                    in turn, print "held", keep them until
 *                                    stdin closes
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static struct sockaddr_in addr(const char *host, const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };

	if (inet_pton(AF_INET, host, &a.sin_addr) != 1)
		die("address");
	return a;
}

/* Enough descriptors for every connection held: as many as the kernel allows. */
static void many_files(void)
{
	struct rlimit r;
	FILE *f = fopen("/proc/sys/fs/nr_open", "r");

	if (!f || fscanf(f, "%lu", &r.rlim_max) != 1)
		die("/proc/sys/fs/nr_open");
	fclose(f);
	r.rlim_cur = r.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &r))
		die("setrlimit");
}

static int dial(const struct sockaddr_in *to, const struct sockaddr_in *from)
{
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	/* The port is chosen at connect(), per 4-tuple: 64k per source. */
	if (from && (setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one)) ||
		     bind(fd, (const struct sockaddr *)from, sizeof(*from))))
		die("bind");
	if (connect(fd, (const struct sockaddr *)to, sizeof(*to)))
		die("connect");
	return fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __attribute__((noreturn)) void server(const char *port, int keep)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (keep)
		many_files();
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 4096))
		die("listen");
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c >= 0 && !keep)
			close(c);
	}
}

static int rate(const char *host, const char *port, long n)
{
	struct sockaddr_in to = addr(host, port);
	struct linger lin = { .l_onoff = 1, .l_linger = 0 };
	double t0 = now(), t;
	long i;

	for (i = 0; i < n; i++) {
		int fd = dial(&to, NULL);

		/* A RST, not a FIN: no TIME-WAIT to run out of ports with. */
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
		close(fd);
	}
	t = now() - t0;
	printf("%ld connections in %.3f s: %.1f conn/s\n", n, t, n / t);
	return 0;
}

static int hold(const char *host, const char *port, long n, char **src, int nsrc)
{
	struct sockaddr_in to = addr(host, port), from;
	char buf[1];
	long i;

	many_files();
	for (i = 0; i < n; i++) {
		if (nsrc)
			from = addr(src[i % nsrc], "0");
		dial(&to, nsrc ? &from : NULL);
	}
	printf("held %ld\n", n);
	fflush(stdout);
	while (read(0, buf, 1) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "server"))
		server(argv[2], 0);
	if (argc == 3 && !strcmp(argv[1], "keep"))
		server(argv[2], 1);
	if (argc == 5 && !strcmp(argv[1], "rate"))
		return rate(argv[2], argv[3], atol(argv[4]));
	if (argc >= 5 && !strcmp(argv[1], "hold"))
		return hold(argv[2], argv[3], atol(argv[4]), argv + 5, argc - 5);
	fprintf(stderr, "usage: see the comment at the top of connbench.c\n");
	return 2;
}
