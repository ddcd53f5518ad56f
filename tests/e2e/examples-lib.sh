# Sourced by the cases that run the documentation's examples as they are
# written, read from the files themselves, against the built binary:
# cli/examples.sh (the man pages' EXAMPLES) and cli/readme-examples.sh.
#
# ex_extract FILE prints one example a line, KIND<tab>WHERE<tab>TEXT:
#   cmd    a command: a line of a README ```sh block (continuations joined,
#          comment lines left out), a "$ " line of a README ``` block or of
#          a literal display in a man page's EXAMPLES;
#   cron   a crontab line in one of those (five time fields, a command);
#   rules  a README ```ini block, or a display in EXAMPLES that starts
#          with "[": TEXT is the file it was written to.
# WHERE is the README's heading or the man page and its section.
# ex_skip ERE REASON: examples whose text matches ERE (the first that
# does) are not run; they are listed with the reason, and a pattern no
# example matches is reported.
# ex_all FILE runs every example of FILE and prints what each did.
#
# Each runs in a directory of its own, under sh -c, on a root of its own:
#   - /var/... and /usr/local/bin/... (the --exec program) are under that
#     root; /usr/local/etc/cxwatch/rules, the installed rules, is the
#     tree's rules/, which is also what cxwatch finds without -r
#     ($CXWATCH_RULES); an example that names any other absolute path
#     (but /dev/...) is not run, and the path is reported as not one a
#     default install makes;
#   - cxwatch runs $CXWATCH; a command that starts with ./ (./cxwatch)
#     runs in the source tree: ./cxwatch, ./rules and tests/data/sample
#     are the tree's; less is cat (no one reads a pager here), and tail's
#     own messages on stderr are dropped;
#   - each input it names that does not exist (a glob: with "events" for
#     the "*") is made from the sample day of its channel, found in its
#     path (access, nginx, web; helpdesk, support; billing), compressed
#     when it ends in .gz; a missing -r file is the last rules example;
#   - the --exec program records its arguments, environment and input;
#   - a --pseudonymize key that does not exist is made: the bytes 0 to
#     31, mode 600;
#   - with -f, or tail -F in a pipe, it runs in the background: the files
#     it follows start empty, and once they are open the sample day of
#     the first one replaces it (a rotation, read from the start); when
#     as many alerts as a batch run over that day gives have come out,
#     cxwatch gets SIGTERM (as from systemctl stop), or, in a pipe from
#     tail, tail and cxwatch get SIGINT (as from ^C).
# What is printed: the exit status; for stdout, stderr and each file it
# wrote under the root, the text alerts (customers, evidence lines), the
# JSON (which must parse: alerts by customer), -x lines, -t, -s and
# --report summaries, and any other line as it is.
. "$TOP/tests/e2e/lib.sh"
need_tool jq
[ -d /proc/self/fd ] || { echo "no /proc/PID/fd" >&2; exit 77; }

EXD=$(pwd -P)
EX_REAL_TAIL=$(command -v tail)
export CXWATCH_RULES="$TOP/rules" EX_PIDS="$EXD/pids" EX_REAL_TAIL
mkdir -p "$EXD/bin"
printf '#!/bin/sh\necho $$ >>"$EX_PIDS.cxwatch"\nexec "$CXWATCH" "$@"\n' \
    >"$EXD/bin/cxwatch"
printf '#!/bin/sh\necho $$ >>"$EX_PIDS.tail"\n%s\n' \
    'exec "$EX_REAL_TAIL" "$@" 2>/dev/null' >"$EXD/bin/tail"
printf '#!/bin/sh\nexec cat "$@"\n' >"$EXD/bin/less"
chmod +x "$EXD/bin/cxwatch" "$EXD/bin/tail" "$EXD/bin/less"
PATH=$EXD/bin:$PATH
ex_n=0 ex_skips= ex_rules=

ex_extract() {
	case $1 in
	*.md) ex_extract_md "$1" ;;
	*) ex_extract_man "$1" ;;
	esac
}

