# The worked example of cxwatch.rules(5), two detectors and a forgiving
# rule, loads, and the -t output the page shows for it is what -t prints,
# line for line. (cli/examples.sh runs it too, as the page's last rules
# example: the my.rules of cxwatch(1)'s -x example.)
. "$TOP/tests/e2e/lib.sh"
# Display N of EXAMPLES, as a reader sees it: literal text, \e a backslash.
display() {
	awk -v want="$1" '
	/^\.Sh / { ex = ($2 == "EXAMPLES"); next }
	ex && /^\.Bd -literal/ { n++; inb = (n == want); next }
	inb && /^\.Ed/ { inb = 0; next }
	inb { s = $0; gsub(/\\e/, "\\", s); gsub(/\\&/, "", s); print s }
	' "$TOP/man/cxwatch.rules.5"
}
n=1
while display $n | grep -q .; do
	if display $n | grep -q '^\[detector '; then
		display $n >shop.rules
		display $((n + 1)) >shown
		break
	fi
	n=$((n + 1))
done
# The command shown is this one (the golden says so).
head -n 1 shown
"$CXWATCH" -t -r shop.rules >got
st
sed 1d shown | diff - got && echo "the page shows what -t prints"
grep -c '^detector ' got
