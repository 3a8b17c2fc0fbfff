# Shared by the benchmark scripts (sourced): wall-clock timing of a command and the median of numbers.

# Seconds (wall clock) of one command, its output appended to $log; exits the script if it fails.
timed() {
  local start end
  start=$(date +%s.%N)
  "$@" >> "$log" 2>&1 || { echo "failed: $* (see $log)" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