# Lines of a block: commands ("$ " lines unless sh), cron lines, rules.
EX_AWK_BLOCK='
function emit(kind, text) { printf "%s\t%s\t%s\n", kind, where, text }
function line(s) {
	if (acc != "") { s = acc s; acc = "" }
	if (s ~ /\\$/) { acc = substr(s, 1, length(s) - 1); return }
	if (lang == "sh") {
		sub(/^[ \t]+/, "", s)
		if (s != "" && s !~ /^#/) emit("cmd", s)
	} else if (s ~ /^\$ /) {
		emit("cmd", substr(s, 3))
	} else if (s ~ "^" f " " f " " f " " f " " f " ") {
		emit("cron", s)
	}
}
BEGIN { f = "[0-9*/,-]+" }	# a crontab time field (mawk has no {5})
function rules_start() {
	nr++; rfile = dir "/example-" nr ".rules"; printf "" >rfile
}
function rules_line(s) { print s >>rfile }
function rules_end() { close(rfile); emit("rules", rfile) }
'

ex_extract_md() {
	awk -v dir="$EXD" "$EX_AWK_BLOCK"'
	/^```/ && !inb {
		inb = 1; lang = substr($0, 4)
		if (lang == "ini") rules_start()
		next
	}
	/^```/ && inb {
		if (lang == "ini") rules_end()
		inb = 0; acc = ""; next
	}
	inb && lang == "ini" { rules_line($0); next }
	inb && (lang == "sh" || lang == "") { line($0); next }
	!inb && /^#+ / { where = $0; sub(/^#+ /, "README: ", where) }
	' "$1"
}

ex_extract_man() {
	awk -v dir="$EXD" -v page="${1##*/}" "$EX_AWK_BLOCK"'
	/^\.Sh / { ex = ($2 == "EXAMPLES"); where = page " " $2; next }
	!ex { next }
	/^\.Bd -literal/ { inb = 1; first = 1; isr = 0; next }
	/^\.Ed/ && inb { if (isr) rules_end(); inb = 0; acc = ""; next }
	!inb || /^\./ { next }
	{
		s = $0
		gsub(/\\&/, "", s); gsub(/\\-/, "-", s)
		gsub(/\\\(aq/, "\047", s)
		gsub(/\\e/, "\\", s)
		if (first && s ~ /^\[/) { isr = 1; rules_start() }
		first = 0
		if (isr) rules_line(s); else line(s)
	}
	' "$1"
}

ex_skip() { ex_skips="$ex_skips$1	$2
"; }

ex_all() {
	ex_extract "$1" >"$EXD/examples" || exit 1
	lastwhere= k=0
	while IFS='	' read -r kind where text; do
		[ "$where" = "$lastwhere" ] || k=0
		lastwhere=$where k=$((k + 1))
		ex_run "$kind" "$where #$k" "$text" </dev/null
	done <"$EXD/examples"
	printf '%s' "$ex_skips" | while IFS='	' read -r re why; do
		cut -f 3 "$EXD/examples" | grep -Eq -e "$re" ||
		    echo "skip list: /$re/ matches no example of $1"
	done
}

ex_channel() {
	case $1 in
	*access*|*nginx*|*web*) echo web ;;
	*helpdesk*|*support*) echo support ;;
	*billing*) echo billing ;;
	esac
}

# Make input $1 (cwd-relative or mapped) from its channel's sample day;
# empty when $2 is "empty".
ex_input() {
	c=$(ex_channel "$1")
	[ -n "$c" ] || { echo "  no sample day for $1"; return; }
	mkdir -p "$(dirname "$1")"
	if [ "${2:-}" = empty ]; then
		: >"$1"
	else
		case $1 in
		*.gz) gzip -c "$TOP/tests/data/sample/$c.log" >"$1" ;;
		*) cp "$TOP/tests/data/sample/$c.log" "$1" ;;
		esac
	fi
	echo "$1" >>"$EX_PIDS.made"
}

# Map one command's system paths onto the root $R and the tree.
ex_map() {
	printf '%s\n' "$1" | sed -E \
	    -e "s#(^|[ =<>])/usr/local/etc/cxwatch/rules#\\1$TOP/rules#g" \
	    -e "s#(^|[ =<>])/usr/local/bin/cxwatch#\\1cxwatch#g" \
	    -e "s#(^|[ =<>])/(var|usr/local/bin)/#\\1$R/\\2/#g"
}

