// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of the `protect` parameter. Strict: any malformed entry rejects
 * the whole value, so that a typo never leaves a service unprotected
 * without the write failing.
 */

#include "protect.h"

/* Parse a decimal number of at most max at *p; advances *p. */
static bool number(const char **p, u32 max, u32 *v)
{
	const char *s = *p;
	u32 n = 0;

	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9') {
		n = n * 10 + (*s++ - '0');
		if (n > max)
			return false;
	}
	*v = n;
	*p = s;
	return true;
}

static bool ipv4(const char **p, __be32 *addr)
{
	u32 a = 0, byte;
	int i;

	for (i = 0; i < 4; i++) {
		if (i && *(*p)++ != '.')
			return false;
		if (!number(p, 255, &byte))
			return false;
		a = a << 8 | byte;
	}
	*addr = htonl(a);
	return true;
}

static bool entry(const char **p, struct synfw_protect_entry *e)
{
	u32 prefix = 32, lo = 0, hi = 65535;

	if (!ipv4(p, &e->addr))
		return false;
	if (**p == '/') {
		++*p;
		if (!number(p, 32, &prefix))
			return false;
	}
	if (**p == ':') {
		++*p;
		if (!number(p, 65535, &lo) || !lo)
			return false;
		hi = lo;
		if (**p == '-') {
			++*p;
			if (!number(p, 65535, &hi) || hi < lo)
				return false;
		}
	}
	e->prefix = prefix;
	e->mask = prefix ? htonl(~0U << (32 - prefix)) : 0;
	e->port_lo = lo;
	e->port_hi = hi;
	/* Host bits set are more likely a typo than a meaning. */
	return !(e->addr & ~e->mask);
}

int synfw_protect_parse(const char *s, struct synfw_protect_set *set, const char **err)
{
	const char *p = s;

	set->n = 0;
	*err = s;
	if (!*p || (p[0] == '\n' && !p[1]))
		return 0;
	for (;;) {
		*err = p;
		if (set->n == SYNFW_PROTECT_MAX || !entry(&p, &set->e[set->n]))
			return -EINVAL;
		set->n++;
		if (!*p || (p[0] == '\n' && !p[1]))
			return 0;
		if (*p++ != ',')
			return -EINVAL;
	}
}
