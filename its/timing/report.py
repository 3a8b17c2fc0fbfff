#!/usr/bin/env python3
"""Where the time of a CI run goes: each phase's and each end-to-end test's wall time.

Reads what `.ci/run` leaves behind -- the time-stamped output (target/ci/run.log), the CPU samples
(target/ci/cpu.log), the run's facts (target/ci/run-info) -- and the invoker build reports of every
module of its/ (its/<module>/target/invoker-reports/<execution>/BUILD-*.xml), and prints a Markdown
report. With --write it also puts the report into the marked block of its/README.md.

  python3 its/timing/report.py            # print the report of the last `.ci/run` in this checkout
  python3 its/timing/report.py --write    # and put it into its/README.md
"""
import argparse
import pathlib
import re
import sys
import xml.etree.ElementTree as ElementTree

ROOT = pathlib.Path(__file__).resolve().parents[2]
BEGIN = "<!-- timing:begin -->"
END = "<!-- timing:end -->"
MOJO = re.compile(r"^\[INFO\] --- (?P<plugin>[\w.-]+):(?P<version>[\w.-]+):(?P<goal>[\w-]+) \((?P<execution>[^)]*)\) @ (?P<module>[\w.-]+) ---")
MODULE_TIME = re.compile(r"^\[INFO\] (?P<name>[\w .-]+?) \.+ (?:SUCCESS|FAILURE) \[\s*(?P<time>[\d:.]+) (?P<unit>min|s|h)\]")
JOB_START = re.compile(r"^\[INFO\] Building: (?P<project>\S+)")
JOB_END = re.compile(r"^\[INFO\]\s+(?P<project>\S+)\s+(?:\.+\s+)?(?P<result>SUCCESS|FAILED|SKIPPED|ERROR)\b")
NAME_OF_MODULE = re.compile(r"^\[INFO\] Building (?P<name>[\w .-]+?) [\w.-]+\s+\[\d+/\d+\]$")
ARTIFACT_ID = re.compile(r"^\[INFO\] -+< [\w.-]+:(?P<artifact>[\w.-]+) >-+$")


def read_log(path):
    """[(epoch seconds, line)] of a time-stamped log."""
    lines = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stamp, _, text = raw.partition(" ")
        try:
            lines.append((float(stamp), text))
        except ValueError:
            continue
    return lines


def read_cpu(path):
    """[(epoch, cores, busy jiffies, all jiffies)]."""
    samples = []
    if path.is_file():
        for raw in path.read_text().splitlines():
            parts = raw.split()
            if len(parts) == 4 and all(p.isdigit() for p in parts):
                samples.append(tuple(int(p) for p in parts))
    return samples


def busy(samples, start, end):
    """Cores kept busy on average between start and end (None without two samples in between)."""
    inside = [s for s in samples if start - 1 <= s[0] <= end + 1]
    if len(inside) < 2 or inside[-1][3] == inside[0][3]:
        return None
    first, last = inside[0], inside[-1]
    return first[1] * (last[2] - first[2]) / (last[3] - first[3])


def duration(text, unit):
    if unit == "h":
        hours, minutes = text.split(":")[:2]
        return int(hours) * 3600 + int(minutes) * 60
    if unit == "min":
        minutes, seconds = text.split(":")
        return int(minutes) * 60 + float(seconds)
    return float(text)


def phases(log):
    """The run's phases in order: set-up, each Maven module's mojo executions, getting started."""
    found = []
    maven_start = next((t for t, line in log if line.startswith("[INFO] Scanning for projects")), None)
    started_gs = next((t for t, line in log if line.startswith("== getting started")), None)
    if maven_start is not None:
        found.append(("set-up (.ci/setup)", None, log[0][0], maven_start))
    # Module display names to artifactIds: Maven prints "--< group:artifact >--", then "Building name …".
    names, artifact = {}, None
    for _, line in log:
        m = ARTIFACT_ID.match(line)
        if m:
            artifact = m.group("artifact")
            continue
        m = NAME_OF_MODULE.match(line)
        if m and artifact:
            names[m.group("name")] = artifact
            artifact = None
    module_total = {}
    maven_end = None
    for t, line in log:
        if "Reactor Summary" in line:
            maven_end = t
        m = MODULE_TIME.match(line)
        if m and maven_end is not None:
            name = m.group("name")
            module_total[names.get(name, name)] = duration(m.group("time"), m.group("unit"))
    # Mojo executions: each ends where the next one of its module starts, or where its module ends.
    mojos = [(t, m) for t, line in log for m in [MOJO.match(line)] if m]
    for i, (t, m) in enumerate(mojos):
        module = m.group("module")
        later = [u for u, n in mojos[i + 1:] if n.group("module") == module]
        first = next(u for u, n in mojos if n.group("module") == module)
        if later:
            end = later[0]
        elif module in module_total:
            end = first + module_total[module]
        else:
            end = maven_end or t
        label = "%s: %s:%s (%s)" % (module, m.group("plugin").replace("maven-", "").replace("-plugin", ""),
                                    m.group("goal"), m.group("execution"))
        found.append((label, module, t, end))
    # Each module as a whole, from its first mojo for as long as the reactor summary says it took.
    for module, total in module_total.items():
        first = next((u for u, n in mojos if n.group("module") == module), None)
        if first is not None:
            found.append(("**%s** (whole module)" % module, module, first, first + total))
    if started_gs is not None:
        found.append(("getting started (.ci/getting-started)", None, started_gs, log[-1][0]))
    return found


