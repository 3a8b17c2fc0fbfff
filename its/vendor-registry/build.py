#!/usr/bin/env python3
"""Builds the static Go module proxy and Cargo registry the vendoring ITs download from.

Usage: python3 build.py <upstreamDir> <outDir> <baseUrl> [urlPath]

<upstreamDir>  where .ci/upstream-sources keeps the upstream tarballs (its/upstream/sources.txt)
<outDir>       the tree to (re)create; the repo server serves it at <baseUrl>/<urlPath>/
<baseUrl>      the repo server's root URL, e.g. http://127.0.0.1:1234
<urlPath>      the path of <outDir> under <baseUrl> (default vendor-registry)

Everything comes from real upstream releases, the Debian source packages' orig tarballs (the upstream
file unchanged; a rust-* orig tarball is the published crate file itself):

  goproxy/           a GOPROXY-protocol tree (GOPROXY=<baseUrl>/<urlPath>/goproxy or file://<outDir>/goproxy):
                     <escaped module>/@v/list, <v>.info, <v>.mod, <v>.zip. The zips hold the files Go puts
                     in a module zip, so they hash (go.sum "h1:") to the sums the public checksum database
                     has; this script checks that against the sums pinned below.
  goproxy-tampered/  the same, but one .go file of hjson-go/v4's zip has a comment line more (.mod unchanged).
  cargo/             a static sparse Cargo registry (sparse+<baseUrl>/<urlPath>/cargo/): config.json,
                     index files and crates/<name>/<version>/download (the crate file unchanged).
  cargo-tampered/    the same index, but its config.json downloads from cargo-tampered/crates, where
                     strsim 0.11.1's crate is re-packed with one byte more in src/lib.rs (sha256 differs
                     from the index's and any Cargo.lock's).
  private/goproxy/, private/cargo/
                     copies of goproxy/ and cargo/ (dl pointing at private/cargo/crates, and
                     "auth-required": true so that cargo sends its token) that the repo server only
                     serves with basic auth (nginx.conf.template, location /vendor-registry/private/).

The index lines carry each crate's dependencies and features as the public Rust registry publishes
them (read from the crate's Cargo.toml): features decide what a crate compiles (hex::encode needs hex's
"alloc", on by default), so an index without them builds something else than the public registry would.

Output is deterministic (sorted zip entries with fixed timestamps, gzip mtime 0, sorted JSON); the tree
is built next to <outDir> and renamed into place. Standard library only.
"""
import base64
import gzip
import hashlib
import io
import json
import os
import posixpath
import re
import shutil
import sys
import tarfile
import tomllib
import zipfile

INFO_TIME = "2020-01-01T00:00:00Z"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# path, version, orig tarball, and the sums the public checksum database has for them.
GO_MODULES = [
    {
        "path": "github.com/pkg/errors",
        "version": "v0.9.1",
        "tarball": "golang-github-pkg-errors_0.9.1.orig.tar.gz",
        "h1": "h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=",
        "mod_h1": "h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=",
    },
    {
        # Its sums computed here from the release tarball (the others are the public database's).
        "path": "github.com/hjson/hjson-go/v4",
        "version": "v4.4.0",
        "tarball": "hjson-go_4.4.0.orig.tar.gz",
        "h1": "h1:D/NPvqOCH6/eisTb5/ztuIS8GUvmpHaLOcNk1Bjr298=",
        "mod_h1": "h1:KaYt3bTw3zhBjYqnXkYywcYctk0A2nxeEFTse3rH13E=",
    },
    {
        "path": "github.com/santhosh-tekuri/jsonschema/v5",
        "version": "v5.3.1",
        "tarball": "golang-github-santhosh-tekuri-jsonschema_5.3.1.orig.tar.gz",
        "h1": "h1:lZUw3E0/J3roVtGQ+SCrUrg3ON6NgVqpn3+iol9aGu4=",
        "mod_h1": "h1:uToXkOrWAZ6/Oc07xWQrPOhJotwFIyu2bBVN41fcDUY=",
    },
]
TAMPERED_GO = ("github.com/hjson/hjson-go/v4", "decode.go",
               b"// tampered: this line is not in the published module\n")

