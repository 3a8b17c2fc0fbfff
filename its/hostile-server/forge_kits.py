#!/usr/bin/env python3
"""Forges kits a malicious (or broken) vendor could publish, in a Maven repository layout.

Usage: python3 forge_kits.py <dataDir>

Writes <dataDir>/repo/com/example/forged/<kit>/1.0.0/ with <kit>-1.0.0.kit.toml (manifest,
format-version 2 unless stated), <kit>-1.0.0-x86_64.tar (payload), <kit>-1.0.0.pom (packaging kit)
and a .sha1 for each. Serve it with the hostile server (start.sh) under /repo/, /slow-repo/ or
/drip-repo/.
Idempotent: <dataDir>/repo/com/example/forged is deleted and recreated. Output is deterministic
(mtime 0, uid/gid 0, no user/group names, fixed contents).

Every manifest is self-consistent (payload sha256 and size match the tar, the rpm's size and sha256
match its entry) except where the kit is precisely about an inconsistency; see KITS below.
"""
import hashlib
import os
import shutil
import sys
import tarfile

GROUP = "com.example.forged"
VERSION = "1.0.0"
ARCH = "x86_64"
RPM_PATH = "Packages/ping/ping-1.0-1.noarch.rpm"
REPOMD = b'<?xml version="1.0" encoding="UTF-8"?>\n<repomd xmlns="http://linux.duke.edu/metadata/repo"/>\n'
SDK_IMAGE = "twoliter-sdk:0.1.0"
SDK_ID = "sha256:" + hashlib.sha256(b"forged twoliter-sdk 0.1.0").hexdigest()
BLOCK = tarfile.BLOCKSIZE      # 512
RECORD = tarfile.RECORDSIZE    # 10240

SPARSE_REALSIZE = 10 * 1024 ** 3                 # 10 GiB
SPARSE_DATA = b"not really an rpm sparse-bomb-kit"  # the one data region, at offset 0
# sha256 of SPARSE_DATA followed by zeros up to SPARSE_REALSIZE, i.e. of the file a reader that
# honours the sparse map would produce (precomputed: hashing 10 GiB takes seconds). Recompute with
# python3 forge_kits.py --sparse-digest
SPARSE_SHA256 = "b925b79e8293294bbf2dbcf744a7fa8c48be7739460af59ec296a206de7bd020"
HUGE_DECLARED = 3 * 1024 ** 3                    # 3 GiB declared by the truncated entry
HUGE_PRESENT = 10 * 1024                         # bytes actually present after its header
BIG_MANIFEST_BYTES = 80 * 1000 * 1000            # ~80 MB of TOML comment padding


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def rpm_bytes(kit, size=None):
    """Arbitrary 'rpm' content; with size, deterministic incompressible bytes of that length."""
    head = b"not really an rpm " + kit.encode()
    if size is None:
        return head
    out = bytearray(head)
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(kit.encode() + counter.to_bytes(8, "big")).digest()
        counter += 1
    return bytes(out[:size])


# ----------------------------------------------------------------------------- tar building

def tarinfo(name, kind=tarfile.REGTYPE, size=0, **attrs):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    for key, value in attrs.items():
        setattr(info, key, value)
    return info


def header(info):
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


def pad(data):
    return data + b"\0" * (-len(data) % BLOCK)


def regular(name, data):
    return header(tarinfo(name, size=len(data))) + pad(data)


def special(name, kind, **attrs):
    return header(tarinfo(name, kind, **attrs))


def skeleton():
    """Directory entries and repodata that every payload starts with."""
    return [special(d, tarfile.DIRTYPE) for d in ("Packages", "Packages/ping", "repodata")] \
        + [regular("repodata/repomd.xml", REPOMD)]


def archive(members, end=True):
    """Concatenates members; with end, adds the end-of-archive blocks and pads to a record."""
    data = b"".join(members)
    if end:
        data += b"\0" * (2 * BLOCK)
        data += b"\0" * (-len(data) % RECORD)
    return data


