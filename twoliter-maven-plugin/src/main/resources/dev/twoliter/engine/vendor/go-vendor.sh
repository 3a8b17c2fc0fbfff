# Writes the vendor/ directory of one Go module tree (GoVendoring) with `go mod vendor`, offline: the
# modules come from /work/goproxy, a module proxy laid out as files that Java filled with modules it
# had already checked against go.sum (and Go checks them again). Inputs: the tree's files below
# /work/tree, or the archive /work/archive/$TREE_ARCHIVE unpacked there; the module's root is
# $TREE_ROOT below /work/tree. Output: the vendor/ directory in /work/out.
need go tar
mkdir -p /work/tree /work/out /work/home || exit "$EXIT_SETUP"
if [ -n "$TREE_ARCHIVE" ]; then
  tar -xf "/work/archive/$TREE_ARCHIVE" -C /work/tree --no-same-owner --no-same-permissions || exit "$EXIT_SETUP"
fi
cd "/work/tree/$TREE_ROOT" || { echo "twoliter: $TREE_ROOT is not a directory of the sources"; exit "$EXIT_SETUP"; }
export HOME=/work/home GOPATH=/work/home/go GOMODCACHE=/work/home/go/pkg/mod GOCACHE=/work/home/.cache/go-build
export GOPROXY=file:///work/goproxy GOSUMDB=off GONOSUMDB= GONOSUMCHECK= GOPRIVATE= GOTOOLCHAIN=local
export GOTELEMETRY=off GOWORK=off GOFLAGS=
echo "twoliter: go mod vendor in ${TREE_ROOT:-.} ($(go version))"
rm -rf vendor
go mod vendor || exit "$EXIT_VENDOR"
if [ -d vendor ]; then
  cp -R vendor /work/out/ || exit "$EXIT_SETUP"
fi
