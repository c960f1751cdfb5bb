// SPDX-License-Identifier: GPL-2.0
/*
 * Host micro-benchmark of synfw's kernel-agnostic hot paths: each case calls
 * one core function N times, on inputs prepared beforehand, and prints the
 * time per call. The times are informational (a host CPU, libsodium's
 * SipHash rather than the kernel's); `make profile` runs each case under
 * callgrind, whose instruction counts are the figures worth comparing.
 *
 *   usage: bench [-n ITERATIONS] [CASE...]     (no CASE: every case)
 *          bench -l                            (list the cases)
 *
 * Each case's loop is a function run_CASE that callgrind can toggle
 * collection on (--toggle-collect=run_CASE), and calls the core function
 * once per iteration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cookie.h"
#include "protect.h"
#include "tcpopt.h"

/* Inputs cycle through tables of this many entries (a power of two). */
#define TABLE	1024

#define LOOP	__attribute__((noipa))

static volatile u64 sink;

static const struct synfw_cookie_keys keys = {
	.gen = 7,
	.key = { { { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL } },
		 { { 0x1716151413121110ULL, 0x1f1e1d1c1b1a1918ULL } } },
};

/* The options a Linux client's SYN offers: MSS 1460, SACK, timestamps, ws 7. */
static const u8 linux_syn_opts[] = {
	2, 4, 0x05, 0xb4,			/* MSS 1460 */
	4, 2,					/* SACK-permitted */
	8, 10, 0x9a, 0x3c, 0x01, 0x27, 0, 0, 0, 0, /* TSval, TSecr 0 */
	1,					/* NOP */
	3, 3, 7,				/* window scale 7 */
};

static const struct synfw_synopts linux_synopts = {
	.mss = 1460, .wscale = 7, .sack = true, .ts = true,
};

/* A spoofed client (198.18.0.0/15, as the VM's floods) and its SYN. */
struct input {
	u32 saddr;
	u16 sport;
	u32 isn;
	u32 cookie;	/* for a valid ACK: the cookie and TSval synfw sent */
	u32 tsval;
};

static struct input in[TABLE];

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u32 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state >> 16;
}

/* As proxy.c's cookie_tuple(): the MAC input of a SYN to 10.0.2.99:8080. */
static void tuple(struct synfw_cookie_msg *m, const struct input *p)
{
	memset(m, 0, sizeof(*m));
	m->addr[0] = htonl(p->saddr);
	m->addr[1] = htonl(0x0a000263);
	m->sport = htons(p->sport);
	m->dport = htons(8080);
}

static void prepare(void)
{
	struct synfw_cookie_msg m;
	unsigned int i;

	for (i = 0; i < TABLE; i++) {
		in[i].saddr = 0xc6120000 | (rnd() & 0x1ffff);
		in[i].sport = 1024 + rnd() % 64512;
		in[i].isn = rnd();
		tuple(&m, &in[i]);
		in[i].cookie = synfw_cookie_make(&keys, &m, 8, in[i].isn, &linux_synopts,
						 &in[i].tsval);
	}
}

/* (a) The option area of a Linux SYN. */
static LOOP void run_tcpopt_parse(unsigned long n)
{
	struct synfw_tcpopt o;
	unsigned long i;
	u64 acc = 0;

	for (i = 0; i < n; i++) {
		synfw_tcpopt_parse(linux_syn_opts, sizeof(linux_syn_opts), &o);
		acc += o.tsval + o.mss;
	}
	sink = acc;
}

/* (b) The cookie of a SYN with timestamps (a Linux client's). */
static LOOP void run_cookie_make(unsigned long n)
{
	struct synfw_cookie_msg m;
	unsigned long i;
	u32 tsval;
	u64 acc = 0;

	for (i = 0; i < n; i++) {
		const struct input *p = &in[i & (TABLE - 1)];

		tuple(&m, p);
		acc += synfw_cookie_make(&keys, &m, 8, p->isn, &linux_synopts, &tsval);
		acc += tsval;
	}
	sink = acc;
}

/* (b') The same without timestamps: the other layout. */
static LOOP void run_cookie_make_nots(unsigned long n)
{
	struct synfw_synopts o = linux_synopts;
	struct synfw_cookie_msg m;
	unsigned long i;
	u32 tsval;
	u64 acc = 0;

	o.ts = false;
	for (i = 0; i < n; i++) {
		const struct input *p = &in[i & (TABLE - 1)];

		tuple(&m, p);
		acc += synfw_cookie_make(&keys, &m, 8, p->isn, &o, &tsval);
	}
	sink = acc;
}

/* (c) The ACK of a cookie SYN/ACK: valid, with timestamps. */
static LOOP void run_cookie_check_valid(unsigned long n)
{
	struct synfw_cookie_msg m;
	struct synfw_synopts o;
	unsigned long i, ok = 0;

	for (i = 0; i < n; i++) {
		const struct input *p = &in[i & (TABLE - 1)];

		tuple(&m, p);
		ok += synfw_cookie_check(&keys, &m, 8, p->isn + 1, p->cookie + 1, true,
					 p->tsval, &o);
	}
	if (ok != n) {
		fprintf(stderr, "cookie_check_valid: %lu of %lu valid\n", ok, n);
		exit(1);
	}
	sink = ok;
}