# Absolute paths in the mapped command $1 outside the case's directory
# and the tree (and /dev), one a line: the example is not run, so that it
# writes nothing outside.
ex_outside() {
	set -f
	for w in $1; do
		case $w in \#*) break ;; esac
		w=${w#<} w=${w#>} w=${w#>}
		case $w in [a-z]*=/*) w=${w#*=} ;; esac
		case $w in
		"$EXD"/*|"$TOP"/*|/dev/*) ;;
		/*) printf '%s\n' "$w" ;;
		esac
	done
	set +f
}

# Prepare what the mapped command $1 names: inputs, directories, rules,
# the --exec program. Sets ex_live and ex_follows.
ex_prepare() {
	ex_live= ex_follows= prev=
	case " $1 " in
	*" -f "*|*" --follow "*|*"tail -F "*|*"tail -f "*) ex_live=yes ;;
	esac
	set -f
	for w in $1; do
		p=$prev prev=$w
		case $w in \#*) break ;; esac
		case $p in
		-r|--rules)
			[ -e "$w" ] && continue
			if [ -n "$ex_rules" ]; then
				cp "$ex_rules" "$w"
				echo "  $w: the rules example before it"
			fi
			continue ;;
		--exec)
			ex_recorder "$w"
			continue ;;
		--pseudonymize)
			# A fixed key (bytes 0 to 31), so that the
			# pseudonyms are the same on every run.
			[ -e "$w" ] && continue
			mkdir -p "$(dirname "$w")"
			printf "$(printf '\\%03o' $(seq 0 31))" >"$w"
			chmod 600 "$w"
			echo "  --pseudonymize: a key of the bytes 0 to 31"
			continue ;;
		--state|--report|">"|">>")
			mkdir -p "$(dirname "$w")"; continue ;;
		esac
		case $w in -*) continue ;; esac
		w=${w#<}
		case $w in
		">"*) mkdir -p "$(dirname "${w#>}")"; continue ;;
		esac
		case $w in [a-z]*=*) w=${w#*=} ;; esac
		case $w in *.log|*.log.*|*.log\*|*.gz) ;; *) continue ;; esac
		set +f
		# shellcheck disable=SC2086
		ex_exists $w && { set -f; continue; }
		set -f
		w=$(printf '%s\n' "$w" | sed 's/\*/events/g')
		[ -e "$w" ] && continue
		if [ -n "$ex_live" ]; then
			ex_input "$w" empty
			case $w in /*) ;; *) w=$W/$w ;; esac
			ex_follows="$ex_follows $w"
		else
			ex_input "$w"
		fi
	done
	set +f
}

ex_exists() { [ -e "$1" ]; }

# The --exec program at $1: one file per run, written whole.
ex_recorder() {
	mkdir -p "$(dirname "$1")" || return
	cat >"$1" <<EOF
#!/bin/sh
f=$W/exec.\$\$
{ echo "args:\$(printf ' %s' "\$@")"; echo "CX_CUSTOMER=\$CX_CUSTOMER"
  cat; } >"\$f.tmp" && mv "\$f.tmp" "\$f.run"
EOF
	chmod +x "$1"
	echo "$1" >>"$EX_PIDS.made"
}

# Alerts so far: text alert lines, JSON lines, --exec runs.
ex_count() {
	cat out "$W"/exec.*.run 2>/dev/null | grep -c -e '^[^ ]* ALERT ' -e '^{'
}

# pid $1 has every file of ex_follows open (Linux /proc).
ex_has_open() {
	for f in $ex_follows; do
		found=
		for fd in /proc/"$1"/fd/*; do
			[ "$(readlink "$fd" 2>/dev/null)" = "$f" ] && found=1
		done
		[ -n "$found" ] || return 1
	done
}

ex_run_live() {
	feed=${ex_follows# } feed=${feed%% *} c=$(ex_channel "$feed")
	want=$("$CXWATCH" "$TOP/tests/data/sample/$c.log" | grep -c ' ALERT ')
	case $text in
	*"tail -F "*|*"tail -f "*) who=tail ;;
	*) who=cxwatch ;;
	esac
	sh -c "$text" >out 2>err &
	job=$!
	wait_for 300 "[ -s '$EX_PIDS.$who' ]" || echo "  $who did not start"
	pid=$(head -n 1 "$EX_PIDS.$who" 2>/dev/null)
	wait_for 300 "ex_has_open '$pid'" ||
	    echo "  $who did not open$ex_follows"
	cp "$TOP/tests/data/sample/$c.log" "$feed.new" && mv "$feed.new" "$feed"
	wait_for 300 "[ \$(ex_count) -ge $want ]" ||
	    echo "  $(ex_count) of the $want alerts within 30 s"
	if [ "$who" = tail ]; then
		# As ^C does: SIGINT to the pipeline.
		sig=INT what="tail and cxwatch"
		pids="$pid $(cat "$EX_PIDS.cxwatch")"
	else
		sig=TERM pids=$pid what=cxwatch
	fi
	kill -"$sig" $pids 2>/dev/null
	wait "$job"
	st=$?
	echo "  the sample $c day replaced ${feed#"$R"}; $want alerts due," \
	    "then SIG$sig to $what"
	return $st
}

ex_run() {
	kind=$1 where=$2 text=$3
	echo "== $where: $kind"
	printf '%s' "$ex_skips" | while IFS='	' read -r re why; do
		printf '%s\n' "$text" | grep -Eq -e "$re" || continue
		echo "  not run: $text"
		echo "  ($why)"
		echo skip >"$EXD/skipped"
		break
	done
	if [ -f "$EXD/skipped" ]; then
		rm -f "$EXD/skipped"
		return
	fi
	ex_n=$((ex_n + 1))
	W=$EXD/ex$ex_n R=$W/root
	mkdir -p "$W/tests/data" "$R" && cd "$W" || exit 1
	case $text in
	./*)	ln -s "$TOP/rules" rules
		ln -s "$TOP/tests/data/sample" tests/data/sample
		ln -s "$EXD/bin/cxwatch" cxwatch ;;
	esac
	EX_PIDS=$W/pids
	: >"$EX_PIDS.made"
	case $kind in
	rules)
		# A fragment without sources goes with the installed rules.
		if grep -q '^\[source' "$3"; then
			text="cxwatch -t -r $text"
		else
			text="cxwatch -t -r /usr/local/etc/cxwatch/rules -r $text"
		fi
		ex_rules=$3 ;;
	cron)
		text=$(printf '%s\n' "$text" | sed -E 's/^([^ ]+ ){5}//') ;;
	esac
	text=$(ex_map "$text")
	bad=$(ex_outside "$text")
	if [ -n "$bad" ]; then
		printf '%s\n' "$bad" |
		    sed 's/.*/  not run: & is not a path a default install makes/'
		cd "$EXD" || exit 1
		return
	fi
	ex_prepare "$text"
	if [ -n "$ex_live" ]; then
		ex_run_live
	else
		timeout 60 sh -c "$text" >out 2>err
	fi
	echo "  exit $?"
	ex_summary stdout out
	ex_summary stderr err
	find "$R" -type f | sort | while read -r f; do
		grep -qxF "$f" "$EX_PIDS.made" && continue
		case $f in
		*.json|*.log|*.txt) ex_summary "wrote ${f#"$R"}" "$f" ;;
		*) echo "  wrote ${f#"$R"}" ;;
		esac
	done
	for f in "$W"/exec.*.run; do
		[ -f "$f" ] || continue
		sed -n 1,2p "$f" | sed 's/^/  exec: /'
		sed 1,2d "$f" >"$f.json"
		ex_summary "exec: stdin" "$f.json"
	done | sort | uniq -c | sed 's/^ *\([0-9]*\) \(.*\)/\2 (x\1)/'
	cd "$EXD" || exit 1
}

