# Makes the kit's yum repository (KitBuild). Input: the RPMs in /work/kit/Packages/<package>/.
# Outputs: /work/out/repodata and /work/out/rpms.toml, the facts of every RPM (package-facts.py).
set -e
need createrepo_c python3
# A kit that only gathers other kits has no packages of its own: its repository is empty.
mkdir -p /work/kit/Packages
createrepo_c --quiet --no-database --revision "$REVISION" --set-timestamp-to-revision /work/kit
mkdir -p /work/out
cp -r /work/kit/repodata /work/out/repodata
python3 /work/.twoliter/package-facts.py files /work/kit/Packages > /work/out/rpms.toml
echo "twoliter: repository of $(find /work/kit/Packages -name '*.rpm' | wc -l) packages"
