#!/usr/bin/env bash
# Usage: stop.sh <dir>   -- stops the nginx started by start.sh <dir>.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 <dir>" >&2; exit 1; }
dir=$1
pidfile=$dir/nginx.pid
if [ ! -s "$pidfile" ]; then
    echo "repo-server: no pid file in $dir, nothing to stop"
    exit 0
fi
pid=$(cat "$pidfile")
if ! kill -0 "$pid" 2>/dev/null; then
    echo "repo-server: pid $pid not running; removing stale pid file"
    rm -f "$pidfile"
    exit 0
fi
# A finished master may linger as a zombie until PID 1 reaps it (kill -0 still succeeds),
# so "gone" means: no such process, or zombie, or nginx removed its pid file on exit.
gone() {
    [ ! -e "$pidfile" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 0
    [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ]
}
kill -TERM "$pid"            # fast shutdown of master + workers
for _ in $(seq 1 200); do
    gone && { rm -f "$pidfile"; echo "repo server stopped (pid $pid)"; exit 0; }
    sleep 0.05
done
echo "repo-server: pid $pid ignored TERM for 10s, sending KILL" >&2
pkill -KILL -P "$pid" 2>/dev/null || true   # its workers, by parent pid
kill -KILL "$pid" 2>/dev/null || true
rm -f "$pidfile"