# What stream $2 (named $1) holds, in a few lines.
ex_summary() {
	sed -e "s|$R||g" -e "s|$W/||g" -e "s|$EXD/||g" -e "s|$TOP|\$TOP|g" "$2" >"$2.n"
	if [ ! -s "$2.n" ]; then
		echo "  $1: empty"
		return
	fi
	grep -E '^[{"[]' "$2.n" >"$2.json"
	if [ -s "$2.json" ]; then
		if jq -e . "$2.json" >/dev/null 2>&1; then
			jq -r 'if type == "object" and has("customer")
			    then "JSON alert " + .customer
			    else "JSON " + type + " " + tojson end' \
			    "$2.json" | awk -v s="$1" '
			    { k = $1 " " $2; n[k]++; v[k] = v[k] " " $3
			      if (!(k in o)) o[k] = ++no }
			    END { for (k in o) ord[o[k]] = k
			      for (i = 1; i <= no; i++)
				printf "  %s: %s (%d):%s\n", s, ord[i],
				    n[ord[i]], v[ord[i]] }'
		else
			echo "  $1: JSON that does not parse"
		fi
	fi
	awk -v s="$1" '
	function out(t) { printf "  %s: %s\n", s, t }
	/^[{"[]/ { next }
	/^cxwatch: stats$/ { mode = "stats"; next }
	/^cxwatch report$/ { mode = "report"; next }
	mode == "stats" && /^  / {
		if ($1 == "alerts") stats = $2
		nstats++; next }
	mode == "report" { if (/^alerts: /) report = $0; nrep++; next }
	/^[^ ]+ ALERT / { na++; ids = ids " " $3; ev = 1; next }
	ev && /^  =>/ { ev = 0 }
	ev && /^  / { nev++; next }
	{ ev = 0 }
	/^  => / { nx_alert++; next }
	/^[^ :]+:[0-9]+: / {
		nx++
		if (/ rule=/ && !firstrule) firstrule = substr($0, 1, 110)
		next }
	/^(settings|detector [^ ]+|source [^ ]+|rule [^ ]+): / { next }
	/^ok: / { tok = $0; next }
	{ if (nother++ < 5) out($0) }
	END {
		if (na) out("alerts (" na "):" ids "; evidence lines " nev + 0)
		if (nx) out("-x lines " nx ", with an alert (=>) " nx_alert + 0)
		if (firstrule) out("first with a rule: " firstrule)
		if (tok) out("-t: " tok)
		if (nstats) out("-s: alerts " stats)
		if (nrep) out("--report: " report)
		if (nother > 5) out("and " nother - 5 " more lines")
	}' "$2.n"
}
