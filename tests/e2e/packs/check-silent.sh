# cxwatch -t on every pack in rules/packs warns about nothing, alone, and
# with every other pack and the shipped rules: the packs' source and rule
# names are unique, across packs and with rules/ (README.md, Rule packs).
cd "$TOP" || exit 2
all=
for p in rules/packs/*/; do
	p=${p%/}
	"$CXWATCH" -t -r "$p" | grep -e "^ok:" -e "^packs:" | sed "s|^|${p#rules/packs/}: |"
	all="$all -r $p"
done
"$CXWATCH" -t $all -r rules | grep -e "^ok:" -e "^packs:" | sed 's|^|all packs and rules/: |'
"$CXWATCH" -t -r rules $all | grep -e "^ok:" -e "^packs:" | sed 's|^|rules/ and all packs: |'
