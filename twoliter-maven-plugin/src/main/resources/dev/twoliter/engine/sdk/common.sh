# Prepended by the plugin to every step script. Everything a step needs from the build arrives as
# environment variables or files, never as text pasted into a script, so no value from a POM, a
# kit or the command line is ever parsed as shell code.
set -uo pipefail
shopt -s nullglob

# Fails the step with a dedicated exit code when the SDK image lacks a command the step needs.
need() {
  local missing=() command
  for command in "$@"; do
    command -v "$command" > /dev/null 2>&1 || missing+=("$command")
  done
  if (( ${#missing[@]} )); then
    echo "twoliter: the SDK lacks ${missing[*]}"
    exit "$EXIT_SDK_TOOL_MISSING"
  fi
}

# The dnf options every step uses: only the repositories the step names, no network, no host
# configuration, and the target arch when it is not the SDK's own.
dnf_options=('--disablerepo=*' --setopt=reposdir=/dev/null --nogpgcheck --releasever=1
             --setopt=install_weak_deps=False --setopt=cachedir=/var/tmp/dnf-cache)
if [ -n "${FORCE_ARCH:-}" ]; then
  dnf_options+=(--forcearch "$FORCE_ARCH")
fi

# Repository options for the kit repositories listed one id per line in KIT_REPOS (each mounted
# or copied at /work/kits/<id>), in priority order starting at KIT_PRIORITY_BASE when set.
kit_repository_options() {
  local id priority=${KIT_PRIORITY_BASE:-}
  while IFS= read -r id; do
    [ -n "$id" ] || continue
    printf '%s\n' "--repofrompath=$id,/work/kits/$id" "--enablerepo=$id"
    if [ -n "$priority" ]; then
      printf '%s\n' "--setopt=$id.priority=$priority"
      priority=$((priority + 1))
    fi
  done <<< "${KIT_REPOS:-}"
}
