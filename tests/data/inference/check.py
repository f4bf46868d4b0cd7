"""Check each project: tests pass, labels.json keys == collected ids, labels are plan titles in scope (own dir or parent)."""
import json, os, re, subprocess, sys
PY = sys.executable
root = os.path.dirname(os.path.abspath(__file__))
def titles(plan):
    out = []
    for line in open(plan, encoding="utf-8"):
        m = re.match(r"#{2,4} .*SEAM\**\s*\d*:\**\s*(.+)$", line)
        if m: out.append(m.group(1).replace("**", "").strip()); continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) > 2 and "→" in " ".join(cells[:2]):
                out.append(cells[1] if cells[0].isdigit() else cells[0])
    return out
ok = True
for proj in sorted(os.listdir(root)):
    d = os.path.join(root, proj)
    if not os.path.isfile(os.path.join(d, "labels.json")): continue
    r = subprocess.run([PY, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"], cwd=d, capture_output=True, text=True)
    last = r.stdout.strip().splitlines()[-1]
    c = subprocess.run([PY, "-m", "pytest", "--co", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"], cwd=d, capture_output=True, text=True)
    ids = {l for l in c.stdout.splitlines() if l.startswith("tests/") and "::" in l and " " not in l}
    labels = json.load(open(os.path.join(d, "labels.json"), encoding="utf-8"))
    plans = {}
    for dp, _, fs in os.walk(os.path.join(d, "tests")):
        if "TEST_PLAN.md" in fs: plans[os.path.relpath(dp, d)] = list(dict.fromkeys(titles(os.path.join(dp, "TEST_PLAN.md"))))
    bad = []
    for nid, t in labels.items():
        if t is None: continue
        fdir = os.path.dirname(nid.split("::")[0])
        scope = [p for p in plans if fdir == p or fdir.startswith(p + "/")]
        if not any(t in plans[p] for p in scope): bad.append((nid, t))
    pos = sum(v is not None for v in labels.values())
    print(f"{proj}: {last}; collected={len(ids)} labelled={len(labels)} same={ids == set(labels)} positives={pos} negatives={len(labels)-pos} bad_titles={bad} plans={ {p: len(v) for p, v in plans.items()} }")
    ok &= r.returncode == 0 and ids == set(labels) and not bad
sys.exit(0 if ok else 1)
