/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal host unit-test harness. TEST(name) { ... } registers a test;
 * the EXPECT_* checks report file, line and values on failure and let the
 * test go on, so that one run shows every broken check. unit.c runs the
 * tests and ends with the line "N passed, N failed" counting tests.
 */
#ifndef _SYNFW_UNIT_H
#define _SYNFW_UNIT_H

#include <stddef.h>

void unit_register(const char *name, void (*fn)(void));
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void unit_fail_mem(const char *file, int line, const char *what,
		   const void *a, const void *b, size_t n);

#define TEST(name)							\
	static void test_##name(void);					\
	__attribute__((constructor)) static void register_##name(void)	\
	{								\
		unit_register(#name, test_##name);			\
	}								\
	static void test_##name(void)

/* Integers of any width and sign, compared as unsigned long long. */
#define UNIT_CMP(a, op, b)						\
	do {								\
		unsigned long long a_ = (a), b_ = (b);			\
									\
		if (!(a_ op b_))					\
			unit_fail(__FILE__, __LINE__,			\
				  "%s %s %s: %llu (0x%llx) vs %llu (0x%llx)", \
				  #a, #op, #b, a_, a_, b_, b_);		\
	} while (0)

#define EXPECT_EQ(a, b)	UNIT_CMP(a, ==, b)
#define EXPECT_NE(a, b)	UNIT_CMP(a, !=, b)
#define EXPECT_LE(a, b)	UNIT_CMP(a, <=, b)

#define EXPECT_TRUE(c)							\
	do {								\
		if (!(c))						\
			unit_fail(__FILE__, __LINE__, "%s is false", #c); \
	} while (0)

#define EXPECT_MEM_EQ(a, b, n)						\
	unit_fail_mem(__FILE__, __LINE__, #a " == " #b, (a), (b), (n))

#endif /* _SYNFW_UNIT_H */
