# The main process of every step container (DockerEngine). The container is started before its step
# is known; this waits for the step's files, then runs the step. With TWOLITER_EXCHANGE set (a local
# engine that sees the build's files) the files come and go through that directory; otherwise they
# arrive as an archive through the Docker API, which also fetches the outputs.
x=${TWOLITER_EXCHANGE:-}
unset TWOLITER_EXCHANGE
if [[ -n $x ]]; then go=$x/go; : > "$x/ready"; else go=/work/.twoliter-go; fi
# read -t on the open, silent stdin waits without forking; should stdin be closed, sleep paces the loop.
while [[ ! -e $go ]]; do read -r -t 0.01 _; (( $? > 128 )) || sleep 0.01; done
fail() { printf '%s\n' "$1" > "$x/failed"; exit 125; }
if [[ -n $x ]]; then
  cp -R --preserve=mode,timestamps "$x/in/." / || fail "copying the inputs into place failed"
fi
while IFS= read -r -d '' assignment; do export "$assignment"; done < /work/.twoliter-env
[[ -n $x ]] || exec /bin/bash /work/.twoliter-step.sh
/bin/bash /work/.twoliter-step.sh
status=$?
if (( status == 0 )) && [[ -s $x/output-path ]]; then
  IFS= read -r output < "$x/output-path"
  if [[ -d $output ]]; then
    { mkdir "$x/out.part" && cp -R --preserve=mode,timestamps "$output/." "$x/out.part/" \
      && chmod -R a+rwX "$x/out.part" && mv "$x/out.part" "$x/out"; } || fail "copying the outputs out of $output failed"
  fi
fi
exit "$status"
