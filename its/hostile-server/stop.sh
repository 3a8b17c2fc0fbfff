#!/usr/bin/env bash
# Usage: stop.sh <dataDir>   -- stops the server started by start.sh <dataDir>; fine if not running.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 <dataDir>" >&2; exit 1; }
dir=$1
pidfile=$dir/server.pid
if [ ! -s "$pidfile" ]; then
    echo "hostile-server: no pid file in $dir, nothing to stop"
    exit 0
fi
pid=$(cat "$pidfile")
if ! [[ $pid =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
    echo "hostile-server: pid $pid not running; removing stale pid file"
    rm -f "$pidfile"
    exit 0
fi
# Guard against a recycled pid: only signal our own JVM.
case $(ps -o args= -p "$pid" 2>/dev/null) in
    *" HostileServer "*) ;;
    *) echo "hostile-server: pid $pid is not HostileServer; removing stale pid file"
       rm -f "$pidfile"
       exit 0;;
esac
# An exited JVM may linger as a zombie until its parent reaps it (kill -0 still succeeds).
gone() {
    kill -0 "$pid" 2>/dev/null || return 0
    [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ]
}
kill -TERM "$pid"
for _ in $(seq 1 200); do
    gone && { rm -f "$pidfile"; echo "hostile server stopped (pid $pid)"; exit 0; }
    sleep 0.05
done
echo "hostile-server: pid $pid ignored TERM for 10s, sending KILL" >&2
kill -KILL "$pid" 2>/dev/null || true
rm -f "$pidfile"
echo "hostile server killed (pid $pid)"
