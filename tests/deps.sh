#!/bin/sh
# Install cxwatch's build and test dependencies from Debian's packages when
# they are missing. Does nothing when everything is already there.
need=""
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
# clang and libclang-rt-dev (libFuzzer and clang's sanitizer runtimes):
# make fuzz; valgrind: make valgrind. gcc brings its own ASan and UBSan.
for p in gcc make pkg-config libpcre2-dev libev-dev zlib1g-dev libssl-dev mandoc \
    clang libclang-rt-dev valgrind; do
	have "$p" || need="$need $p"
done
[ -z "$need" ] && exit 0
echo "installing:$need" >&2
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
	command -v sudo >/dev/null || {
		echo "deps: need root (or sudo) to install:$need" >&2; exit 1; }
fi
$SUDO apt-get update -qq || exit 1
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null || exit 1
