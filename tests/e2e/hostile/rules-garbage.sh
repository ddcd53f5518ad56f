# A rules file of binary garbage is refused with exit 2 and messages
# that quote none of its control bytes raw: reading stops at the first
# NUL byte; without one, the first line is "outside any section" and
# what follows up to a [section] line is skipped. The bytes are a fixed
# sequence (an LCG), the same on every run.
. "$TOP/tests/e2e/lib.sh"
# 4096 bytes from x = (x * 69069 + 1) mod 2^24, its high byte: exact
# in any awk's doubles.
gen() {
	awk -v seed="$1" -v nonul="$2" 'BEGIN {
		x = seed
		for (i = 0; i < 4096; i++) {
			x = (x * 69069 + 1) % 16777216
			b = int(x / 65536)
			if (nonul && b == 0) b = 10
			printf "\\%03o", b
		}
	}'
}
printf "$(gen 42 0)" >nul.rules
printf "$(gen 7 1)" >bin.rules
od -An -tx1 nul.rules | head -n 1
"$CXWATCH" -t -r nul.rules
st
"$CXWATCH" -t -r bin.rules 2>err
st
wc -l <err
# Every message is a rules error; no raw control byte reached stderr.
grep -cv '^cxwatch: bin.rules:[0-9]*: ' err
od -An -tx1 err | tr ' ' '\n' | grep -cE '^(0[0-8]|0[b-f]|1[0-9a-f]|7f)$'
# The same garbage after good rules: still refused, the good part unused.
cat "$TOP/tests/data/e2e.rules" bin.rules >mixed.rules
"$CXWATCH" -r mixed.rules </dev/null 2>/dev/null
st