def jobs(log, reports):
    """Each invoker build job: execution, project, result, start, wall time (from its report)."""
    starts, ends = {}, {}
    for t, line in log:
        m = JOB_START.match(line)
        if m:
            starts.setdefault(m.group("project"), []).append(t)
        m = JOB_END.match(line)
        if m:
            ends.setdefault(m.group("project"), []).append(t)
    found = []
    for report in sorted(reports.glob("*/target/invoker-reports/*/BUILD-*.xml")):
        try:
            job = ElementTree.parse(report).getroot()
        except ElementTree.ParseError as e:
            # A run that ran out of disk or was killed leaves empty or cut reports: time the others.
            print("skipping %s: %s" % (report, e), file=sys.stderr)
            continue
        project = job.get("project", "")
        module = report.parents[3].name
        execution = module if report.parent.name in ("its", module) else "%s (%s)" % (module, report.parent.name)
        seconds = float(job.get("time", "0"))
        # A project built by two executions (the examples under two Mavens) starts twice: match by end.
        start = None
        for candidate_end in ends.get(project, []):
            candidate = candidate_end - seconds
            options = [s for s in starts.get(project, []) if abs(s - candidate) < 5]
            if options:
                start = options[0]
                starts[project].remove(start)
                ends[project].remove(candidate_end)
                break
        found.append((execution, project.rsplit("/pom.xml", 1)[0], job.get("result", "?"), start, seconds))
    return sorted(found, key=lambda j: (j[3] is None, j[3] or 0, j[1]))


def clock(seconds):
    seconds = int(round(seconds))
    return "%d:%02d" % (seconds // 60, seconds % 60)


def report(ci_dir, reports, threshold):
    log = read_log(ci_dir / "run.log")
    if not log:
        sys.exit("no time-stamped run log in %s: run .ci/run first" % ci_dir)
    cpu = read_cpu(ci_dir / "cpu.log")
    info = dict(line.split("=", 1) for line in (ci_dir / "run-info").read_text().splitlines()
                if "=" in line) if (ci_dir / "run-info").is_file() else {}
    zero = log[0][0]
    total = log[-1][0] - zero
    cores = cpu[0][1] if cpu else None
    out = []
    overall = busy(cpu, zero, log[-1][0])
    out.append("Run of commit %s on %s (%s cores, load average %s at its start): **%s** in all%s." % (
        info.get("commit", "?"), info.get("date", "?"), cores or "?", info.get("load", "?"), clock(total),
        "" if overall is None else ", keeping %.2f of the %d cores busy on average" % (overall, cores)))
    out.append("")
    out.append("| Phase | Started | Wall time | Cores busy |")
    out.append("|---|---:|---:|---:|")
    for label, _, start, end in phases(log):
        if end - start < threshold:
            continue
        used = busy(cpu, start, end)
        out.append("| %s | %s | %s | %s |" % (label, clock(start - zero), clock(end - start),
                                             "" if used is None else "%.2f" % used))
    out.append("")
    found = jobs(log, reports)
    out.append("%d invoker build jobs, in the order they started (wall time includes their verify scripts):" % len(found))
    out.append("")
    out.append("| IT | Module | Result | Started | Wall time |")
    out.append("|---|---|---|---:|---:|")
    for execution, project, result, start, seconds in found:
        out.append("| `%s` | %s | %s | %s | %s |" % (project, execution, result,
                                                     "" if start is None else clock(start - zero), clock(seconds)))
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ci-dir", type=pathlib.Path, default=ROOT / "target" / "ci")
    parser.add_argument("--its", dest="reports", type=pathlib.Path, default=ROOT / "its",
                        help="the directory whose modules hold the invoker reports")
    parser.add_argument("--threshold", type=float, default=3.0, help="leave out phases shorter than this (s)")
    parser.add_argument("--write", action="store_true", help="replace the marked block in its/README.md")
    args = parser.parse_args()
    text = report(args.ci_dir, args.reports, args.threshold)
    sys.stdout.write(text)
    if not args.write:
        return
    readme = ROOT / "its" / "README.md"
    current = readme.read_text(encoding="utf-8")
    if BEGIN not in current or END not in current:
        sys.exit("%s has no %s ... %s block" % (readme, BEGIN, END))
    head, rest = current.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(head + BEGIN + "\n" + text + END + tail, encoding="utf-8")
    print("updated", readme)


if __name__ == "__main__":
    main()
