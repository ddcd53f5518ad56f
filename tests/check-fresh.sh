#!/bin/sh
# make check-fresh: the README's two commands on a fresh Debian 12. Builds
# a minimal root (debootstrap --variant=minbase bookworm, plus only git,
# ca-certificates and make, from the mirror this machine's apt uses),
# clones the current commit into /root/cxwatch there (uncommitted changes
# are not in it; ../shared is absent, as in any clean clone), and runs
# "make demo", then "make check" in it under chroot, with STRICT_SKIPS=1:
# a case may skip there only for the ../shared data (see tests/run).
# Prints the time each step took; last line "fresh: N passed, N failed"
# over both passes of make check. Exit 0 when both commands succeed.
#
# Runs as root (debootstrap, mount, chroot); installs debootstrap with
# apt-get when it is missing. Where neither can be had it says why and
# exits 0 without checking: that is the only skip.
#
# The root lives in build/fresh.XXXXXX and is removed at the end, also on
# failure or interrupt; the run's output is kept in build/check-fresh.log.
# debootstrap and the run in the root, with its mounts (/proc, /sys,
# /dev, /dev/pts, /dev/shm), work in a mount and PID namespace of their
# own (unshare), so the mounts and every process go away with them,
# whatever happens; the root is removed only once nothing is mounted
# under it.
#
# The base root (debootstrap's output, before anything ran in it) is
# cached as a tarball in FRESH_CACHE (default /var/cache/cxwatch-fresh;
# empty: no cache) for 7 days, keyed by suite, mirror, packages and
# architecture. Each run unpacks it anew, so what one run installed is
# never in the next: make check installs the project's packages itself.
# FRESH_MIRROR overrides the mirror.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
suite=bookworm
include=git,ca-certificates,make
say() { echo "check-fresh: $*" >&2; }
die() { say "$*"; exit 2; }

# The mirror apt uses for $suite: a deb822 .sources stanza, else a
# one-line "deb" entry.
fresh_mirror() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v s="$suite" '
		function flush() {
			if (deb && on && suites ~ ("(^| )" s "( |$)") && uri != "")
				print uri
			deb = 0; on = 1; suites = ""; uri = ""
		}
		BEGIN { on = 1 }
		/^[ \t]*$/ { flush(); next }
		/^#/ { next }
		tolower($1) == "types:" && / deb( |$)/ { deb = 1 }
		tolower($1) == "enabled:" && tolower($2) == "no" { on = 0 }
		tolower($1) == "suites:" { $1 = ""; suites = $0 " " }
		tolower($1) == "uris:" { uri = $2 }
		END { flush() }' "$f"
	done
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
	    awk -v s="$suite" '{ sub(/\[[^]]*\]/, ""); $0 = $0 }
	    $1 == "deb" && $3 == s { print $2 }'
}

# The namespace side: mount what the tests need, then the two commands
# under chroot in a clean environment. $1 the root.
fresh_inside() {
	r=$1
	mount -t proc proc "$r/proc" &&
	    mount -t sysfs sysfs "$r/sys" &&
	    mount --bind /dev "$r/dev" &&
	    mount --bind /dev/pts "$r/dev/pts" &&
	    mount -t tmpfs -o mode=1777 tmpfs "$r/dev/shm" ||
	    { echo "check-fresh: cannot mount in $r" >&2; exit 2; }
	exec chroot "$r" /usr/bin/env -i HOME=/root TERM=dumb \
	    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	    STRICT_SKIPS=1 /bin/sh -c '
	t() { date +%s; }
	cd /root && git clone -q -c advice.detachedHead=false \
	    cxwatch.bundle cxwatch && cd cxwatch || exit 2
	echo "check-fresh: commit $(git log -1 --format="%h %s")"
	echo "check-fresh: missing before make demo: $(sh tests/deps.sh -n)"
	t0=$(t); make demo; st=$?
	echo "check-fresh: make demo: exit $st, $(($(t) - t0)) s"
	[ "$st" -eq 0 ] || exit 1
	t0=$(t); make check; st=$?
	echo "check-fresh: make check: exit $st, $(($(t) - t0)) s"
	exit "$st"'
}

[ "${1:-}" = --inside ] && fresh_inside "$2"

[ "$(id -u)" -eq 0 ] || {
	say "skipped: needs root for debootstrap, mount and chroot" \
	    "(run it as root)"; exit 0; }
if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq debootstrap >/dev/null; } ||
	    { say "skipped: debootstrap is not installed and apt-get" \
	    "could not install it"; exit 0; }
