#!/bin/sh
# Installs ekslint from a GitHub release: downloads the archive for this machine's OS and
# architecture, checks its SHA-256 against the release's checksums.txt, and puts the binary in
# BINDIR. If the checksum is missing or wrong, nothing is installed. The Action (action.yml) uses
# it, and so can you:
#
#   curl -sSfL https://raw.githubusercontent.com/ekslint/ekslint/v0.1.0/scripts/install.sh | sh -s -- -b /usr/local/bin v0.1.0
#
# usage: install.sh [-b BINDIR] [VERSION]
#   BINDIR   where the binary goes (default ./bin)
#   VERSION  a release tag, vX.Y.Z (default: the latest release)
# EKSLINT_DOWNLOAD_URL: where the releases are, <url>/<tag>/<file> (default
#   https://github.com/ekslint/ekslint/releases/download); a mirror, or a test's local server.
#
# checksums.txt is signed (keyless cosign, checksums.txt.sigstore.json in the release);
# CONTRIBUTING.md shows how to verify it. This script trusts checksums.txt from the same place
# as the archive: it catches a corrupted or substituted download, not a compromised release.
set -eu

fail() {
	echo "install.sh: $*" >&2
	exit 1
}
usage() {
	echo "usage: install.sh [-b bindir] [version]" >&2
	exit 2
}

bindir=./bin
while getopts b:h opt; do
	case $opt in
	b) bindir=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -le 1 ] || usage
version=${1:-latest}
base=${EKSLINT_DOWNLOAD_URL:-https://github.com/ekslint/ekslint/releases/download}
base=${base%/}

# The tools, found before anything is downloaded.
if command -v curl >/dev/null 2>&1; then
	fetch=curl
elif command -v wget >/dev/null 2>&1; then
	fetch=wget
else
	fail "needs curl or wget to download ekslint"
fi
if command -v sha256sum >/dev/null 2>&1; then
	sha256='sha256sum'
elif command -v shasum >/dev/null 2>&1; then
	sha256='shasum -a 256'
elif command -v openssl >/dev/null 2>&1; then
	sha256='openssl dgst -sha256 -r'
else
	fail "needs sha256sum, shasum or openssl to check the download"
fi

# download URL FILE
download() {
	case $fetch in
	curl) curl -fsSL --retry 3 -o "$2" "$1" ;;
	wget) wget -q -O "$2" "$1" ;;
	esac || fail "could not download $1"
}

if [ "$version" = latest ]; then
	# GitHub redirects <releases>/latest to <releases>/tag/<tag>.
	url=${base%/download}/latest
	case $fetch in
	curl) final=$(curl -fsSL -o /dev/null -w '%{url_effective}' "$url") || final= ;;
	wget) final=$(wget -q -O /dev/null --server-response "$url" 2>&1 | awk '$1 == "Location:" { loc = $2 } END { print loc }') ;;
	esac
	version=${final##*/}
	[ -n "$version" ] || fail "could not find the latest release at $url"
fi
case $version in
v[0-9]*.[0-9]*.[0-9]*) ;;
*) fail "not a release version: '$version' (want vX.Y.Z)" ;;
esac

case $(uname -s) in
Linux) os=linux ;;
Darwin) os=darwin ;;
MINGW* | MSYS* | CYGWIN* | Windows_NT) os=windows ;;
*) os= ;;
esac
case $(uname -m) in
x86_64 | amd64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
*) arch= ;;
esac
if [ -z "$os" ] || [ -z "$arch" ]; then
	fail "no ekslint release for $(uname -s) $(uname -m); build it with: go install github.com/ekslint/ekslint/cmd/ekslint@$version"
fi

# The names .goreleaser.yaml gives the archives and the binary.
exe=ekslint
archive=ekslint_${version#v}_${os}_${arch}.tar.gz
if [ "$os" = windows ]; then
	exe=ekslint.exe
	archive=ekslint_${version#v}_${os}_${arch}.zip
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
download "$base/$version/checksums.txt" "$tmp/checksums.txt"
download "$base/$version/$archive" "$tmp/$archive"

want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/checksums.txt")
[ -n "$want" ] || fail "checksums.txt of $version has no entry for $archive: not installed"
got=$($sha256 "$tmp/$archive" | cut -d ' ' -f 1)
[ "$got" = "$want" ] || fail "checksum mismatch for $archive: checksums.txt says $want, the download is $got: not installed"

mkdir "$tmp/x"
case $archive in
*.zip) unzip -q "$tmp/$archive" "$exe" -d "$tmp/x" ;;
*) tar -xzf "$tmp/$archive" -C "$tmp/x" "$exe" ;;
esac || fail "could not unpack $exe from $archive"

# Copy next to the target, then rename over it: an ekslint already there is replaced whole or
# not at all.
mkdir -p "$bindir"
cp "$tmp/x/$exe" "$bindir/.$exe.$$"
chmod 755 "$bindir/.$exe.$$"
mv -f "$bindir/.$exe.$$" "$bindir/$exe"
echo "installed ekslint $version ($os/$arch) to $bindir/$exe"