def sparse_member(name, data, realsize):
    """A PAX 1.0 GNU sparse entry: map + one data region at offset 0, a hole up to realsize."""
    sparse_map = pad(f"2\n0\n{len(data)}\n{realsize}\n0\n".encode())
    body = sparse_map + data
    directory, base = os.path.split(name)
    info = tarinfo(f"{directory}/GNUSparseFile.0/{base}", size=len(body))
    info.pax_headers = {
        "GNU.sparse.major": "1",
        "GNU.sparse.minor": "0",
        "GNU.sparse.name": name,
        "GNU.sparse.realsize": str(realsize),
    }
    return header(info) + pad(body)


# ----------------------------------------------------------------------------- manifests

def toml_str(s):
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_key(s):
    return s if s and all(c.isalnum() and c.isascii() or c in "-_" for c in s) else toml_str(s)


def manifest(kit, payload_sha, payload_size, rpms, fmt=2, name=None, arch=ARCH, image=SDK_IMAGE):
    """rpms: list of (path, size, sha256). Format 1 omits the rpm size."""
    key = toml_key(arch)
    lines = [
        f"format-version = {fmt}",
        f"name = {toml_str(name or kit)}",
        f"vendor = {toml_str(GROUP)}",
        f"version = {toml_str(VERSION)}",
        f"arches = [{toml_str(arch)}]",
        "",
        "[sdk]",
        f"image = {toml_str(image)}",
        f"id = {toml_str(SDK_ID)}",
        'name = "twoliter-sdk"',
        'version = "0.1.0"',
        "",
        f"[payload.{key}]",
        f"sha256 = {toml_str(payload_sha)}",
        f"size = {payload_size}",
    ]
    for path, size, digest in rpms:
        lines += [
            "",
            f"[[payload.{key}.rpm]]",
            'name = "ping"',
            "epoch = 0",
            'version = "1.0"',
            'release = "1"',
            'arch = "noarch"',
            f"path = {toml_str(path)}",
        ]
        if fmt >= 2:
            lines.append(f"size = {size}")
        lines.append(f"sha256 = {toml_str(digest)}")
    return ("\n".join(lines) + "\n").encode()


def pom(kit):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>{GROUP}</groupId>
  <artifactId>{kit}</artifactId>
  <version>{VERSION}</version>
  <packaging>kit</packaging>
  <description>Forged by its/hostile-server/forge_kits.py for the twoliter-maven ITs.</description>
