"""Reports RPM packages to the plugin as TOML.

  package-facts.py files <dir>                     every *.rpm below <dir>, read from the files
  package-facts.py installed <root> <fragments>    the packages installed in <root> (with the
                                                   repository dnf took each from) and the owner of
                                                   each settings fragment in <root>/<fragments>
  package-facts.py deps <dir>                      every *.rpm below <dir> with its provides,
                                                   requires and files, for the closure check

Package headers come from whoever built the package, kit vendors included, so every text is
escaped for TOML here and validated again by the plugin: a newline or a quote in a summary must
not be able to add or change a record.
"""
import os
import sys

import rpm

SCRIPTLETS = [
    ("%pretrans", rpm.RPMTAG_PRETRANS, rpm.RPMTAG_PRETRANSPROG),
    ("%pre", rpm.RPMTAG_PREIN, rpm.RPMTAG_PREINPROG),
    ("%post", rpm.RPMTAG_POSTIN, rpm.RPMTAG_POSTINPROG),
    ("%preun", rpm.RPMTAG_PREUN, rpm.RPMTAG_PREUNPROG),
    ("%postun", rpm.RPMTAG_POSTUN, rpm.RPMTAG_POSTUNPROG),
    ("%posttrans", rpm.RPMTAG_POSTTRANS, rpm.RPMTAG_POSTTRANSPROG),
    ("%trigger", rpm.RPMTAG_TRIGGERSCRIPTS, rpm.RPMTAG_TRIGGERSCRIPTPROG),
    ("%filetrigger", rpm.RPMTAG_FILETRIGGERSCRIPTS, rpm.RPMTAG_FILETRIGGERSCRIPTPROG),
    ("%transfiletrigger", rpm.RPMTAG_TRANSFILETRIGGERSCRIPTS, rpm.RPMTAG_TRANSFILETRIGGERSCRIPTPROG),
]


def text(value):
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    # Undecodable header bytes arrive as lone surrogates; they cannot be written as UTF-8.
    return str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def toml_string(value):
    out = ['"']
    for ch in text(value):
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code < 0x20 or code == 0x7F:
            out.append("\\u%04x" % code)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def scriptlets(header):
    present = []
    for name, script_tag, prog_tag in SCRIPTLETS:
        if header[script_tag] or header[prog_tag]:
            present.append(name)
    return "[" + ", ".join(toml_string(s) for s in present) + "]"


def identity_lines(header):
    epoch = header[rpm.RPMTAG_EPOCH]
    return [
        "name = " + toml_string(header[rpm.RPMTAG_NAME]),
        "epoch = " + str(int(epoch) if epoch is not None else 0),
        "version = " + toml_string(header[rpm.RPMTAG_VERSION]),
        "release = " + toml_string(header[rpm.RPMTAG_RELEASE]),
        "arch = " + toml_string(header[rpm.RPMTAG_ARCH] or "noarch"),
    ]


def nevra_lines(header):
    return identity_lines(header) + [
        "scriptlets = " + scriptlets(header),
        "license = " + toml_string(header[rpm.RPMTAG_LICENSE]),
    ]


def rpm_headers(directory):
    """(path relative to directory, header) of every *.rpm below directory, sorted by path."""
    ts = rpm.TransactionSet()
    # Digests and signatures are checked by the plugin against the kit manifest, not here.
    ts.setVSFlags(rpm._RPMVSF_NOSIGNATURES | rpm._RPMVSF_NODIGESTS)
    paths = []
    for parent, _, names in os.walk(directory):
        paths.extend(os.path.join(parent, n) for n in names if n.endswith(".rpm"))
    for path in sorted(paths):
        with open(path, "rb") as f:
            yield os.path.relpath(path, directory), ts.hdrFromFdno(f.fileno())


def files(directory):
    out = ["format-version = 1"]
    for path, header in rpm_headers(directory):
        out.append("")
        out.append("[[rpm]]")
        out.append("path = " + toml_string(path))
        out.extend(nevra_lines(header))
    print("\n".join(out))


# The plugin reads no more; a package with more files is refused here rather than cut short, since
# a missing path would make a file requirement look unmet.
MAX_FILES = 100000


def dependency(name, flags, version):
    """A dependency as rpm writes it (rpmdsNewDNEVR): the name, then the operator and the version."""
    operator = ""
    if flags & rpm.RPMSENSE_LESS:
        operator += "<"
    if flags & rpm.RPMSENSE_GREATER:
        operator += ">"
    if flags & rpm.RPMSENSE_EQUAL:
        operator += "="
    # rpm reads a dependency with an operator but no version, or the reverse, as unversioned.
    if operator and version:
        return "%s %s %s" % (name, operator, version)
    return name


