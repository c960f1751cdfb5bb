// SPDX-License-Identifier: GPL-2.0
/*
 * Runner for the tests unit.h registers: with arguments, runs only the tests
 * so named. Exits nonzero if any test failed or a named test does not exist.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

struct test {
	const char *name;
	void (*fn)(void);
	struct test *next;
};

static struct test *tests, **tail = &tests;
static const char *current;
static int current_failed;

void unit_register(const char *name, void (*fn)(void))
{
	struct test *t = malloc(sizeof(*t));

	if (!t) {
		perror("unit_register");
		exit(2);
	}
	*t = (struct test){ .name = name, .fn = fn };
	*tail = t;
	tail = &t->next;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s:%d: %s: ", file, line, current);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	current_failed = 1;
}

static void dump(const char *label, const unsigned char *p, size_t n)
{
	printf("    %s:", label);
	for (size_t i = 0; i < n; i++)
		printf("%s%02x", i % 4 ? "" : " ", p[i]);
	putchar('\n');
}

void unit_fail_mem(const char *file, int line, const char *what,
		   const void *a, const void *b, size_t n)
{
	if (!memcmp(a, b, n))
		return;
	unit_fail(file, line, "%s: %zu bytes differ", what, n);
	dump("left ", a, n);
	dump("right", b, n);
}

static int wanted(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	for (struct test *t = tests; t; t = t->next) {
		if (!wanted(t->name, argc, argv))
			continue;
		current = t->name;
		current_failed = 0;
		t->fn();
		if (current_failed) {
			printf("FAIL %s\n", t->name);
			failed++;
		} else {
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed || (argc > 1 && passed + failed != argc - 1);
}