fi
for c in chroot unshare mount git tar; do
	command -v $c >/dev/null || die "$c is not installed"
done
mirror=${FRESH_MIRROR:-$(fresh_mirror | head -n 1)}
[ -n "$mirror" ] || die "no \"$suite\" mirror in /etc/apt/sources.list" \
    "or /etc/apt/sources.list.d/ (set FRESH_MIRROR=URL)"
rev=$(git -C "$top" rev-parse HEAD) || die "$top is not a git checkout"
[ -z "$(git -C "$top" status --porcelain --untracked-files=no)" ] ||
    say "note: uncommitted changes are not checked, only $rev"

mkdir -p "$top/build" || exit 2
work=$(mktemp -d "$top/build/fresh.XXXXXX") || exit 2
root=$work/root
pid= log=$work/log
: >"$log"
# Remove the root, but never through a mount: the namespace's mounts
# are not visible here, so anything mounted under it is someone else's.
# unshare ignores SIGTERM and SIGINT while it waits: SIGKILL it, and
# --kill-child kills its child, PID 1 of the namespace, and so every
# process in it; the mounts go with the last of them.
fresh_clean() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null && wait "$pid"
	if awk -v w="$work/" 'index($5 "/", w) == 1 { f = 1 } END { exit !f }' \
	    /proc/self/mountinfo; then
		say "$work has mounts: left as it is"
		return
	fi
	rm -rf --one-file-system "$work"
}
# Run a command in a mount and PID namespace of its own, output to $1,
# in the background so that the traps run at once; return its status.
fresh_run() {
	out=$1; shift
	unshare --mount --propagation private --pid --fork --kill-child \
	    "$@" >"$out" 2>&1 </dev/null &
	pid=$!
	if [ "$out" = "$log" ]; then
		tail -n +1 -f --pid="$pid" "$log" &
	fi
	wait "$pid"
	rc=$?
	pid=
	wait
	return "$rc"
}
trap 'fresh_clean' EXIT
trap 'say "interrupted"; exit 130' INT HUP
trap 'say "terminated"; exit 143' TERM

arch=$(dpkg --print-architecture)
key=$(printf '%s\n' "$suite" "$mirror" "$include" "$arch" minbase \
    "$(debootstrap --version)" | cksum | cut -d ' ' -f 1)
cache=${FRESH_CACHE-/var/cache/cxwatch-fresh}
tarball=${cache:+$cache/$suite-$arch-$key.tar.gz}
t0=$(date +%s)
if [ -n "$tarball" ] && [ -f "$tarball" ] &&
    [ -z "$(find "$tarball" -mtime +7)" ]; then
	mkdir "$root" && tar -C "$root" -xzf "$tarball" ||
	    die "cannot unpack $tarball"
	say "base root: $tarball (cached), $(($(date +%s) - t0)) s"
else
	say "debootstrap --variant=minbase --include=$include $suite $mirror"
	fresh_run "$work/debootstrap.log" debootstrap --variant=minbase \
	    --include="$include" "$suite" "$root" "$mirror" || {
		tail -n 20 "$work/debootstrap.log" >&2
		die "debootstrap failed"; }
	say "debootstrap: $(($(date +%s) - t0)) s"
	if [ -n "$tarball" ] && mkdir -p "$cache"; then
		find "$cache" -name "$suite-*.tar.gz" -delete
		tar -C "$root" -czf "$tarball.$$" . &&
		    mv "$tarball.$$" "$tarball" ||
		    { rm -f "$tarball.$$"; say "cannot cache the root"; }
	fi
fi
cp /etc/resolv.conf "$root/etc/resolv.conf" || exit 2
git -C "$top" bundle create -q "$root/root/cxwatch.bundle" HEAD ||
    die "cannot bundle $rev"

t0=$(date +%s)
fresh_run "$log" sh "$0" --inside "$root"
st=$?
cp "$log" "$top/build/check-fresh.log"
say "in the root: $(($(date +%s) - t0)) s in all, exit $st" \
    "(log: build/check-fresh.log)"
grep -E '^check-fresh: make (demo|check):' "$log" >&2
awk '/^[0-9]+ passed, [0-9]+ failed/ {
	p += $1; f += $3; s += $5; n++ }
END {
	if (n == 0) { print "fresh: make check ran no test"; exit }
	printf "fresh: %d passed, %d failed", p, f
	if (s) printf ", %d skipped", s
	printf "\n" }' "$log"
exit "$st"
