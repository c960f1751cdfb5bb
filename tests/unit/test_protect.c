// SPDX-License-Identifier: GPL-2.0
/* The `protect` parameter: syntax, rejection of malformed values, matching. */
#include <stdio.h>

#include "protect.h"
#include "unit.h"

static struct synfw_protect_set set;

static int parse(const char *s)
{
	const char *err;

	return synfw_protect_parse(s, &set, &err);
}

static bool match(const char *addr, u16 port)
{
	struct synfw_protect_entry e;
	const char *p = addr, *err;
	struct synfw_protect_set one;

	if (synfw_protect_parse(p, &one, &err) || one.n != 1)
		return false;
	e = one.e[0];
	return synfw_protect_match(&set, e.addr, htons(port));
}

TEST(protect_parses_the_documented_example)
{
	EXPECT_EQ(parse("10.0.2.99:8080,10.0.3.0/24:80-443"), 0);
	EXPECT_EQ(set.n, 2);
	EXPECT_EQ(set.e[0].addr, htonl(0x0a000263));
	EXPECT_EQ(set.e[0].mask, 0xffffffff);
	EXPECT_EQ(set.e[0].port_lo, 8080);
	EXPECT_EQ(set.e[0].port_hi, 8080);
	EXPECT_EQ(set.e[1].addr, htonl(0x0a000300));
	EXPECT_EQ(set.e[1].mask, htonl(0xffffff00));
	EXPECT_EQ(set.e[1].port_lo, 80);
	EXPECT_EQ(set.e[1].port_hi, 443);
	EXPECT_TRUE(match("10.0.2.99", 8080));
	EXPECT_TRUE(!match("10.0.2.99", 8081));
	EXPECT_TRUE(!match("10.0.2.98", 8080));
	EXPECT_TRUE(match("10.0.3.7", 80));
	EXPECT_TRUE(match("10.0.3.255", 443));
	EXPECT_TRUE(!match("10.0.3.7", 444));
	EXPECT_TRUE(!match("10.0.4.7", 80));
}

TEST(protect_empty_and_newline)
{
	EXPECT_EQ(parse(""), 0);
	EXPECT_EQ(set.n, 0);
	EXPECT_EQ(parse("\n"), 0);
	EXPECT_EQ(set.n, 0);
	EXPECT_EQ(parse("10.0.2.99\n"), 0);
	EXPECT_EQ(set.n, 1);
	EXPECT_EQ(set.e[0].port_lo, 0);
	EXPECT_EQ(set.e[0].port_hi, 65535);
	EXPECT_EQ(parse("0.0.0.0/0"), 0);
	EXPECT_EQ(set.e[0].mask, 0);
	EXPECT_TRUE(match("1.2.3.4", 1));
}

TEST(protect_rejects_malformed)
{
	static const char * const bad[] = {
		"10.0.2", "10.0.2.256", "10.0.2.99.1", "10.0.2.99:", "10.0.2.99:0",
		"10.0.2.99:65536", "10.0.2.99:90-80", "10.0.2.99:80-", "10.0.2.99/33",
		"10.0.2.99/", "10.0.3.1/24", ",", "10.0.2.99,", ",10.0.2.99",
		"10.0.2.99 ", " 10.0.2.99", "10.0.2.99\n\n", "a.b.c.d", "10.0.2.99:80,x",
		"10.0.2.99:99999999999999999999", "-1.0.0.0", "10.0.2.99;10.0.2.98",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse(bad[i]) != -EINVAL)
			unit_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
	}
}

TEST(protect_entry_limit)
{
	char buf[SYNFW_PROTECT_STRLEN];
	size_t len = 0;
	int i;

	for (i = 0; i < SYNFW_PROTECT_MAX; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s10.1.%d.%d", i ? "," : "",
				i / 250, i % 250 + 1);
	EXPECT_EQ(parse(buf), 0);
	EXPECT_EQ(set.n, SYNFW_PROTECT_MAX);
	snprintf(buf + len, sizeof(buf) - len, ",10.9.9.9");
	EXPECT_EQ(parse(buf), -EINVAL);
}

/* For fragments, which may lack ports: any port of the address, and no other. */
TEST(protect_match_addr_any_port_only_there)
{
	EXPECT_EQ(parse("10.0.2.99:8080,10.0.3.0/24:80-443"), 0);
	EXPECT_TRUE(synfw_protect_match_addr(&set, htonl(0x0a000263)));
	EXPECT_TRUE(synfw_protect_match_addr(&set, htonl(0x0a0003fe)));
	EXPECT_TRUE(!synfw_protect_match_addr(&set, htonl(0x0a000262)));
	EXPECT_TRUE(!synfw_protect_match_addr(&set, htonl(0x0a000400)));
	EXPECT_EQ(parse(""), 0);
	EXPECT_TRUE(!synfw_protect_match_addr(&set, htonl(0x0a000263)));
}
