/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protected destinations: parsing the `protect` parameter and matching
 * packets against it. Kernel-agnostic: host unit tests and fuzzers run it.
 */
#ifndef _SYNFW_PROTECT_H
#define _SYNFW_PROTECT_H

#include "compat.h"

#define SYNFW_PROTECT_MAX	64
/* The longest `protect` value accepted, with room for the entries. */
#define SYNFW_PROTECT_STRLEN	(SYNFW_PROTECT_MAX * 32)

struct synfw_protect_entry {
	__be32 addr;		/* network byte order, host bits clear */
	__be32 mask;
	u16 port_lo;		/* host byte order; 0-65535 when no port was given */
	u16 port_hi;
	u8 prefix;
};

struct synfw_protect_set {
	unsigned int n;
	struct synfw_protect_entry e[SYNFW_PROTECT_MAX];
};

/*
 * Parse "ADDR[/PREFIX][:PORT[-PORT]],..." (an empty string protects
 * nothing; one trailing newline is allowed). Returns 0 and fills *set, or
 * -EINVAL and leaves *set in an unspecified state; *err points at the entry
 * that failed.
 */
int synfw_protect_parse(const char *s, struct synfw_protect_set *set, const char **err);

static inline bool synfw_protect_entry_match(const struct synfw_protect_entry *e,
					     __be32 addr, u16 port)
{
	return (addr & e->mask) == e->addr && port >= e->port_lo && port <= e->port_hi;
}

/* Whether any port of addr is protected: for fragments, which may lack ports. */
static inline bool synfw_protect_match_addr(const struct synfw_protect_set *set, __be32 addr)
{
	unsigned int i;

	for (i = 0; i < set->n; i++)
		if ((addr & set->e[i].mask) == set->e[i].addr)
			return true;
	return false;
}

static inline bool synfw_protect_match(const struct synfw_protect_set *set, __be32 addr,
				       __be16 port)
{
	u16 p = ntohs(port);
	unsigned int i;

	for (i = 0; i < set->n; i++)
		if (synfw_protect_entry_match(&set->e[i], addr, p))
			return true;
	return false;
}

#endif /* _SYNFW_PROTECT_H */
