# Sourced by tests/e2e/packs/*: the rules corpus of the packs in
# rules/packs (README.md, Rule packs), as fail2ban's and sshguard's.
#
# tests/data/packs/PACK.corpus holds sample lines of the logs PACK reads,
# each right after one annotation of what cxwatch must make of it:
#
#   # cxJSON: {"source":"nginx","customer":"C1","time":"2026-11-21T10:03:11Z","rule":"nginx-server-error"}
#   203.0.113.7 - C1 [21/Nov/2026:10:03:11 +0000] "GET / HTTP/1.1" 500 ...
#
# An annotation is a JSON object whose members are compared, as JSON
# text, with the same top-level members of the object cxwatch -x -o json
# writes for the line. With "rule" the line is an event (status "event")
# and must also name its source, customer and time; a forgiving rule's
# line adds "forgives" (the detectors, as -x writes them), and a line
# without it must forgive nothing. Without "rule" the line is no event:
# "status" is required ("no rule", "unmatched", "anonymous", "no
# customer", "bad time", "unparsable") and the line must have no rule.
# Other lines starting with "#", and blank lines, are comments.
#
# corpus_check PACKDIR CORPUS: runs the pack on the corpus's samples,
# prints one line per sample that differs (CORPUS:LINE: what), adds to
# the counters below, and returns 1 if any differed.
corpus_packs=0 corpus_lines=0 corpus_events=0 corpus_noevents=0
corpus_check() {
	awk '
	/^# cxJSON: / { if (ann != "") bad(NR, "two annotations in a row")
		ann = substr($0, 11); annline = NR; next }
	/^#/ || /^$/ { next }
	{ if (ann == "") bad(NR, "a sample line without an annotation")
		n++; print > "corpus.samples"
		print n, annline, ann > "corpus.want"; ann = "" }
	END { if (ann != "") bad(annline, "an annotation without a line")
		if (n == 0) bad(0, "no sample lines"); exit err }
	function bad(l, what) { printf "%s:%d: %s\n", FILENAME, l, what; err = 1 }
	' "$2" || return 1
	"$CXWATCH" -x -o json -r "$1" corpus.samples >corpus.json 2>corpus.err
	[ -s corpus.err ] && { sed "s|^|$2: |" corpus.err; return 1; }
	awk -v corpus="${2##*/}" -v counts=corpus.counts '
	# The top-level members of the JSON object s, as m[name] = raw text.
	function jtop(s, m,    i, st, k) {
		split("", m); i = index(s, "{")
		if (i == 0) return 0
		for (i++; ; i++) {
			i = ws(s, i)
			if (substr(s, i, 1) != "\"") return 1
			st = i; i = strend(s, i); k = substr(s, st + 1, i - st - 2)
			i = ws(s, i) + 1; i = ws(s, i); st = i; i = valend(s, i)
			m[k] = substr(s, st, i - st); i = ws(s, i)
			if (substr(s, i, 1) != ",") return 1
		}
	}
	function ws(s, i) { while (index(" \t", substr(s, i, 1)) && i <= length(s)) i++; return i }
	function strend(s, i,    c) {
		for (i++; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c == "\\") i++
			else if (c == "\"") return i + 1
		}
		return i
	}
	function valend(s, i,    c, d) {
		c = substr(s, i, 1)
		if (c == "\"") return strend(s, i)
		if (c == "{" || c == "[") {
			for (d = 0; i <= length(s); i++) {
				c = substr(s, i, 1)
				if (c == "\"") { i = strend(s, i) - 1; continue }
				if (c == "{" || c == "[") d++
				else if ((c == "}" || c == "]") && --d == 0) return i + 1
			}
			return i
		}
		while (i <= length(s) && !index(",}] \t", substr(s, i, 1))) i++
		return i
	}
	function say(what) { printf "%s:%d: %s\n", corpus, annline[n], what; err = 1 }
	FILENAME == "corpus.want" {
		k = $1 + 0; annline[k] = $2; nwant = k
		sub(/^[0-9]+ [0-9]+ /, ""); want[k] = $0; next
	}
	{ if (!jtop($0, got) || got["type"] != "\"line\"") next
		n = got["line"] + 0; seen[n]++
		if (!jtop(want[n], w)) { say("annotation is not a JSON object"); next }
		if ("rule" in w) {
			events++; w["status"] = "\"event\""
			for (k in req) if (!(k in w)) say("annotation has no " k)
			if (!("forgives" in w) && ("forgives" in got))
				say("forgives " got["forgives"] ", want nothing")
		} else {
			noevents++
			if (!("status" in w)) say("annotation has neither rule nor status")
			if ("rule" in got)
				say("rule " got["rule"] ", want no event (" w["status"] ")")
		}
		for (k in w)
			if (!(k in got)) say(k " absent, want " w[k])
			else if (got[k] != w[k]) say(k " " got[k] ", want " w[k])
	}
	BEGIN { req["source"]; req["customer"]; req["time"] }
	END {
		for (n = 1; n <= nwant; n++)
			if (seen[n] != 1) say("cxwatch -x wrote " seen[n]+0 " objects for it")
		print nwant, events, noevents > counts
		exit err
	}' corpus.want corpus.json || return 1
	read -r l e ne <corpus.counts
	corpus_packs=$((corpus_packs + 1)) corpus_lines=$((corpus_lines + l))
	corpus_events=$((corpus_events + e))
	corpus_noevents=$((corpus_noevents + ne))
}
