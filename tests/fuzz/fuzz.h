/* SPDX-License-Identifier: GPL-2.0 */
/* What every harness here shares: an invariant that aborts, for libFuzzer. */
#ifndef _SYNFW_FUZZ_H
#define _SYNFW_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(c)							\
	do {								\
		if (!(c)) {						\
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",	\
				__FILE__, __LINE__, #c);		\
			abort();					\
		}							\
	} while (0)

#endif /* _SYNFW_FUZZ_H */