def dependencies(header, name_tag, flags_tag, version_tag):
    names = header[name_tag] or []
    flags = header[flags_tag] or []
    versions = header[version_tag] or []
    seen = set()
    out = []
    for i, name in enumerate(names):
        flag = flags[i] if i < len(flags) else 0
        # rpm never reports a missingok requirement unmet (lib/depends.cc): it is a hint.
        if name_tag == rpm.RPMTAG_REQUIRENAME and flag & rpm.RPMSENSE_MISSINGOK:
            continue
        text_form = dependency(text(name), flag, text(versions[i]) if i < len(versions) else "")
        if text_form not in seen:
            seen.add(text_form)
            out.append(text_form)
    return out


def toml_array(key, values):
    if not values:
        return [key + " = []"]
    return [key + " = ["] + ["  " + toml_string(v) + "," for v in values] + ["]"]


def deps(directory):
    out = ["format-version = 1"]
    for path, header in rpm_headers(directory):
        shipped = [text(f) for f in (header[rpm.RPMTAG_FILENAMES] or [])]
        if len(shipped) > MAX_FILES:
            sys.exit("package-facts.py: %s ships %d files, more than the %d the closure check reads"
                     % (path, len(shipped), MAX_FILES))
        out.append("")
        out.append("[[rpm]]")
        out.append("path = " + toml_string(path))
        out.extend(identity_lines(header))
        out.extend(toml_array("provides", dependencies(header, rpm.RPMTAG_PROVIDENAME, rpm.RPMTAG_PROVIDEFLAGS,
                                                       rpm.RPMTAG_PROVIDEVERSION)))
        out.extend(toml_array("requires", dependencies(header, rpm.RPMTAG_REQUIRENAME, rpm.RPMTAG_REQUIREFLAGS,
                                                       rpm.RPMTAG_REQUIREVERSION)))
        out.extend(toml_array("files", shipped))
    print("\n".join(out))


def installed(root, fragments, extensions):
    import dnf

    base = dnf.Base()
    base.conf.installroot = root
    base.conf.persistdir = os.path.join(root, "var/lib/dnf")
    base.fill_sack(load_system_repo=True, load_available_repos=False)
    repos = {}
    for pkg in base.sack.query().installed():
        repos[(pkg.name, pkg.arch, pkg.evr)] = base.history.repo(pkg) or ""
    ts = rpm.TransactionSet(root)
    out = ["format-version = 1"]
    for header in sorted(ts.dbMatch(), key=lambda h: (text(h[rpm.RPMTAG_NAME]), text(h[rpm.RPMTAG_ARCH]))):
        epoch = header[rpm.RPMTAG_EPOCH]
        evr = ("%s:" % epoch if epoch else "") + "%s-%s" % (text(header[rpm.RPMTAG_VERSION]),
                                                            text(header[rpm.RPMTAG_RELEASE]))
        out.append("")
        out.append("[[package]]")
        out.extend(nevra_lines(header))
        out.append("repository = " + toml_string(repos.get((text(header[rpm.RPMTAG_NAME]),
                                                             text(header[rpm.RPMTAG_ARCH]), evr), "")))
        out.append("group = " + toml_string(header[rpm.RPMTAG_GROUP]))
        out.append("url = " + toml_string(header[rpm.RPMTAG_URL]))
        out.append("summary = " + toml_string(header[rpm.RPMTAG_SUMMARY]))
    fragment_dir = os.path.join(root, fragments)
    if os.path.isdir(fragment_dir):
        for name in sorted(os.listdir(fragment_dir)):
            if not name.endswith(".toml"):
                continue
            owners = [text(h[rpm.RPMTAG_NAME]) for h in ts.dbMatch("basenames", "/" + fragments + "/" + name)]
            out.append("")
            out.append("[[settings-fragment]]")
            out.append("file = " + toml_string(name))
            out.append("owner = " + toml_string(owners[0] if owners else ""))
    extension_dir = os.path.join(root, extensions)
    if extensions and os.path.isdir(extension_dir):
        for name in sorted(os.listdir(extension_dir))[:1024]:
            declaration = "/" + extensions + "/" + name + "/extension.toml"
            owners = [text(h[rpm.RPMTAG_NAME]) for h in ts.dbMatch("basenames", declaration)]
            out.append("")
            out.append("[[settings-extension]]")
            out.append("directory = " + toml_string(name))
            out.append("owner = " + toml_string(owners[0] if owners else ""))
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "files":
        files(sys.argv[2])
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "installed":
        installed(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) == 5 else "")
    elif len(sys.argv) == 3 and sys.argv[1] == "deps":
        deps(sys.argv[2])
    else:
        sys.exit("usage: package-facts.py files <dir> | installed <root> <fragments> [<extensions>] | deps <dir>")
