# cxwatch — plain GNU make. See README.md.
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= $(PREFIX)/etc
RULESDIR ?= $(SYSCONFDIR)/cxwatch/rules
SHAREDIR ?= $(PREFIX)/share/cxwatch
# The systemd unit's state directory (StateDirectory=, so under /var/lib).
STATEDIR ?= /var/lib/cxwatch
PKG_CONFIG ?= pkg-config
CC	?= cc
CFLAGS	?= -O2 -g

WARN	 = -Wall -Wextra -Wshadow -Wformat=2 -Wwrite-strings \
	   -Wstrict-prototypes -Wmissing-prototypes -Wno-format-nonliteral
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libpcre2-8 zlib libcrypto libhs 2>/dev/null) \
	      $(shell $(PKG_CONFIG) --cflags libnats 2>/dev/null)
DEP_LIBS   := -pthread -lm $(shell $(PKG_CONFIG) --libs libpcre2-8 zlib libcrypto libhs 2>/dev/null) \
	      $(shell $(PKG_CONFIG) --libs libev 2>/dev/null || echo -lev) \
	      $(shell $(PKG_CONFIG) --libs libnats 2>/dev/null || echo -lnats)
# CI=true (as .ci/run sets it) turns every warning into an error.
ifeq ($(CI),true)
WARN	+= -Werror
endif
CXW_CFLAGS  = -std=c11 -D_DEFAULT_SOURCE -pthread -Iinclude $(WARN) \
	      -DCXW_RULESDIR='"$(RULESDIR)"' $(DEP_CFLAGS) $(CFLAGS)

# B: the build directory. build/ holds the normal build (the binary is
# ./cxwatch); make check also builds the tree with the sanitizers in
# build-san/ and make fuzz with libFuzzer in build-fuzz/ (binary B/cxwatch).
B	?= build
ifeq ($(B),build)
BIN	:= cxwatch
else
BIN	:= $(B)/cxwatch
endif

# Every module except main.c; unit tests link against these.
LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(B)/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

# The fuzz targets (tests/fuzz/fuzz_NAME.c). Built with replay.c they are
# unit tests (B/tests/test_fuzz_NAME: self test and tests/fuzz/regress);
# built with libFuzzer (make fuzz) they fuzz.
FUZZ_NAMES := gzread lines rules state json logfmt redact
FUZZ_LIB := tests/fuzz/util.c tests/fuzz/json.c
# fuzz_json holds jsonl to jansson, a second JSON decoder (only there).
FUZZ_CFLAGS_json := $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
FUZZ_LIBS_json := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || \
		  echo -ljansson)
