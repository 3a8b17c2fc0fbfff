#!/usr/bin/env bash
# Usage: start.sh <dataDir> <httpPort> <dockerPort>
# Compiles the *.java next to this script (the hostile server: a deliberately misbehaving HTTP server
# and a Docker endpoint that never answers, both on 127.0.0.1 only) into <dataDir>/classes with the
# javac of the same JDK as the java on PATH or $JAVA_HOME/bin/java, then starts class HostileServer
# in the background. Serves <dataDir>/files and <dataDir>/repo; pid in <dataDir>/server.pid, log in
# <dataDir>/server.log. Extra JVM options: HOSTILE_JAVA_OPTS (default: -Xmx128m -XX:+UseSerialGC).
set -euo pipefail

die() { echo "hostile-server: ERROR: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: $0 <dataDir> <httpPort> <dockerPort>"
http_port=$2
docker_port=$3
for port in "$http_port" "$docker_port"; do
    [[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "bad port '$port'"
done
[ "$http_port" != "$docker_port" ] || die "http and docker ports must differ"

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA=$JAVA_HOME/bin/java
else
    JAVA=$(command -v java) || die "java not found (set JAVA_HOME or put java on PATH)"
fi
# Preferably the javac of that very JDK (PATH's java is often a symbolic link into it), so that the
# classes are never newer than the java that runs them; else the javac on PATH.
JAVAC=$(dirname "$(readlink -f "$JAVA")")/javac
if [ ! -x "$JAVAC" ]; then
    JAVAC=$(command -v javac) || die "no javac next to $JAVA nor on PATH (a JDK is needed, not only a JRE)"
fi

mkdir -p "$1"
dir=$(cd "$1" && pwd -P)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
sources=("$here"/*.java)
[ -f "$here/HostileServer.java" ] || die "not found: $here/HostileServer.java"
classes=$dir/classes
pidfile=$dir/server.pid
logfile=$dir/server.log

if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    # The directory is the module's own: a server still serving it was left by a run that failed or
    # was killed before its stop step, and nothing else uses it.
    echo "hostile-server: stopping the server an earlier run left for $dir (pid $(cat "$pidfile"))"
    "$here/stop.sh" "$dir"
fi

# Fast, clear failure if something already listens on a port.
for port in "$http_port" "$docker_port"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "port $port on 127.0.0.1 is already in use"
    fi
done

mkdir -p "$dir/files" "$dir/repo"
rm -f "$pidfile"

# Compiled afresh every time (about 2 s): no stale class of a renamed or deleted source survives.
rm -rf "$classes"
mkdir -p "$classes"
if ! javac_output=$("$JAVAC" -d "$classes" -encoding UTF-8 "${sources[@]}" 2>&1 </dev/null); then
    printf '%s\n' "$javac_output" >&2
    die "compiling the hostile server ($here/*.java) with $JAVAC failed; compiler output above"
fi

# All three standard streams redirected: a caller that waits for our output (e.g. Groovy's
# execute().waitFor()) must not wait for the server too. $! is the JVM itself; the server
# rewrites the same pid into the pid file once it is bound.
# shellcheck disable=SC2086
nohup "$JAVA" ${HOSTILE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC} -cp "$classes" HostileServer \
    "$dir" "$http_port" "$docker_port" "$pidfile" </dev/null >"$logfile" 2>&1 &
pid=$!
echo "$pid" > "$pidfile"

ready() {
    if command -v curl >/dev/null 2>&1; then
        [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$http_port/status/200/startup-probe" \
            2>/dev/null)" = 200 ]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null
    fi
}

for _ in $(seq 1 300); do    # 30 s (usually well under 1 s: already compiled)
    if ! kill -0 "$pid" 2>/dev/null; then
        tail -n 20 "$logfile" >&2 || true
        rm -f "$pidfile"
        die "the server exited during startup; see $logfile"
    fi
    if grep -q '^hostile server up: ' "$logfile" 2>/dev/null && ready; then
        grep '^hostile server up: ' "$logfile"
        echo "hostile server: pid $pid, data $dir, log $logfile"
        exit 0
    fi
    sleep 0.1
done
tail -n 20 "$logfile" >&2 || true
kill -KILL "$pid" 2>/dev/null || true
rm -f "$pidfile"
die "the server did not answer on 127.0.0.1:$http_port within 30s; see $logfile"
