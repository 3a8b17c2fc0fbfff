# Reads the dependencies of every RPM a closure check looks at (DepsFactsStep). Input: one
# directory of RPMs per package set, /work/sets/<n> (copied in or mounted read-only).
# Output: /work/out/<n>.toml, what package-facts.py deps reports for that set.
set -e
need python3
mkdir -p /work/out
for set in /work/sets/*; do
  [ -d "$set" ] || continue
  python3 /work/.twoliter/package-facts.py deps "$set" > "/work/out/$(basename "$set").toml"
done
echo "twoliter: dependencies of $(find -L /work/sets -name '*.rpm' | wc -l) packages read"
