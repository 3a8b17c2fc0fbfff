# Builds the binary RPMs of one spec (RpmBuild). Inputs: the spec at /work/rpmbuild/SPECS/$SPEC_NAME,
# its sources in /work/rpmbuild/SOURCES, dependency RPMs in /work/deps, kit repositories in
# /work/kits/<id> (ids in KIT_REPOS), the arch's macros file $ARCH_MACROS inside the SDK, and the
# build environment (BuildEnvironment: NUL-separated NAME=value) in /work/.twoliter-build-env.
# Output: the RPMs in /work/out.
need rpmbuild dnf createrepo_c find
cp -- "$ARCH_MACROS" /etc/rpm/macros.twoliter-arch || exit "$EXIT_SETUP"
spec=/work/rpmbuild/SPECS/$SPEC_NAME
deps=(/work/deps/*.rpm)
repos=()
if (( ${#deps[@]} )); then
  createrepo_c --quiet /work/deps || exit "$EXIT_SETUP"
  repos+=(--repofrompath=twoliter-deps,/work/deps --enablerepo=twoliter-deps)
fi
mapfile -t kit_repos < <(kit_repository_options)
repos+=("${kit_repos[@]}")
# A cross build's arch macros name a sysroot: its BuildRequires go there, not over the SDK's own
# files, starting from the SDK's provides package for that arch (the tools and the cross libc).
sysroot=$(rpm --eval '%{?_cross_sysroot}')
root_options=()
rpmbuild_options=()
if [ -n "$sysroot" ]; then
  provides=/usr/share/twoliter/sysroot/$TARGET_ARCH/twoliter-sdk-provides.rpm
  if [ ! -f "$provides" ]; then
    echo "twoliter: the SDK lacks $provides, the start of a $TARGET_ARCH sysroot"
    exit "$EXIT_SDK_TOOL_MISSING"
  fi
  mkdir -p "$sysroot" && rpm --root "$sysroot" --initdb \
    && rpm --root "$sysroot" -i --nodeps --noscripts --force-debian "$provides" || exit "$EXIT_SETUP"
  # Scriptlets would run the target arch's programs inside the sysroot, which has no shell.
  root_options=(--installroot="$sysroot" --setopt=tsflags=noscripts)
  # rpmbuild checks BuildRequires against the SDK's database, which is not where they went: dnf
  # checks them against the sysroot's instead (even when nothing is to be installed).
  rpmbuild_options+=(--nodeps)
fi
if (( ${#repos[@]} )) || [ -n "$sysroot" ]; then
  echo "twoliter: installing BuildRequires from ${#deps[@]} dependency RPM(s) and $KIT_COUNT kit(s)${sysroot:+ into the sysroot $sysroot}"
  dnf -y "${dnf_options[@]}" "${root_options[@]}" "${repos[@]}" builddep "$spec" || exit "$EXIT_BUILD_REQUIRES"
fi
# rpmbuild, and so %prep, %build and %install, sees only the documented build environment.
build_env=()
mapfile -d '' -t build_env < /work/.twoliter-build-env || exit "$EXIT_SETUP"
for assignment in "${build_env[@]}"; do
  if [[ $assignment == HOME=* ]]; then mkdir -p -- "${assignment#HOME=}" || exit "$EXIT_SETUP"; fi
done
echo "twoliter: rpmbuild -bb $SPEC_NAME"
env -i "${build_env[@]}" rpmbuild -bb "${rpmbuild_options[@]}" --target "$TARGET_ARCH" "$spec" || exit "$EXIT_RPMBUILD"
mkdir -p /work/out
find /work/rpmbuild/RPMS -name '*.rpm' -exec cp {} /work/out/ \;
