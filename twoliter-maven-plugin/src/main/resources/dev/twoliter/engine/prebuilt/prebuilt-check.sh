# Checks the prebuilt RPMs of a module (PrebuiltBuild) with rpm's own verification, as rpm -K does.
# Inputs: /work/prebuilt/<n>.rpm and, when the module names a signing key, /work/key.asc.
# Outputs in /work/out: <n>.txt, the report of `rpmkeys --checksig -v` on /work/prebuilt/<n>.rpm and
# a last line "exit <status>"; key.txt, the key's fingerprints as `gpg --with-colons` lists them.
# The plugin reads the reports; this script decides nothing.
need rpmkeys gpg
mkdir -p /work/out /work/rpmdb
export GNUPGHOME=/work/gnupg
mkdir -m 700 -p "$GNUPGHOME"
if [ -f /work/key.asc ]; then
  if ! gpg --batch --quiet --with-colons --show-keys /work/key.asc > /work/out/key.txt; then
    echo "twoliter: the signing key is not an OpenPGP public key"
    exit "$EXIT_SETUP"
  fi
  if ! rpmkeys --dbpath /work/rpmdb --import /work/key.asc; then
    echo "twoliter: rpm cannot import the signing key"
    exit "$EXIT_SETUP"
  fi
fi
count=0
for rpm_file in /work/prebuilt/*.rpm; do
  report="/work/out/$(basename "$rpm_file" .rpm).txt"
  status=0
  rpmkeys --dbpath /work/rpmdb --checksig -v "$rpm_file" > "$report" 2>&1 || status=$?
  echo "exit $status" >> "$report"
  count=$((count + 1))
done
echo "twoliter: checked $count prebuilt RPM(s)"
