# json-agreement.sh's checker: jsonl (through build/tests/jsonl-dump) and
# Python's json module decode the same real payloads and must agree on
# every field. Usage: json-agreement.py DATADIR DUMP
#
# Documents: each line of stripe/fixtures3-resources.jsonl and each
# pretty-printed *.json file under DATADIR (its newlines turned into
# blanks, which is all they are outside strings), as they are, and each
# wrapped the way Docker writes a log line ({"log":"<it>\n",...}) to be
# read with unwrap = log. Paths: every field of the document, objects and
# arrays too, found by walking Python's tree (keys with a dot or a
# backslash escaped as the path syntax wants; keys with control bytes or
# empty ones have no path and are left out).
import glob, json, os, subprocess, sys

data, dump = sys.argv[1], sys.argv[2]

def strict(s):
    def bad(c):
        raise ValueError("not JSON: " + c)
    return json.loads(s, parse_constant=bad)

def docs():
    for line in open(os.path.join(data, "stripe/fixtures3-resources.jsonl"),
                     encoding="utf-8"):
        yield "stripe/fixtures3-resources.jsonl", line.rstrip("\n")
    for f in sorted(glob.glob(os.path.join(data, "**/*.json"),
                              recursive=True)):
        name = os.path.relpath(f, data)
        if name.startswith("stripe/fixtures3.json"):
            continue
        yield name, open(f, encoding="utf-8").read().replace("\n", " ")

def comp(k):
    return k.replace("\\", "\\\\").replace(".", "\\.")

def walk(v, prefix, out):
    items = (v.items() if isinstance(v, dict) else
             enumerate(v) if isinstance(v, list) else ())
    for k, sub in items:
        k = str(k)
        if k == "" or any(ord(c) < 0x20 for c in k):
            continue
        p = prefix + [comp(k)]
        out.append((".".join(p), sub))
        walk(sub, p, out)

def same(want, typ, raw):
    if isinstance(want, bool):
        return typ == (3 if want else 4)
    if want is None:
        return typ == 5
    if isinstance(want, str):
        return typ == 1 and raw == want.encode("utf-8")
    if isinstance(want, (int, float)):
        return typ == 2 and float(raw) == float(want) and (
            not isinstance(want, int) or int(raw) == want)
    return typ == (6 if isinstance(want, dict) else 7) and \
        strict(raw.decode("utf-8")) == want

records = []
for name, text in docs():
    tree = strict(text)
    fields = []
    walk(tree, [], fields)
    fields = [f for f in fields if "\t" not in f[0]]
    paths = "\t".join(f[0] for f in fields)
    records.append((name, "", fields, paths, text))
    wrapped = json.dumps({"log": text + "\n", "stream": "stdout",
                          "time": "2026-11-21T00:00:00.000000000Z"})
    records.append((name, " (unwrapped)", fields, "U\tlog\t" + paths,
                    wrapped))

inp = "".join(r[3] + "\n" + r[4] + "\n" for r in records)
out = subprocess.run([dump], input=inp.encode("utf-8"), stdout=subprocess.PIPE,
                     check=True).stdout.decode("ascii").split("\n\n")
ndocs = nvals = bad = 0
for (name, how, fields, _, _), res in zip(records, out):
    lines = res.strip("\n").split("\n")
    ndocs += 1
    if lines[0] != "ok":
        bad += 1
        print(f"{name}{how}: {lines[0]}")
        continue
    for (path, want), got in zip(fields, lines[1:]):
        _, typ, hexv = got.split(" ")
        nvals += 1
        if hexv == "-" or not same(want, int(typ), bytes.fromhex(hexv)):
            bad += 1
            print(f"{name}{how}: {path}: jsonl type {typ} {hexv[:60]}, "
                  f"python {json.dumps(want)[:60]}")
    if len(lines) - 1 != len(fields):
        bad += 1
        print(f"{name}{how}: {len(lines) - 1} values for {len(fields)} paths")
print(f"{ndocs} documents, {nvals} values compared, {bad} disagreements")
sys.exit(1 if bad else 0)
