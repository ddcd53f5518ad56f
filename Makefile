# cxwatch — plain GNU make. See README.md.
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= $(PREFIX)/etc
RULESDIR ?= $(SYSCONFDIR)/cxwatch/rules
SHAREDIR ?= $(PREFIX)/share/cxwatch
PKG_CONFIG ?= pkg-config
CC	?= cc
CFLAGS	?= -O2 -g

WARN	 = -Wall -Wextra -Wshadow -Wformat=2 -Wwrite-strings \
	   -Wstrict-prototypes -Wmissing-prototypes -Wno-format-nonliteral
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libpcre2-8 zlib 2>/dev/null)
DEP_LIBS   := -pthread $(shell $(PKG_CONFIG) --libs libpcre2-8 zlib 2>/dev/null) \
	      $(shell $(PKG_CONFIG) --libs libev 2>/dev/null || echo -lev)
# CI=true (as .ci/run sets it) turns every warning into an error.
ifeq ($(CI),true)
WARN	+= -Werror
endif
CXW_CFLAGS  = -std=c11 -D_DEFAULT_SOURCE -pthread -Iinclude $(WARN) \
	      -DCXW_RULESDIR='"$(RULESDIR)"' $(DEP_CFLAGS) $(CFLAGS)

# Every module except main.c; unit tests link against these.
LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJS := $(LIB_SRCS:src/%.c=build/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/tests/%)

all: cxwatch

cxwatch: build/main.o $(LIB_OBJS)
	$(CC) $(CXW_CFLAGS) $(LDFLAGS) -o $@ $^ $(DEP_LIBS)

# main.o bakes in RULESDIR: rebuild it when RULESDIR (or PREFIX) changes.
build/rulesdir: FORCE | build
	@echo '$(RULESDIR)' | cmp -s - $@ || echo '$(RULESDIR)' >$@
build/main.o: build/rulesdir

build/%.o: src/%.c | build
	$(CC) $(CXW_CFLAGS) -MMD -MP -c -o $@ $<

build/tests/%: tests/unit/%.c $(LIB_OBJS) | build
	$(CC) $(CXW_CFLAGS) -Itests/unit -MMD -MP -o $@ $< $(LIB_OBJS) $(DEP_LIBS)

build:
	mkdir -p build/tests

unit: $(UNIT_BINS)

# deps: install what is missing (Debian); a no-op when all is there.
deps:
	@sh tests/deps.sh

demo: deps
	$(MAKE) all
	./cxwatch -r rules -s tests/data/sample/web.log tests/data/sample/support.log tests/data/sample/billing.log; \
	    st=$$?; [ $$st -le 1 ]

check: deps
	$(MAKE) all unit tests/bench/gen
	sh tests/run

tests/bench/gen: tests/bench/gen.c
	$(CC) -std=c11 -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) -o $@ $<

# bench: timings and memory on a generated day (tests/bench/run; knobs
# BENCH_LINES, BENCH_ROUNDS, BENCH_ACTIVE, BENCH_EVENTS, BENCH_CUSTOMERS,
# BENCH_DIR). The corpus is cached in build/bench.
bench: all tests/bench/gen build/bench-many
	@sh tests/bench/run

build/bench-many: tests/bench/many.c | build
	$(CC) -std=c11 -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) -o $@ $<

lint:
	mandoc -T lint -W warning man/cxwatch.1 man/cxwatch.rules.5

install: cxwatch
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(RULESDIR) $(DESTDIR)$(SHAREDIR)
	install -m 755 cxwatch $(DESTDIR)$(BINDIR)/cxwatch
	install -m 644 man/cxwatch.1 $(DESTDIR)$(MANDIR)/man1/cxwatch.1
	install -m 644 man/cxwatch.rules.5 $(DESTDIR)$(MANDIR)/man5/cxwatch.rules.5
	install -m 644 rules/*.rules $(DESTDIR)$(RULESDIR)/
	install -m 644 dist/cxwatch.service dist/logrotate.txt \
	    $(DESTDIR)$(SHAREDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cxwatch $(DESTDIR)$(MANDIR)/man1/cxwatch.1 \
	    $(DESTDIR)$(MANDIR)/man5/cxwatch.rules.5
	for f in rules/*.rules; do rm -f $(DESTDIR)$(RULESDIR)/$${f#rules/}; done
	rm -f $(DESTDIR)$(SHAREDIR)/cxwatch.service \
	    $(DESTDIR)$(SHAREDIR)/logrotate.txt
	-rmdir $(DESTDIR)$(RULESDIR) $(DESTDIR)$(SYSCONFDIR)/cxwatch \
	    $(DESTDIR)$(SHAREDIR)

clean:
	rm -rf build cxwatch tests/bench/gen

FORCE:
.PHONY: all unit deps demo check bench lint install uninstall clean FORCE
-include $(wildcard build/*.d build/tests/*.d)
