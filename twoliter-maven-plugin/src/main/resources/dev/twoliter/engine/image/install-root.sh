# Installs the variant's packages into an empty root (VariantBuild). Inputs: the variant's own RPMs
# in /work/local, kit repositories in /work/kits/<id> (ids in KIT_REPOS, in priority order), the
# package names in /work/in/packages.txt (one per line), the arch's macros file $ARCH_MACROS.
# Outputs in /work/out: root.tar, packages.toml (package-facts.py) and settings.d/ (the packages'
# settings fragments).
# With SCRIPTLETS=run the packages' scriptlets run and the only output is root.tar: the plugin takes
# what it records about the packages from a pass in which no package code ran, because a scriptlet
# runs as root in this container and could rewrite anything here, not only the root it installs.
need dnf createrepo_c python3 tar
cp -- "$ARCH_MACROS" /etc/rpm/macros.twoliter-arch || exit "$EXIT_SETUP"
mkdir -p /work/out /work/root
local_rpms=(/work/local/*.rpm)
repos=()
if (( ${#local_rpms[@]} )); then
  createrepo_c --quiet /work/local || exit "$EXIT_SETUP"
  repos+=(--repofrompath=local,/work/local --enablerepo=local --setopt=local.priority=1)
fi
mapfile -t kit_repos < <(kit_repository_options)
repos+=("${kit_repos[@]}")
mapfile -t packages < /work/in/packages.txt
transaction=()
if [ "$SCRIPTLETS" != run ]; then
  transaction=(--setopt=tsflags=noscripts,notriggers)
fi
echo "twoliter: installing ${packages[*]}"
dnf -y "${dnf_options[@]}" --installroot=/work/root "${repos[@]}" "${transaction[@]}" install -- "${packages[@]}" \
  || exit "$EXIT_INSTALL"
if [ "$SCRIPTLETS" = run ]; then
  tar --numeric-owner -C /work/root -cf /work/out/root.tar . || exit "$EXIT_SETUP"
  echo "twoliter: packages installed with their scriptlets"
  exit 0
fi
python3 /work/.twoliter/package-facts.py installed /work/root "$FRAGMENTS_DIR" "$EXTENSIONS_DIR" > /work/out/packages.toml \
  || exit "$EXIT_SETUP"
mkdir -p /work/out/settings.d
for f in "/work/root/$FRAGMENTS_DIR"/*.toml; do
  cp -- "$f" /work/out/settings.d/
done
tar --numeric-owner -C /work/root -cf /work/out/root.tar . || exit "$EXIT_SETUP"
echo "twoliter: $(grep -c '^\[\[package\]\]' /work/out/packages.toml) packages installed"