FUZZ_DEPS := $(FUZZ_LIB) tests/fuzz/fuzz.h $(wildcard include/*.h)
FUZZ_DEFS = -Itests/fuzz -DFUZZ_TOP='"$(CURDIR)"' -DFUZZ_NAME='"$*"'
FUZZ_REPLAY_BINS := $(FUZZ_NAMES:%=$(B)/tests/test_fuzz_%)

all: $(BIN)

$(BIN): $(B)/main.o $(LIB_OBJS)
	$(CC) $(CXW_CFLAGS) $(LDFLAGS) -o $@ $^ $(DEP_LIBS)

# main.o bakes in RULESDIR: rebuild it when RULESDIR (or PREFIX) changes.
$(B)/rulesdir: FORCE | $(B)
	@echo '$(RULESDIR)' | cmp -s - $@ || echo '$(RULESDIR)' >$@
$(B)/main.o: $(B)/rulesdir

$(B)/%.o: src/%.c | $(B)
	$(CC) $(CXW_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(LIB_OBJS) | $(B)
	$(CC) $(CXW_CFLAGS) -Itests/unit -MMD -MP -o $@ $< $(LIB_OBJS) $(DEP_LIBS)

$(B)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_DEPS) \
    $(LIB_OBJS) | $(B)
	$(CC) $(CXW_CFLAGS) $(FUZZ_DEFS) $(FUZZ_CFLAGS_$*) -o $@ $< \
	    tests/fuzz/replay.c $(FUZZ_LIB) $(LIB_OBJS) $(DEP_LIBS) \
	    $(FUZZ_LIBS_$*)

$(sort build $(B)):
	mkdir -p $@/tests

# Tools the e2e cases run beside cxwatch (tests/tools/NAME.c).
TOOL_BINS := $(B)/tests/jsonl-dump

$(B)/tests/jsonl-dump: tests/tools/jsonl-dump.c $(LIB_OBJS) | $(B)
	$(CC) $(CXW_CFLAGS) -MMD -MP -o $@ $< $(LIB_OBJS) $(DEP_LIBS)

unit: $(UNIT_BINS) $(FUZZ_REPLAY_BINS) $(TOOL_BINS)

# deps: install what is missing (Debian); a no-op when all is there.
deps:
	@sh tests/deps.sh

demo: deps
	$(MAKE) all
	./cxwatch -r rules -s tests/data/sample/web.log tests/data/sample/support.log tests/data/sample/billing.log; \
	    st=$$?; [ $$st -le 1 ]

# check: the suite on the normal build, then (CHECK_SAN=0 skips it) the
# whole suite again on build-san/, built with ASan and UBSan: unit tests,
# fuzz replays and e2e cases against build-san/cxwatch, and then the
# cases named *threads* against build-tsan/cxwatch, built with TSan. Any sanitizer
# report (ASan, leaks, UBSan) exits 97, a status neither cxwatch nor the
# tests use, and lands in the case's stderr (the runtimes share one
# exitcode flag; UBSAN_OPTIONS, read last, sets it for all). Each pass
# ends with its own "N passed, N failed" line; the sanitizer pass's is
# the last line.
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
SAN_ASAN = detect_leaks=1:halt_on_error=1:exitcode=97:strict_string_checks=1
SAN_ENV	= ASAN_OPTIONS=$(SAN_ASAN) \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=97
CHECK_SAN ?= 1
# TSan, for pool.c's threads (it cannot be combined with ASan).
TSAN_FLAGS = -O1 -g -fsanitize=thread -fno-omit-frame-pointer

check: deps
	$(MAKE) all unit tests/bench/gen
	sh tests/run
ifneq ($(CHECK_SAN),0)
	$(MAKE) B=build-san CFLAGS='$(SAN_FLAGS)' all unit
	@echo "sanitizer pass (build-san: ASan, UBSan; tests/san.skip):"
	@$(SAN_ENV) BUILD=build-san CXWATCH='$(CURDIR)/build-san/cxwatch' \
	    SKIP_LIST=tests/san.skip sh tests/run
	$(MAKE) B=build-tsan CC=$(FUZZ_CC) CFLAGS='$(TSAN_FLAGS)' all
	$(MAKE) B=build-tsan CC=$(FUZZ_CC) CFLAGS='$(TSAN_FLAGS)' \
	    build-tsan/tests/test_pool
	@echo "thread sanitizer pass (build-tsan: TSan; the cases that run" \
	    "worker threads):"
	@TSAN_OPTIONS=halt_on_error=1:exitcode=97 build-tsan/tests/test_pool
	@TSAN_OPTIONS=halt_on_error=1:exitcode=97 BUILD=build-tsan \
	    CXWATCH='$(CURDIR)/build-tsan/cxwatch' sh tests/run threads
endif

# check-fresh: make demo and make check on a fresh Debian 12 (a
# debootstrap --variant=minbase root with git, ca-certificates and make),
# in a clone of the current commit, under chroot (tests/check-fresh.sh;
# root only, else it says so and skips). Proves that make deps installs
# everything the suite uses. Last line "fresh: N passed, N failed".
check-fresh:
	@sh tests/check-fresh.sh

# valgrind: the e2e suite with cxwatch under valgrind (tests/valgrind.sh,
# which skips the cases tests/valgrind.skip names, with the reason).
valgrind: all
	@sh tests/valgrind.sh

# fuzz: build the libFuzzer targets in build-fuzz/ with clang (FUZZ_CC),
# ASan and UBSan, and run each for FUZZ_SECONDS from a work corpus that
# starts from seeds made of the shipped samples (tests/fuzz/run). Fails
# on any crash; the input is left in build-fuzz/crash/.
FUZZ_CC	?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	     -fno-sanitize-recover=all
FUZZ_BINS := $(FUZZ_NAMES:%=build-fuzz/fuzz_%)

fuzz: fuzz-build
	@sh tests/fuzz/run $(FUZZ_SECONDS)

# The clang build does not use -Werror (CI= ): gcc's -Werror build of the
# same files in make check is the warnings gate.
fuzz-build: deps all
	$(MAKE) B=build-fuzz CC='$(FUZZ_CC)' CI= \
	    CFLAGS='$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link' $(FUZZ_BINS)

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DEPS) $(LIB_OBJS) | $(B)
	$(CC) $(CXW_CFLAGS) $(FUZZ_DEFS) $(FUZZ_CFLAGS_$*) -fsanitize=fuzzer \
	    -o $@ $< $(FUZZ_LIB) $(LIB_OBJS) $(DEP_LIBS) $(FUZZ_LIBS_$*)

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

# make install writes the man pages and the systemd unit with the paths
# it installs to. Their sources name those of a default install (PREFIX
# /usr/local, STATEDIR /var/lib/cxwatch), so that they read right from the
# tree (man -l man/cxwatch.1); SUBST puts this install's paths in their
# place, in $(B)/gen.
SUBST	= sed -e 's|/usr/local/bin/cxwatch|$(BINDIR)/cxwatch|g' \
	      -e 's|/usr/local/etc/cxwatch/rules|$(RULESDIR)|g' \
	      -e 's|/usr/local/share/cxwatch|$(SHAREDIR)|g' \
	      -e 's|/usr/local/share/man|$(MANDIR)|g' \
	      -e 's|/var/lib/cxwatch|$(STATEDIR)|g' \
	      -e 's|^\(StateDirectory=\)cxwatch$$|\1$(STATEDIR:/var/lib/%=%)|'
GEN	:= $(B)/gen/cxwatch.1 $(B)/gen/cxwatch.rules.5 \
	   $(B)/gen/cxwatch.service

$(B)/gen/%: man/% FORCE | $(B)
	@mkdir -p $(@D)
	$(SUBST) $< >$@

$(B)/gen/cxwatch.service: dist/cxwatch.service FORCE | $(B)
	@case '$(STATEDIR)' in /var/lib/?*) ;; *) \
	    echo "STATEDIR=$(STATEDIR): the unit's StateDirectory=" \
		"must be under /var/lib" >&2; exit 1 ;; esac
	@mkdir -p $(@D)
	$(SUBST) $< >$@

# The shipped rules, and the rule packs under packs/ in the rules
# directory (not read unless enabled: cxwatch reads a directory's *.rules
# files, not its subdirectories), go in only where no file of that name is. One that is
# there and differs from ours (edited, or from an older release) is kept,
# and ours goes beside it as NAME.rules.dist, which cxwatch does not read;
# a .dist beside a file that is the shipped one again is removed.
install: $(BIN) $(GEN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(RULESDIR) $(DESTDIR)$(SHAREDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/cxwatch
	install -m 644 $(B)/gen/cxwatch.1 $(DESTDIR)$(MANDIR)/man1/cxwatch.1
	install -m 644 $(B)/gen/cxwatch.rules.5 \
	    $(DESTDIR)$(MANDIR)/man5/cxwatch.rules.5
	install -m 644 $(B)/gen/cxwatch.service dist/logrotate.txt \
	    $(DESTDIR)$(SHAREDIR)/
	@for f in rules/*.rules rules/packs/*/*.rules; do \
	    d='$(DESTDIR)$(RULESDIR)'/$${f#rules/}; \
	    install -d "$${d%/*}" || exit 1; \
	    if [ ! -e "$$d" ] && [ ! -L "$$d" ]; then \
		echo "install -m 644 $$f $$d"; install -m 644 "$$f" "$$d"; \
	    elif cmp -s "$$f" "$$d"; then \
		[ ! -e "$$d.dist" ] || { echo "rm -f $$d.dist"; rm -f "$$d.dist"; }; \
	    else \
		echo "kept $$d: it differs from the shipped $$f," \
		    "installed beside it as $${f#rules/}.dist"; \
		install -m 644 "$$f" "$$d.dist"; \
	    fi || exit 1; \
	done

# Removes what install put there: a rules file only while it is the
# shipped one (an edited one stays, and says so), and the .dist files.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cxwatch $(DESTDIR)$(MANDIR)/man1/cxwatch.1 \
	    $(DESTDIR)$(MANDIR)/man5/cxwatch.rules.5
	rm -f $(DESTDIR)$(SHAREDIR)/cxwatch.service \
	    $(DESTDIR)$(SHAREDIR)/logrotate.txt
	@for f in rules/*.rules rules/packs/*/*.rules; do \
	    d='$(DESTDIR)$(RULESDIR)'/$${f#rules/}; \
	    rm -f "$$d.dist" || exit 1; \
	    if cmp -s "$$f" "$$d"; then \
		echo "rm -f $$d"; rm -f "$$d" || exit 1; \
	    elif [ -e "$$d" ]; then \
		echo "kept $$d: it differs from the shipped $$f"; \
	    fi; \
	done
	@for p in rules/packs/*/; do p=$${p%/}; \
	    rmdir '$(DESTDIR)$(RULESDIR)'/$${p#rules/} 2>/dev/null || :; done
	@for d in $(DESTDIR)$(RULESDIR)/packs $(DESTDIR)$(RULESDIR) \
	    $(DESTDIR)$(SYSCONFDIR)/cxwatch \
	    $(DESTDIR)$(SHAREDIR); do rmdir "$$d" 2>/dev/null || :; done

clean:
	rm -rf build build-san build-tsan build-fuzz cxwatch tests/bench/gen

FORCE:
.PHONY: all unit deps demo check check-fresh valgrind fuzz fuzz-build bench \
	lint install uninstall clean FORCE
-include $(wildcard $(B)/*.d $(B)/tests/*.d)
