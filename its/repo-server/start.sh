#!/usr/bin/env bash
# Usage: start.sh <dir> <port>
# A throw-away Maven repository for the ITs: a private nginx on 127.0.0.1:<port> serving <dir>/data.
# GET is anonymous; PUT and the other WebDAV methods need basic auth (REPO_USER/REPO_PASSWORD,
# default deployer/s3cret, as in its/src/it/settings.xml). Nothing is written outside <dir>.
set -euo pipefail

die() { echo "repo-server: ERROR: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 <dir> <port>"
port=$2
[[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "bad port '$port'"

NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$NGINX" ] || die "nginx not found (apt-get install -y --no-install-recommends nginx)"
command -v openssl >/dev/null 2>&1 || die "openssl not found"

mkdir -p "$1"
dir=$(cd "$1" && pwd -P)
case $dir in *'|'*|*' '*) die "dir must not contain '|' or spaces: $dir";; esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
template=${REPO_NGINX_TEMPLATE:-$here/nginx.conf.template}
[ -f "$template" ] || die "template not found: $template"

if [ -f "$dir/nginx.pid" ] && kill -0 "$(cat "$dir/nginx.pid")" 2>/dev/null; then
    # The directory is the module's own: a server still serving it was left by a run that failed or
    # was killed before its stop step, and nothing else uses it.
    echo "repo-server: stopping the server an earlier run left for $dir (pid $(cat "$dir/nginx.pid"))"
    "$here/stop.sh" "$dir"
fi

# Fast, clear failure if something already listens on the port.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is already in use"
fi

user=${REPO_USER:-deployer}
password=${REPO_PASSWORD:-s3cret}

mkdir -p "$dir/conf" "$dir/data" "$dir/logs" "$dir/tmp"
rm -f "$dir/nginx.pid"
printf '%s:%s\n' "$user" "$(openssl passwd -apr1 "$password")" > "$dir/htpasswd"

# As root the master would drop workers to 'nobody', which cannot write <dir>/data.
if [ "$(id -u)" -eq 0 ]; then user_directive='user root root;'; else user_directive=''; fi

sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@USER_DIRECTIVE@|$user_directive|g" \
    "$template" > "$dir/conf/nginx.conf"

# -p: prefix, -e: startup error log (before the config is read), -c: our config only.
if ! "$NGINX" -p "$dir/" -e "$dir/logs/error.log" -c "$dir/conf/nginx.conf" 2>"$dir/logs/start.err"; then
    cat "$dir/logs/start.err" >&2
    tail -n 5 "$dir/logs/error.log" >&2 2>/dev/null || true
    die "nginx failed to start on 127.0.0.1:$port"
fi

# nginx's launcher exits right after forking; wait for the pid file and the socket.
for _ in $(seq 1 100); do
    if [ -s "$dir/nginx.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "repo server up: http://127.0.0.1:$port/ (pid $(cat "$dir/nginx.pid"), root $dir/data)"
        exit 0
    fi
    sleep 0.05
done
die "nginx did not become ready within 5s; see $dir/logs/error.log"
