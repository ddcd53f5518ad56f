#!/bin/sh
# make deps (and so make demo, make check, make fuzz): install cxwatch's
# build and test dependencies from Debian's packages when they are
# missing. Does nothing when everything is already there.
#
# Every command the suite runs that is not in every Debian system
# (Essential or Priority: required, as a debootstrap --variant=minbase
# root has them) is listed here, with what uses it; make check-fresh
# proves the list on such a root. A case that needs one of them says so
# with need_tool from tests/e2e/lib.sh, and tests/run counts its skip as a
# failure: this script could have installed it.
# deps.sh -n prints the missing packages and installs nothing.
need=""
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
# package	what uses it
while read -r p what; do
	case $p in ''|'#'*) continue ;; esac
	have "$p" || need="$need $p"
done <<'EOF'
gcc		cc: the build (with its ASan and UBSan runtimes: make check)
make		make; bench-smoke and install run make themselves
pkg-config	the Makefile finds PCRE2 and zlib with it
libpcre2-dev	PCRE2 with JIT
libev-dev	libev (-lev: no .pc file on Debian)
zlib1g-dev	zlib
libssl-dev	libcrypto (OpenSSL): the read registry's fingerprints
libvectorscan-dev	Vectorscan: one scan for the literals of many rules' patterns
libnats-dev	libnats (NATS C client, JetStream): --emit and --consume
nats-server	a JetStream server on loopback: distributed/*
libjansson-dev	jansson: fuzz_json's second JSON decoder (make unit, make fuzz)
mandoc		make lint; cli/man-lint
clang		make fuzz (libFuzzer)
libclang-rt-dev	clang's libFuzzer and sanitizer runtimes
valgrind	make valgrind
time		/usr/bin/time: peak RSS in make bench and the memory cases
python3		JSON and syslog checks: badinput/*, samples/report, cli/syslog
gzip		gzip, zcat: the gzip cases, the fuzz seeds, make bench
bsdutils	script(1): a terminal for cli/progress
util-linux	prlimit(1): follow/many-files
bsdextrautils	col(1): cli/help-version reads the man page's SYNOPSIS
jq		the JSON of the examples (tests/e2e/examples-lib.sh)
systemd		systemd-analyze verify on the installed unit: cli/service-file
man-db		man(1): cli/service-file checks the unit's Documentation=
procps		/bin/kill, the unit's ExecReload (systemd-analyze checks it)
chromium	headless Chromium renders --report-format html: report/html-hostile
tidy		HTML Tidy checks that page: report/html-hostile
EOF
if [ "${1:-}" = -n ]; then
	echo "${need# }"; exit 0
fi
[ -z "$need" ] && exit 0
echo "installing:$need" >&2
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
	command -v sudo >/dev/null || {
		echo "deps: need root (or sudo) to install:$need" >&2; exit 1; }
fi
$SUDO apt-get update -qq || exit 1
# Another apt (an unattended upgrade) may hold the lock for a while.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    -o DPkg::Lock::Timeout=600 $need >/dev/null || exit 1
