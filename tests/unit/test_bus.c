/*
 * test_bus: the partition function of --emit (bus.h) is FNV-1a, 32 bits,
 * mod n, as nats-server 2.9's {{partition(n,1)}} mapping computes it:
 * the published FNV-1a vectors, and customers of the sample day.
 */
#include <stdint.h>

#include "t.h"
#include "bus.h"

static void
test_fnv1a(void)
{
	CHECK_INT(bus_fnv1a("", 0), 0x811c9dc5u);
	CHECK_INT(bus_fnv1a("a", 1), 0xe40c292cu);
	CHECK_INT(bus_fnv1a("foobar", 6), 0xbf9cf968u);
	/* Bytes, not a C string: a NUL and the bytes past it count. */
	CHECK(bus_fnv1a("a\0b", 3) != bus_fnv1a("a", 1));
}

static void
test_partition(void)
{
	CHECK_INT(bus_fnv1a("C000140", 7), 0x0cf251c9u);
	CHECK_INT(bus_partition("C000140", 7, 4), 1);
	CHECK_INT(bus_fnv1a("C000041", 7), 0x9f6e8e19u);
	CHECK_INT(bus_partition("C000041", 7, 4), 1);
	CHECK_INT(bus_partition("foobar", 6, 4), 0);
	CHECK_INT(bus_partition("C000041", 7, 1), 0);
	CHECK_INT(bus_partition("foobar", 6, 7), 0xbf9cf968u % 7);
}

int
main(void)
{
	test_fnv1a();
	test_partition();
	T_DONE();
}
