"""Writes hostile kit payloads with manifests that match them, as a malicious vendor would."""
import hashlib, io, os, sys, tarfile

out = os.path.join(sys.argv[1], "target", "hostile")
os.makedirs(out, exist_ok=True)

def payload(name, extra):
    path = os.path.join(out, name + "-1.0.0-x86_64.tar")
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for dirname in ["Packages/", "Packages/ping/", "repodata/"]:
            info = tarfile.TarInfo(dirname.rstrip("/"))
            info.type = tarfile.DIRTYPE
            tar.addfile(info)
        for entry in [("repodata/repomd.xml", b"<repomd/>")] + extra:
            if entry[1] is None:
                info = tarfile.TarInfo(entry[0])
                info.type = tarfile.SYMTYPE
                info.linkname = entry[2]
                tar.addfile(info)
            else:
                info = tarfile.TarInfo(entry[0])
                info.size = len(entry[1])
                tar.addfile(info, io.BytesIO(entry[1]))
    data = open(path, "rb").read()
    return hashlib.sha256(data).hexdigest(), len(data)

def manifest(name, sha, size, rpm_path, rpm_size, rpm_sha):
    text = f"""format-version = 2
name = "{name}"
vendor = "com.example.vendor"
version = "1.0.0"
arches = ["x86_64"]

[sdk]
image = "twoliter-sdk:0.1.0"
id = "sha256:{"0" * 64}"
name = "twoliter-sdk"
version = "0.1.0"

[payload.x86_64]
sha256 = "{sha}"
size = {size}

[[payload.x86_64.rpm]]
name = "ping"
epoch = 0
version = "1.0"
release = "1"
arch = "noarch"
path = "{rpm_path}"
size = {rpm_size}
sha256 = "{rpm_sha}"
"""
    open(os.path.join(out, name + "-1.0.0.kit.toml"), "w").write(text)

sha, size = payload("evil-kit", [("Packages/ping/../../../../tmp/twoliter-its-escaped.rpm", b"escape")])
manifest("evil-kit", sha, size, "Packages/ping/../../../../tmp/twoliter-its-escaped.rpm", 6,
         hashlib.sha256(b"escape").hexdigest())
sha, size = payload("link-kit", [("Packages/ping/ping-1.0-1.noarch.rpm", None, "../../../../../etc/passwd")])
manifest("link-kit", sha, size, "Packages/ping/ping-1.0-1.noarch.rpm", 1, "0" * 64)
