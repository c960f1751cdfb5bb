// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for module/protect.c. An input is a `protect` value, as
 * a write to the parameter hands it over: NUL-terminated, in a heap copy of
 * exactly its bytes. A value that parses must describe a set the rest of
 * synfw can rely on (entries within the limit, no host bits, ports in
 * order), and printed back in the documented syntax it must parse to the
 * same set.
 */
#include "protect.h"
#include "fuzz.h"

static void print(const struct synfw_protect_set *set, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int i;

	buf[0] = 0;
	for (i = 0; i < set->n; i++) {
		const struct synfw_protect_entry *e = &set->e[i];
		u32 a = ntohl(e->addr);

		len += snprintf(buf + len, size - len, "%s%u.%u.%u.%u/%u:%u-%u", i ? "," : "",
				a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255, e->prefix,
				e->port_lo ? e->port_lo : 1, e->port_hi);
		CHECK(len < size);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static char out[SYNFW_PROTECT_MAX * 48];
	struct synfw_protect_set set, again;
	const char *err;
	unsigned int i;
	char *s;

	if (size > SYNFW_PROTECT_STRLEN)
		return 0;
	s = malloc(size + 1);
	CHECK(s);
	memcpy(s, data, size);
	s[size] = 0;
	if (synfw_protect_parse(s, &set, &err)) {
		CHECK(err >= s && err <= s + strlen(s));
		free(s);
		return 0;
	}
	free(s);
	CHECK(set.n <= SYNFW_PROTECT_MAX);
	for (i = 0; i < set.n; i++) {
		const struct synfw_protect_entry *e = &set.e[i];

		CHECK(e->prefix <= 32);
		CHECK(!(e->addr & ~e->mask));
		CHECK(e->port_lo <= e->port_hi);
		CHECK(synfw_protect_match(&set, e->addr, htons(e->port_hi)));
		CHECK(synfw_protect_match_addr(&set, e->addr));
	}
	/* Port 0 never appears in a value: "no port" reads back as 1-65535. */
	for (i = 0; i < set.n; i++)
		if (!set.e[i].port_lo && set.e[i].port_hi == 65535)
			set.e[i].port_lo = 1;
	print(&set, out, sizeof(out));
	CHECK(!synfw_protect_parse(out, &again, &err));
	CHECK(again.n == set.n);
	for (i = 0; i < set.n; i++) {
		CHECK(again.e[i].addr == set.e[i].addr && again.e[i].mask == set.e[i].mask);
		CHECK(again.e[i].prefix == set.e[i].prefix);
		CHECK(again.e[i].port_lo == set.e[i].port_lo);
		CHECK(again.e[i].port_hi == set.e[i].port_hi);
	}
	return 0;
}
