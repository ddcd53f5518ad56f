# cxwatch.rules(5), semantics 14: with a key, the alerts and incidents
# are those of the run without one, at the same lines and in the same
# order, each id replaced by its pseudonym -- in the evidence lines too,
# where it is not part of a longer word (sed's \b here, a second
# implementation of the Privacy rule). The same on every path: one
# thread or two, --no-prefilter, a merge or the sorted day, --state
# halves; a state file made under another key, or with none, is refused.
. "$TOP/tests/e2e/lib.sh"
S=$TOP/tests/data/sample
R=$TOP/rules
printf "$(printf '\\%03o' $(seq 0 31))" >key
chmod 600 key
k() { "$CXWATCH" -r "$R" --pseudonymize key "$@"; }
"$CXWATCH" -r "$R" "$S"/web.log "$S"/support.log "$S"/billing.log >clear
st
"$CXWATCH" -r "$R" -x "$S"/web.log "$S"/support.log "$S"/billing.log |
    grep -o ' customer=[^ ]*' | sed 's/^ customer=//' | grep -vx -- - |
    sort -u >ids
# One sed program: \bID\b -> pseudonym, for each id.
set -- $(cat ids)
k $(for i; do printf -- '--pseudonym-of %s ' "$i"; done) >pseuds
paste -d ' ' ids pseuds | while read -r i p; do
	printf 's/\\b%s\\b/%s/g\n' "$i" "$p"
done >map.sed
sed -f map.sed clear >want
k "$S"/web.log "$S"/support.log "$S"/billing.log >got; st
cmp want got && echo "with a key: the run without, ids replaced"
echo "alerts: $(grep -c ' ALERT ' got), incidents: $(grep -c ' INCIDENT' got)"
k --threads 1 "$S"/web.log "$S"/support.log "$S"/billing.log | cmp - got &&
    echo "threads 1: same"
k --threads 2 "$S"/web.log "$S"/support.log "$S"/billing.log | cmp - got &&
    echo "threads 2: same"
k --no-prefilter "$S"/web.log "$S"/support.log "$S"/billing.log |
    cmp - got && echo "--no-prefilter: same"
# --state halves: the day cut at noon, as state/two-halves cuts it.
am='(0[0-9]|1[01]):'
grep -E "\[21/Nov/2026:$am" "$S/web.log" >web.1
grep -v -E "\[21/Nov/2026:$am" "$S/web.log" >web.2
sup="(^|(^|[ ])ts=\"?)2026-11-21T$am"
bil="\"ts\": ?\"2026-11-21T$am"
grep -E "$sup" "$S/support.log" >support.1
grep -v -E "$sup" "$S/support.log" >support.2
grep -E "$bil" "$S/billing.log" >billing.1
grep -v -E "$bil" "$S/billing.log" >billing.2
k --state st web.1 support.1 billing.1 >halves
k --state st web.2 support.2 billing.2 >>halves
cmp halves got && echo "--state halves: same"
grep -a -c -w -F -f ids st
# Under another key, or none, the state is refused; --state-reset starts
# afresh under the new one.
head -c 32 /dev/urandom >key2; chmod 600 key2
"$CXWATCH" -r "$R" --pseudonymize key2 --state st web.2 >/dev/null; st
"$CXWATCH" -r "$R" --state st web.2 >/dev/null; st
"$CXWATCH" -r "$R" --state st0 web.1 >/dev/null
k --state st0 web.2 >/dev/null; st
"$CXWATCH" -r "$R" --pseudonymize key2 --state st --state-reset web.2 \
    >/dev/null; st
# With every redaction class too, the workers (which pseudonymize and
# redact each event's line where they decide it) and one thread agree.
mkdir rr
cp "$R"/*.rules rr/
printf '[redact]\nclasses = all\n' >rr/90-privacy.rules
"$CXWATCH" -r rr --pseudonymize key --threads 1 \
    "$S"/web.log "$S"/support.log "$S"/billing.log >r1
"$CXWATCH" -r rr --pseudonymize key --threads 2 \
    "$S"/web.log "$S"/support.log "$S"/billing.log >r2
cmp r1 r2 && echo "redacted, threads 1 and 2: same ($(grep -c '\[ipv4\]' r1) addresses)"
"$CXWATCH" -r rr --pseudonymize key --no-prefilter \
    "$S"/web.log "$S"/support.log "$S"/billing.log | cmp - r1 &&
    echo "redacted, --no-prefilter: same"
# A pipe (the live loop's workers) as a file.
"$CXWATCH" -r rr --pseudonymize key --threads 1 "$S"/web.log >w1
cat "$S"/web.log | "$CXWATCH" -r rr --pseudonymize key --threads 2 web=- |
    cmp - w1 && echo "redacted, from a pipe: same"