# name, version, orig tarball (the .crate file), and its sha256 as the public Rust registry has it.
CRATES = [
    ("hex", "0.4.3", "rust-hex_0.4.3.orig.tar.gz",
     "7f24254aa9a54b5c858eaee2f5bccdb46aaf0e486a595ed5fd8f86ba55232a70"),
    ("shlex", "1.3.0", "rust-shlex_1.3.0.orig.tar.gz",
     "0fda2ff0d084019ba4d7c6f371c95d8fd75ce3524c3cb8fb653a3023f6323e64"),
    ("strsim", "0.11.1", "rust-strsim_0.11.1.orig.tar.gz",
     "7da8b5736845d9f2fcb837ea5d9e2628564b3b043a70948a3f0b778838c5fb4f"),
    ("pico-args", "0.5.0", "rust-pico-args_0.5.0.orig.tar.gz",
     "5be167a7af36ee22fe3115051bc51f6e6c7054c9348e28deb4f49bd6f705a315"),
]
TAMPERED_CRATE = ("strsim", "0.11.1", "src/lib.rs", b"\n")


def die(msg):
    sys.exit("vendor-registry: ERROR: " + msg)


# ---------------------------------------------------------------------------------------------- Go

def escape(s):
    """golang.org/x/mod/module.EscapePath/EscapeVersion: upper-case letters become '!' + lower case."""
    return re.sub(r"[A-Z]", lambda m: "!" + m.group(0).lower(), s)


def h1(files):
    """golang.org/x/mod/sumdb/dirhash.Hash1 over [(name, data)]."""
    summary = hashlib.sha256()
    for name, data in sorted(files):
        if "\n" in name:
            die("file name with a newline: %r" % name)
        summary.update(("%s  %s\n" % (hashlib.sha256(data).hexdigest(), name)).encode())
    return "h1:" + base64.b64encode(summary.digest()).decode()


def read_tarball(path):
    """{relative path: bytes} of the regular files under the tarball's single top directory."""
    files, tops = {}, set()
    with tarfile.open(path) as tar:
        for m in tar.getmembers():
            name = m.name
            while name.startswith("./"):
                name = name[2:]
            parts = name.split("/", 1)
            tops.add(parts[0])
            if m.isfile() and len(parts) == 2 and parts[1]:
                files[parts[1]] = tar.extractfile(m).read()
    if len(tops) != 1:
        die("%s: expected one top directory, found %s" % (path, sorted(tops)))
    return tops.pop(), files


def module_line(gomod):
    m = re.search(rb"^\s*module\s+\"?([^\s\"/][^\s\"]*)\"?", gomod, re.M)
    return m.group(1).decode() if m else None


def is_vendored_package(name):
    """modzip's rule (with its historical offset quirk, kept since it decides which sums are valid)."""
    if name.startswith("vendor/"):
        i = len("vendor/")
    elif "/vendor/" in name:
        i = len("/vendor/")
    else:
        return False
    return "/" in name[i:]