/* (d) A random ACK of the flood: no timestamps, random numbers, invalid. */
static LOOP void run_cookie_check_invalid(unsigned long n)
{
	struct synfw_cookie_msg m;
	struct synfw_synopts o;
	unsigned long i, ok = 0;

	for (i = 0; i < n; i++) {
		const struct input *p = &in[i & (TABLE - 1)];

		tuple(&m, p);
		ok += synfw_cookie_check(&keys, &m, 8, p->isn, p->tsval, false, 0, &o);
	}
	sink = ok;
}

/*
 * (e) Whether a packet's destination is protected: synfw_protect_match(),
 * an inline function, kept out of line here so that it has a name, on four
 * entries of which the packet matches the last, as the floods' target.
 */
static struct synfw_protect_set prot;

static __attribute__((noipa)) bool protect_lookup(const struct synfw_protect_set *s,
						  __be32 addr, __be16 port)
{
	return synfw_protect_match(s, addr, port);
}

static LOOP void run_protect_match(unsigned long n)
{
	unsigned long i, hits = 0;

	for (i = 0; i < n; i++)
		hits += protect_lookup(&prot, htonl(0x0a000263), htons(8080));
	if (hits != n) {
		fprintf(stderr, "protect_match: %lu of %lu hits\n", hits, n);
		exit(1);
	}
	sink = hits;
}

/* (f) The SYN/ACK's options, in the shape Linux answers a Linux SYN with. */
static struct synfw_optshape shape;

static LOOP void run_optshape_fill(unsigned long n)
{
	struct synfw_tcpopt v = { .mss = 1460, .wscale = 7, .tsecr = 0x9a3c0127 };
	u8 buf[SYNFW_TCPOPT_MAX];
	unsigned long i;
	u64 acc = 0;

	for (i = 0; i < n; i++) {
		v.tsval = in[i & (TABLE - 1)].tsval;
		acc += synfw_optshape_fill(buf, &shape, &v);
		acc += buf[10];
	}
	sink = acc;
}

static const struct {
	const char *name;
	void (*run)(unsigned long n);
	const char *target;	/* the core function it measures */
	const char *what;
} cases[] = {
	{ "tcpopt_parse", run_tcpopt_parse, "synfw_tcpopt_parse",
	  "parse a Linux SYN's options (MSS, SACK-permitted, timestamps, window scale)" },
	{ "cookie_make", run_cookie_make, "synfw_cookie_make",
	  "cookie for a SYN with timestamps" },
	{ "cookie_make_nots", run_cookie_make_nots, "synfw_cookie_make",
	  "cookie for a SYN without timestamps" },
	{ "cookie_check_valid", run_cookie_check_valid, "synfw_cookie_check",
	  "check a valid cookie ACK (timestamps)" },
	{ "cookie_check_invalid", run_cookie_check_invalid, "synfw_cookie_check",
	  "check a random ACK (no timestamps, invalid)" },
	{ "protect_match", run_protect_match, "protect_lookup",
	  "synfw_protect_match(): 4 entries, hit on the 4th" },
	{ "optshape_fill", run_optshape_fill, "synfw_optshape_fill",
	  "write the SYN/ACK options (Linux shape, all four options)" },
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void run(unsigned int c, unsigned long n)
{
	double t0 = now(), dt;

	cases[c].run(n);
	dt = now() - t0;
	printf("%-22s %-20s %10lu %8.1f ns/op\n", cases[c].name, cases[c].target, n,
	       n ? dt * 1e9 / n : 0.0);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench [-n ITERATIONS] [CASE...]\n       bench -l\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *err;
	unsigned long n = 10000000;
	unsigned int c;
	int opt, i;

	while ((opt = getopt(argc, argv, "ln:")) != -1) {
		switch (opt) {
		case 'l':
			for (c = 0; c < ARRAY_SIZE(cases); c++)
				printf("%s %s %s\n", cases[c].name, cases[c].target,
				       cases[c].what);
			return 0;
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}

	prepare();
	if (synfw_protect_parse("10.0.3.0/24:80-443,192.0.2.10:8443,10.0.4.0/24:25,"
				"10.0.2.99:8080", &prot, &err)) {
		fprintf(stderr, "protect: bad entry %s\n", err);
		return 1;
	}
	synfw_optshape_linux(&shape, SYNFW_OPT_HANDSHAKE);

	if (optind == argc) {
		for (c = 0; c < ARRAY_SIZE(cases); c++)
			run(c, n);
		return 0;
	}
	for (i = optind; i < argc; i++) {
		for (c = 0; c < ARRAY_SIZE(cases); c++)
			if (!strcmp(argv[i], cases[c].name))
				break;
		if (c == ARRAY_SIZE(cases)) {
			fprintf(stderr, "bench: no case %s (bench -l lists them)\n", argv[i]);
			return 2;
		}
		run(c, n);
	}
	return 0;
}
