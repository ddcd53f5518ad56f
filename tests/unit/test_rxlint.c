/* Unit tests for rxlint: what it reports, what it leaves alone, and that
 * any string is safe to hand it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rxlint.h"
#include "t.h"

static int
lint(const char *pat)
{
	char why[512];
	int rc;

	memset(why, 'x', sizeof(why));
	rc = rxlint_check(pat, why, sizeof(why));
	if (memchr(why, '\0', sizeof(why)) == NULL)
		return -1;
	if (rc == 0 && why[0] != '\0')
		return -1;
	return rc;
}

/* The classic exponential shapes: star height 2, overlapping branches. */
static void
test_reported(void)
{
	static const char *const bad[] = {
		"(a+)+$", "^(a+)+$", "(a*)*$", "(a|aa)+$", "(.*a){20}$",
		"^(\\w+\\s?)+$", "(?:a+)+b", "^(x+x+)+y", "(a|a)*c",
		"^(?<word>[a-z]+)*!", "(?:\\d+)*x", "^\\S+ (a+)+$",
		"(.*,)*;", "^([^ ]*a)+$", "(a|b|ab)*c", "((ab)+)+c",
		"(\\s*\\S+\\s*)+z", "(?:(?:a+)+)?z",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = lint(bad[i]);

		if (rc != 1)
			fprintf(stderr, "not reported: %s\n", bad[i]);
		CHECK_INT(rc, 1);
	}
}

/* Nested repeats that cannot split the text two ways, and the rules we
 * ship: nothing is reported. */
static void
test_quiet(void)
{
	static const char *const good[] = {
		"(\\d+\\.)+\\d+", "(?:a|b)+$", "(?:[^\"]|\\\\\")*\"",
		"(a+)++$", "[a+]+$", "^(?:[a-z]+-)*[a-z]+$", "(x\\d+)+y",
		"(a+b+)+c", "^(?:\\d{1,3}\\.){3}\\d{1,3}$", "(ab|cd)+e",
		"(?:a+){2}b", "(?:\"[^\"]*\"\\s*)+x", "a+b*c+", "(a)+(b)+",
		"^(?:(?:GET|POST) /\\S*\\s)+$", "\\((?:[^()]|\\\\.)*\\)",
		/* rules/10-web.rules, 20-support.rules, 30-billing.rules */
		"^(?<ip>\\S+) \\S+ (?<customer>\\S+) \\[(?<time>[^\\]]+)\\] "
		    "\"(?:(?<method>[A-Z]+) (?<path>[^\\s\"]+)[^\"]*|[^\"]*)\" "
		    "(?<status>\\d{3}) (?<bytes>\\d+|-)(?: \"[^\"]*\" "
		    "\"[^\"]*\"(?: (?<rt>\\d+(?:\\.\\d+)?))?)?",
		"^/(?:checkout|payment|api/payments?)(?:[/?]|$)",
		"^/login\\?(?:\\S*&)?error=",
		"^(?<time>\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d"
		    "(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?) (?=.*? "
		    "customer=(?<customer>[^\\s\"]+))(?=.*? "
		    "event=(?<event>[^\\s\"]+))(?:(?=.*? "
		    "score=(?<score>\\d+)))?(?:(?=.*? wait=(?<wait>\\d+)))?",
		"^\\{\"ts\":\"(?<time>[^\"]+)\",\"event\":\"(?<event>[^\"]+)\","
		    "\"customer\":\"(?<customer>[^\"]+)\"(?:,\"amount\":"
		    "(?<amount>\\d+),\"currency\":\"(?<currency>[A-Z]{3})\")?"
		    "(?:,\"decline_code\":\"(?<decline_code>[a-z_]+)\")?",
		"^(?:fraudulent|do_not_honor|stolen_card|lost_card)$",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int rc = lint(good[i]);

		if (rc != 0)
			fprintf(stderr, "reported: %s\n", good[i]);
		CHECK_INT(rc, 0);
	}
}

/* The message names the group and the pump, and never overruns. */
static void
test_why(void)
{
	char why[512], tiny[8];

	CHECK_INT(rxlint_check("^id=(a+)+$", why, sizeof(why)), 1);
	CHECK(strstr(why, "(a+)+") != NULL);
	CHECK(strstr(why, "\"a\"") != NULL);
	CHECK(strncmp(why, "(a+)+ ", 6) == 0);
	CHECK_INT(rxlint_check("(a+)+$", tiny, sizeof(tiny)), 1);
	CHECK_INT(strlen(tiny), sizeof(tiny) - 1);
	CHECK_INT(rxlint_check("(\x1b+)+$", why, sizeof(why)), 1);
	CHECK(strchr(why, 0x1b) == NULL);
	CHECK(strstr(why, "\\x1b") != NULL);
	CHECK_INT(rxlint_check("(a)", why, sizeof(why)), 0);
	CHECK_STR(why, "");
}

/* Groups that cannot run on their own (back references, calls) and
 * patterns PCRE2 rejects are not reported; nothing crashes. */
static void
test_hostile(void)
{
	static const char *const odd[] = {
		"", "(", ")", "((((", "))))", "\\", "[", "[^", "[]", "(?",
		"(?<", "(?<name", "(?P", "\\Q", "\\Qabc", "(*", "(*UTF",
		"x{", "x{1", "x{1,", "(?(", "(?(1)a|b)+", "(a)\\1+",
		"(?:(a)\\1)+$", "(a|(?1))+$", "[[:alpha:", "[a-", "\\x{",
		"\\p{", "\\g{", "\\k<", "(?#", "(?i", "a**", "+a", "?",
		"{1}", "(?x)(a+)+ $", "\\c", "\\0", "\\o", "\\o{",
	};
	char why[64], *deep;
	size_t i, n = 5000;

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		CHECK(lint(odd[i]) >= 0);
	CHECK_INT(lint("(?:(a)\\1)+$"), 0);
	CHECK_INT(lint("(a|(?1))+$"), 0);
	/* Deeper than PCRE2 would take: read, not recursed without end. */
	deep = malloc(2 * n + 4);
	memset(deep, '(', n);
	memcpy(deep + n, "a+", 2);
	memset(deep + n + 2, ')', n);
	memcpy(deep + 2 * n + 2, "+", 2);
	CHECK(rxlint_check(deep, why, sizeof(why)) >= 0);
	free(deep);
	/* Every byte value, alone and repeated. */
	for (i = 1; i < 256; i++) {
		char p[8];

		snprintf(p, sizeof(p), "(%c+)+", (int)i);
		CHECK(lint(p) >= 0);
	}
}

int
main(void)
{
	test_reported();
	test_quiet();
	test_why();
	test_hostile();
	T_DONE();
}