</project>
""".encode()


# ----------------------------------------------------------------------------- kits

def normal_kit(kit, rpm=None):
    """A payload with one regular rpm; returns (tar, manifest args) for a consistent manifest."""
    rpm = rpm_bytes(kit) if rpm is None else rpm
    tar = archive(skeleton() + [regular(RPM_PATH, rpm)])
    return tar, [(RPM_PATH, len(rpm), sha256(rpm))]


def forge(kit):
    """Returns (manifest bytes, payload tar bytes, extra files {relative name: bytes})."""
    extra = {}
    if kit in ("good-kit", "slow-payload-kit", "wrong-coordinates-kit", "format1-kit", "newline-sdk-kit",
               "bad-arch-kit", "big-manifest-kit", "digest-path-kit", "digest-upper-kit", "rpm-digest-kit",
               "rpm-size-kit"):
        rpm = rpm_bytes(kit, 200 * 1024) if kit == "slow-payload-kit" else None
        tar, rpms = normal_kit(kit, rpm)
        sha, size = sha256(tar), len(tar)
        if kit == "digest-path-kit":
            return manifest(kit, "../../../../../../tmp", size, rpms), tar, extra
        if kit == "digest-upper-kit":
            return manifest(kit, sha.upper(), size, rpms), tar, extra
        if kit == "rpm-digest-kit":
            return manifest(kit, sha, size, [(RPM_PATH, rpms[0][1], "0" * 64)]), tar, extra
        if kit == "rpm-size-kit":
            return manifest(kit, sha, size, [(RPM_PATH, rpms[0][1] + 1, rpms[0][2])]), tar, extra
        if kit == "wrong-coordinates-kit":
            return manifest(kit, sha, size, rpms, name="someone-else"), tar, extra
        if kit == "format1-kit":
            return manifest(kit, sha, size, rpms, fmt=1), tar, extra
        if kit == "newline-sdk-kit":
            return manifest(kit, sha, size, rpms, image=SDK_IMAGE + "\nEVIL=1"), tar, extra
        if kit == "bad-arch-kit":
            # Also where a naive consumer would fetch classifier "../x": <kit>-1.0.0-../x.tar
            extra[f"{kit}-{VERSION}-../x.tar"] = tar
            return manifest(kit, sha, size, rpms, arch="../x"), tar, extra
        if kit == "big-manifest-kit":
            line = b"# " + b"padding " * 124 + b"\n"  # 995 bytes
            padding = line * (BIG_MANIFEST_BYTES // len(line))
            return manifest(kit, sha, size, rpms) + b"\n" + padding, tar, extra
        return manifest(kit, sha, size, rpms), tar, extra

    if kit == "sparse-bomb-kit":
        tar = archive(skeleton() + [sparse_member(RPM_PATH, SPARSE_DATA, SPARSE_REALSIZE)])
        rpms = [(RPM_PATH, SPARSE_REALSIZE, SPARSE_SHA256)]
    elif kit == "sparse-2g-kit":
        # A real size the tar library still reads (below 2^31): it would expand the entry with zeros.
        # The manifest declares what the archive stores, so only the entry's type gives it away.
        tar = archive(skeleton() + [sparse_member(RPM_PATH, SPARSE_DATA, 2 ** 31 - 1)])
        rpms = [(RPM_PATH, len(SPARSE_DATA), sha256(SPARSE_DATA))]
    elif kit == "huge-entry-kit":
        present = rpm_bytes(kit, HUGE_PRESENT)
        # Header claims 3 GiB, only 10 KiB follow, no end-of-archive: a truncated archive.
        tar = archive(skeleton() + [header(tarinfo(RPM_PATH, size=HUGE_DECLARED)) + present], end=False)
        # The manifest declares what is present, so the manifest itself passes: only the entry's
        # header claims 3 GiB (more than an int holds, and more than the payload has).
        rpms = [(RPM_PATH, HUGE_PRESENT, sha256(present))]
    elif kit == "oversize-payload-kit":
        rpm = rpm_bytes(kit, 4096)
        tar = archive(skeleton() + [regular(RPM_PATH, rpm)])
        rpms = [(RPM_PATH, len(rpm), sha256(rpm))]
        # The manifest pins a payload one block smaller than what the server serves.
        return manifest(kit, sha256(tar[:-BLOCK]), len(tar) - BLOCK, rpms), tar, extra
    elif kit == "device-kit":
        tar = archive(skeleton() + [special(RPM_PATH, tarfile.CHRTYPE, devmajor=1, devminor=3)])
        rpms = [(RPM_PATH, 1, sha256(b"\0"))]
    elif kit == "fifo-kit":
        tar = archive(skeleton() + [special(RPM_PATH, tarfile.FIFOTYPE)])
        rpms = [(RPM_PATH, 1, sha256(b"\0"))]  # a plausible size, so that the entry's type gives it away
    elif kit == "hardlink-kit":
        tar = archive(skeleton() + [special(RPM_PATH, tarfile.LNKTYPE, linkname="/etc/passwd")])
        rpms = [(RPM_PATH, 1, sha256(b"\0"))]
    elif kit == "traversal-path-kit":
        path = "Packages/ping/../../../../tmp/twoliter-forged.rpm"
        rpm = rpm_bytes(kit)
        tar = archive(skeleton() + [regular(path, rpm)])
        rpms = [(path, len(rpm), sha256(rpm))]
    elif kit == "duplicate-entry-kit":
        first = rpm_bytes(kit)
        second = first.upper()  # same length, different bytes
        tar = archive(skeleton() + [regular(RPM_PATH, first), regular(RPM_PATH, second)])
        rpms = [(RPM_PATH, len(first), sha256(first))]  # matches the FIRST copy
    else:
        raise SystemExit(f"unknown kit {kit}")
    return manifest(kit, sha256(tar), len(tar), rpms), tar, extra


KITS = [
    "digest-path-kit",        # payload sha256 = "../../../../../../tmp"
    "digest-upper-kit",       # payload sha256 in upper-case hex
    "sparse-bomb-kit",        # rpm is a PAX 1.0 GNU sparse file of 10 GiB (tar is a few KB); manifest says 10 GiB
    "sparse-2g-kit",          # rpm is a sparse file of 2 GiB - 1 (readable by the tar library), small size declared
    "huge-entry-kit",         # rpm header says 3 GiB, 10 KiB present (and in the manifest), archive truncated
    "oversize-payload-kit",   # the payload on the server is larger than the manifest records
    "device-kit",             # rpm is a character device 1,3
    "fifo-kit",               # rpm is a FIFO
    "hardlink-kit",           # rpm is a hard link to /etc/passwd
    "rpm-digest-kit",         # manifest rpm sha256 = 64 zeros
    "rpm-size-kit",           # manifest rpm size = real size + 1
    "traversal-path-kit",     # rpm path Packages/ping/../../../../tmp/twoliter-forged.rpm
    "bad-arch-kit",           # arches = ["../x"], [payload."../x"]
    "newline-sdk-kit",        # sdk.image contains a newline and EVIL=1
    "duplicate-entry-kit",    # the rpm twice in the tar; manifest matches the first copy
    "big-manifest-kit",       # ~80 MB manifest (TOML comment padding)
    "wrong-coordinates-kit",  # manifest name = "someone-else"
    "format1-kit",            # valid format-version 1 manifest
    "slow-payload-kit",       # valid, ~200 KB payload; fetch via /slow-repo/ or /drip-repo/
    "good-kit",               # valid control
]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    with open(path + ".sha1", "w") as f:
        f.write(hashlib.sha1(data).hexdigest())


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--sparse-digest":
        h = hashlib.sha256(SPARSE_DATA)
        left = SPARSE_REALSIZE - len(SPARSE_DATA)
        zeros = bytes(8 << 20)
        while left:
            n = min(left, len(zeros))
            h.update(zeros[:n])
            left -= n
        print(h.hexdigest())
        return
    if len(sys.argv) != 2:
        raise SystemExit("usage: python3 forge_kits.py <dataDir>")
    # The file the external-source ITs fetch (and the server stalls, truncates, drips): 64 KiB of
    # known bytes (sha512 ca073ef2…55a4).
    files = os.path.join(sys.argv[1], "files")
    os.makedirs(files, exist_ok=True)
    with open(os.path.join(files, "source.bin"), "wb") as f:
        f.write(bytes(i % 251 for i in range(65536)))
    root = os.path.join(sys.argv[1], "repo", *GROUP.split("."))
    shutil.rmtree(root, ignore_errors=True)
    for kit in KITS:
        toml, tar, extra = forge(kit)
        base = os.path.join(root, kit, VERSION, f"{kit}-{VERSION}")
        write(base + ".kit.toml", toml)
        write(base + f"-{ARCH}.tar", tar)
        write(base + ".pom", pom(kit))
        for rel, data in extra.items():
            write(os.path.join(root, kit, VERSION, rel), data)
        print(f"{kit:<22} payload sha256 {sha256(tar)} size {len(tar)}")


if __name__ == "__main__":
    main()
