# Invalid UTF-8 in a customer and a path: text escapes the bytes, JSON
# replaces them with U+FFFD, valid UTF-8 passes through.
. "$TOP/tests/e2e/lib.sh"
printf '2026-11-21T10:00:00Z web C\377\300\257 /checkout/\303\251 502\n2026-11-21T10:00:01Z web C\377\300\257 /checkout 502\n' >in
cx -C 0 -e 2 in
cx -C 0 -e 2 -o json in