def module_files(mod, repo_files):
    """The (go.mod bytes, {name in zip: bytes}) of a module, as cmd/go's modfetch zips a repository."""
    path = mod["path"]
    # Where the module's go.mod is: the repository root, or for a /vN module the vN/ directory when
    # the root's go.mod does not declare it (cmd/go's codeRepo rule).
    subdir = ""
    root_mod = repo_files.get("go.mod")
    major = re.search(r"/(v[2-9][0-9]*|v[1-9][0-9]+)$", path)
    if major and module_line(root_mod or b"") != path:
        sub = major.group(1)
        if module_line(repo_files.get(sub + "/go.mod", b"")) == path:
            subdir = sub
    if subdir:
        files = {n[len(subdir) + 1:]: d for n, d in repo_files.items() if n.startswith(subdir + "/")}
        # A module in a subdirectory without its own LICENSE gets the repository's.
        if "LICENSE" not in files and "LICENSE" in repo_files:
            files["LICENSE"] = repo_files["LICENSE"]
    else:
        files = dict(repo_files)
    if "go.mod" in files:
        gomod = files["go.mod"]
        if module_line(gomod) != path:
            die("%s: go.mod declares %s" % (path, module_line(gomod)))
    elif major:
        die("%s: no go.mod for a /vN module" % path)
    else:
        gomod = ("module %s\n" % path).encode()  # what the proxy serves for a module without go.mod

    # Directories (other than the root) holding a go.mod are other modules: leave them out.
    nested = {posixpath.dirname(n) for n in files
              if posixpath.basename(n) == "go.mod" and posixpath.dirname(n)}
    vcs = {".git", ".hg", ".svn", ".bzr"}
    kept = {}
    for name, data in files.items():
        dirs = name.split("/")[:-1]
        if any(d in vcs for d in dirs):
            continue
        if any("/".join(dirs[:i]) in nested for i in range(1, len(dirs) + 1)):
            continue
        if is_vendored_package(name):
            continue
        base = posixpath.basename(name)
        if base.lower() == "go.mod" and base != "go.mod":
            die("%s: %s: go.mod with wrong case" % (path, name))
        kept[name] = data
    return gomod, kept


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def module_zip(prefix, files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(prefix + name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            z.writestr(info, files[name], compresslevel=6)
    return buf.getvalue()


def build_goproxy(root, modules, tamper=None):
    for mod in modules:
        path, version, gomod, files = mod["path"], mod["version"], mod["gomod"], dict(mod["files"])
        if tamper and tamper[0] == path:
            name, extra = tamper[1], tamper[2]
            if name not in files:
                die("%s has no %s to tamper with" % (path, name))
            data = files[name]
            files[name] = data + (b"" if data.endswith(b"\n") else b"\n") + extra
        d = os.path.join(root, escape(path), "@v")
        v = escape(version)
        write(os.path.join(d, "list"), version + "\n")
        write(os.path.join(d, v + ".info"),
              json.dumps({"Version": version, "Time": INFO_TIME}, separators=(",", ":")) + "\n")
        write(os.path.join(d, v + ".mod"), gomod)
        write(os.path.join(d, v + ".zip"), module_zip("%s@%s/" % (path, version), files))


# ------------------------------------------------------------------------------------------- Cargo

def index_prefix(name):
    n = name.lower()
    if len(n) <= 2:
        return str(len(n))
    if len(n) == 3:
        return "3/" + n[0]
    return n[0:2] + "/" + n[2:4]


def caret(req):
    """The public registry stores a bare version requirement ("1.0") with its implicit caret ("^1.0")."""
    return ", ".join(("^" + r) if r[:1].isdigit() else r
                     for r in (p.strip() for p in req.split(",")))


def index_line(name, version, crate, cksum):
    """The sparse index line the public registry has for a crate, from the crate's (normalized) Cargo.toml."""
    top = "%s-%s/" % (name, version)
    with tarfile.open(fileobj=io.BytesIO(crate)) as tar:
        names = set(tar.getnames())
        if top + "Cargo.toml.orig" not in names and top + ".cargo_vcs_info.json" not in names:
            die("%s %s: not a published crate (no Cargo.toml.orig or .cargo_vcs_info.json)" % (name, version))
        manifest = tomllib.loads(tar.extractfile(top + "Cargo.toml").read().decode())
    pkg = manifest["package"]
    if pkg["name"] != name or pkg["version"] != version:
        die("%s %s: the crate's Cargo.toml says %s %s" % (name, version, pkg["name"], pkg["version"]))

    deps = []

    def add(table, kind, target):
        for key, spec in sorted((table or {}).items()):
            if isinstance(spec, str):
                spec = {"version": spec}
            dep = {
                "name": key,
                "req": caret(spec.get("version", "*")),
                "features": spec.get("features", []),
                "optional": spec.get("optional", False),
                "default_features": spec.get("default-features", spec.get("default_features", True)),
                "target": target,
                "kind": kind,
            }
            if "package" in spec:
                dep["package"] = spec["package"]
            deps.append(dep)

    for section, kind in (("dependencies", "normal"), ("dev-dependencies", "dev"),
                          ("build-dependencies", "build")):
        add(manifest.get(section), kind, None)
        for target, tables in sorted(manifest.get("target", {}).items()):
            add(tables.get(section), kind, target)
    deps.sort(key=lambda d: (d["name"], d["kind"], d["target"] or ""))

    features, features2 = {}, {}
    for feature, values in sorted(manifest.get("features", {}).items()):
        new_syntax = any(v.startswith("dep:") or "?/" in v for v in values)
        (features2 if new_syntax else features)[feature] = values
    line = {"name": name, "vers": version, "deps": deps, "cksum": cksum, "features": features,
            "yanked": False}
    if "links" in pkg:
        line["links"] = pkg["links"]
    if features2:
        line["features2"] = features2
        line["v"] = 2
    if "rust-version" in pkg:
        line["rust_version"] = pkg["rust-version"]
    return json.dumps(line, separators=(",", ":")) + "\n"


def repack_crate(crate, top, name, extra):
    """The crate with `extra` appended to one file; every other byte of metadata kept."""
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(crate)) as src, \
            gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as dst:
        found = False
        for m in src.getmembers():
            data = src.extractfile(m).read() if m.isfile() else None
            if m.name == top + name:
                data += extra
                m.size = len(data)
                found = True
            dst.addfile(m, io.BytesIO(data) if data is not None else None)
    if not found:
        die("crate has no %s to tamper with" % (top + name))
    return out.getvalue()


def build_cargo(root, crates, dl, auth_required=False, tamper=None):
    config = {"dl": dl}
    if auth_required:
        config["auth-required"] = True
    write(os.path.join(root, "config.json"), json.dumps(config, indent=2, sort_keys=True) + "\n")
    lines = {}
    for name, version, crate, cksum in crates:
        lines.setdefault(name, []).append(index_line(name, version, crate, cksum))
        if tamper and (name, version) == tamper[:2]:
            crate = repack_crate(crate, "%s-%s/" % (name, version), tamper[2], tamper[3])
        write(os.path.join(root, "crates", name, version, "download"), crate)
    for name, ls in lines.items():
        write(os.path.join(root, index_prefix(name), name.lower()), "".join(ls))


# -------------------------------------------------------------------------------------------- main

def main(argv):
    if len(argv) not in (4, 5):
        sys.exit(__doc__.split("\n\n")[1])
    upstream, out, base = argv[1], os.path.abspath(argv[2]), argv[3].rstrip("/")
    url_path = (argv[4] if len(argv) == 5 else "vendor-registry").strip("/")
    if not re.match(r"^https?://[^/]+$", base):
        die("baseUrl must be like http://127.0.0.1:1234, not %r" % base)
    root_url = base + ("/" + url_path if url_path else "")
    missing = [t for t in [m["tarball"] for m in GO_MODULES] + [c[2] for c in CRATES]
               if not os.path.isfile(os.path.join(upstream, t))]
    if missing:
        die("not in %s: %s (fetch them with .ci/upstream-sources)" % (upstream, ", ".join(missing)))

    modules = []
    for spec in GO_MODULES:
        _, repo_files = read_tarball(os.path.join(upstream, spec["tarball"]))
        gomod, files = module_files(spec, repo_files)
        prefix = "%s@%s/" % (spec["path"], spec["version"])
        got = h1([(prefix + n, d) for n, d in files.items()])
        got_mod = h1([("go.mod", gomod)])
        if (got, got_mod) != (spec["h1"], spec["mod_h1"]):
            die("%s %s hashes to %s, go.mod %s; the checksum database has %s, go.mod %s"
                % (spec["path"], spec["version"], got, got_mod, spec["h1"], spec["mod_h1"]))
        modules.append(dict(spec, gomod=gomod, files=files))

    crates = []
    for name, version, tarball, cksum in CRATES:
        with open(os.path.join(upstream, tarball), "rb") as f:
            crate = f.read()
        got = hashlib.sha256(crate).hexdigest()
        if got != cksum:
            die("%s: sha256 %s, the public registry has %s for %s %s" % (tarball, got, cksum, name, version))
        crates.append((name, version, crate, cksum))

    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    tmp = "%s.tmp-%d" % (out, os.getpid())
    shutil.rmtree(tmp, ignore_errors=True)
    build_goproxy(os.path.join(tmp, "goproxy"), modules)
    build_goproxy(os.path.join(tmp, "goproxy-tampered"), modules, tamper=TAMPERED_GO)
    build_cargo(os.path.join(tmp, "cargo"), crates, root_url + "/cargo/crates")
    build_cargo(os.path.join(tmp, "cargo-tampered"), crates, root_url + "/cargo-tampered/crates",
                tamper=TAMPERED_CRATE)
    build_goproxy(os.path.join(tmp, "private", "goproxy"), modules)
    build_cargo(os.path.join(tmp, "private", "cargo"), crates, root_url + "/private/cargo/crates",
                auth_required=True)

    old = "%s.old-%d" % (out, os.getpid())
    if os.path.exists(out):
        os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)
    print("vendor-registry: %d Go modules (%s), %d crates (%s) in %s, served at %s/"
          % (len(modules), ", ".join("%s@%s %s" % (m["path"], m["version"], m["h1"]) for m in modules),
             len(crates), ", ".join("%s %s" % c[:2] for c in crates), out, root_url))


if __name__ == "__main__":
    main(sys.argv)
