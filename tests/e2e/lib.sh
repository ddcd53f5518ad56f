# Sourced by the e2e cases: cx runs the built binary with the e2e rules;
# st prints the exit status of the last command in a golden-friendly way.
cx() { "$CXWATCH" -r "$TOP/tests/data/e2e.rules" "$@"; }
st() { echo "exit $?"; }
# A deadline instead of a sleep: wait up to $1 tenths of a second for $2.
wait_for() {
	n=0
	while ! eval "$2"; do
		n=$((n + 1)); [ "$n" -ge "$1" ] && return 1; sleep 0.1
	done
}
# Wait until process $1 catches signal number $2 (Linux /proc): sent any
# sooner, SIGUSR1 or SIGHUP would kill it. (SIGUSR1 is 10, SIGHUP 1.)
catches() {
	wait_for 100 "m=\$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$1/status 2>/dev/null) && [ \$(( (0x\$m >> ($2 - 1)) & 1 )) -eq 1 ]" ||
	    echo "process $1 does not catch signal $2 within 10 s"
}
# Has process $1 ended (gone, or a zombie not yet waited for)?
ended() {
	! [ -e "/proc/$1" ] ||
	    [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" = Z ]
}
# Wait up to $2 tenths of a second for process $1 to end; if it has not,
# say so and kill it. Then wait for it; its exit status is in $ended.
ends_within() {
	if ! wait_for "$2" "ended $1"; then
		echo "still running after $(($2 / 10)) s"
		kill -KILL "$1"
	fi
	wait "$1"
	ended=$?
}
# A reader that holds FIFO $1 open and reads nothing until it holds $2
# bytes or more (then it makes the file "full"); hold_count then reads all
# the rest and sets $held to how many complete ALERT lines came. Linux
# FIONREAD.
hold() {
	cat >hold.pl <<'P'
$SIG{USR1} = sub { $drain = 1 };
my $n = pack("L", 0);
until ($drain) {
	ioctl(STDIN, 0x541B, $n) or die "FIONREAD: $!";
	if (!$full && unpack("L", $n) >= $ARGV[0]) {
		open(F, ">full") and close(F);
		$full = 1;
	}
	select(undef, undef, undef, 0.02);
}
my $c = 0;
while (<STDIN>) { $c++ if /ALERT/ && /\n$/; }
print "$c\n";
P
	perl hold.pl "$2" <"$1" >held &
	hpid=$!
}
hold_count() { kill -USR1 "$hpid"; wait "$hpid"; held=$(cat held); }
# A case that cannot run here exits 77 with the reason as the last line
# of stderr (tests/run). need_tool TOOL...: skip unless every TOOL (a
# command, or an absolute path) is there; tests/run counts such a skip
# as a failure, as tests/deps.sh installs them all. need_shared PATH:
# skip unless $SHARED/PATH exists (../shared beside the checkout, absent
# in a clean clone, or SHARED=DIR).
need_tool() {
	for t; do
		case $t in /*) [ -x "$t" ] ;; *) command -v "$t" >/dev/null ;; esac ||
		    { echo "missing tool: $t is not installed" \
		    "(make deps installs it: tests/deps.sh)" >&2; exit 77; }
	done
}
need_shared() {
	[ -n "${SHARED:-}" ] && [ -e "$SHARED/$1" ] && return
	if [ -z "${SHARED:-}" ]; then
		echo "no data: ../shared is absent, as in a clean clone" \
		    "(SHARED=DIR make check runs this case on a copy with" \
		    "DIR/$1; README.md, Tests)" >&2
	else
		echo "no data: $SHARED/$1 is absent (SHARED=DIR make check" \
		    "runs this case on a copy with DIR/$1; README.md, Tests)" >&2
	fi
	exit 77
}

# inc_rules DIR CUSTOMERS WINDOW COOLDOWN: the shipped rules in DIR with
# their [incident] set to these values, so that the sample day opens
# many incidents (the shipped values open one, the planted outage's).
inc_rules() {
	mkdir -p "$1" && cp "$TOP"/rules/*.rules "$1"/ &&
	    awk -v c="$2" -v w="$3" -v d="$4" '
		/^\[/ { inc = $0 == "[incident]" }
		inc && /^customers[ \t]*=/ { $0 = "customers = " c }
		inc && /^window[ \t]*=/ { $0 = "window = " w }
		inc && /^cooldown[ \t]*=/ { $0 = "cooldown = " d }
		{ print }' "$TOP/rules/00-settings.rules" >"$1/00-settings.rules" ||
	    { echo "inc_rules: cannot make $1" >&2; exit 2; }
}
