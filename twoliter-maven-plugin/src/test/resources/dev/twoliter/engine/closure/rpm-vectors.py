"""Writes rpm-vectors.txt: rpm's own answers, for RpmVersionsTest. Run in the SDK image:

  docker run --rm --network none -v $PWD:/c:ro twoliter-sdk:0.4.0 python3 /c/rpm-vectors.py > rpm-vectors.txt
"""
import random
import rpm

rng = random.Random(20240624)
TOKENS = ["0", "1", "2", "01", "10", "007", "99999999999999999999", "a", "b", "Z", "rc", "git", "fc", "p",
          ".", ".", ".", "_", "+", "~", "^", "~", "^"]

def version():
    return "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 6)))

def clean(v):
    return v if any(c.isalnum() for c in v) else v + "1"

out = ["# rpm 4.18 (twoliter-sdk:0.4.0): vercmp <a> <b> <rpmvercmp>; overlap <op> <evr> <op> <evr> <rpmdsCompare>"]
for _ in range(2000):
    a, b = clean(version()), clean(version())
    if rng.random() < 0.2:
        b = a.replace(".", "_", 1) if rng.random() < 0.5 else a
    out.append("vercmp %s %s %d" % (a, b, rpm.labelCompare(("0", a, "1"), ("0", b, "1"))))

OPS = {"<": rpm.RPMSENSE_LESS, "<=": rpm.RPMSENSE_LESS | rpm.RPMSENSE_EQUAL, "=": rpm.RPMSENSE_EQUAL,
       ">=": rpm.RPMSENSE_GREATER | rpm.RPMSENSE_EQUAL, ">": rpm.RPMSENSE_GREATER}
VERSIONS = ["1.0", "1.0.1", "1.0~rc1", "1.0^git1", "2", "1.00"]
RELEASES = [None, "1", "2", "1.fc38", "0~pre"]
EPOCHS = [None, "0", "1", "2"]

def evr():
    e, v, r = rng.choice(EPOCHS), rng.choice(VERSIONS), rng.choice(RELEASES)
    return (e + ":" if e is not None else "") + v + ("-" + r if r is not None else "")

for _ in range(2000):
    oa, ob = rng.choice(list(OPS)), rng.choice(list(OPS))
    ea, eb = evr(), evr()
    a = rpm.ds(("foo", OPS[oa], ea), rpm.RPMTAG_PROVIDENAME)
    b = rpm.ds(("foo", OPS[ob], eb), rpm.RPMTAG_REQUIRENAME)
    out.append("overlap %s %s %s %s %d" % (oa, ea, ob, eb, 1 if a.Compare(b) else 0))
print("\n".join(out))
