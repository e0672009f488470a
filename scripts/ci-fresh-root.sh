#!/usr/bin/env bash
# Runs a command of the project (default: the test suite, scripts/test.sh) in a brand-new
# Debian bookworm root on a clean clone of the committed HEAD, so that a package
# installed by hand on this machine can never hide a missing install step.
#
#   scripts/ci-fresh-root.sh                    # scripts/test.sh in a fresh root
#   scripts/ci-fresh-root.sh scripts/demo.sh    # any command of the clone
#
# The base system is built once with debootstrap into a cache directory outside the
# clone ($RECUR_CI_ROOT_CACHE, default /var/cache/recur-ci) and reused read-only: every
# run mounts a throw-away overlay on it, so each run starts from the same untouched
# bookworm and installs everything it needs itself (downloaded .deb files are shared
# with this machine's apt cache, to save bandwidth; compiled objects are kept in a ccache
# directory beside the base system, so unchanged sources are not compiled again by the
# next run: the packages are still installed and every object is still checked against
# its sources and compiler). Needs root, mount and debootstrap
# (installed if missing); if the root cannot be made, it says why and fails rather than
# testing on the host. Reads no standard input.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

say() { echo "recur-ci: $*" >&2; }
die() { say "$*"; say "FAILED: the fresh root could not be made; nothing was tested"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap, mount, chroot)"
command -v git >/dev/null || die "git is missing"
git rev-parse --verify -q HEAD >/dev/null || die "$(pwd) is not a git checkout with a commit"

cache=${RECUR_CI_ROOT_CACHE:-/var/cache/recur-ci}
base=$cache/bookworm
mkdir -p "$cache" || die "cannot create the cache directory $cache"
start=$SECONDS

# The base system, once (under a lock: two CI runs may start together).
exec 9>"$cache/.lock"
flock 9
if [[ ! -f $base/.complete ]]; then
  if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } >&2 \
      || die "debootstrap is missing and could not be installed"
  fi
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [[ -n $mirror ]] || mirror=$(grep -hm1 -oE 'https?://[^ ]+' /etc/apt/sources.list 2>/dev/null || true)
  [[ -n $mirror ]] || die "no Debian mirror found in apt's sources"
  say "building a bookworm base system in $base (once; a few minutes)"
  rm -rf "$base" "$base.new"
  debootstrap --variant=minbase bookworm "$base.new" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || die "debootstrap failed: see $cache/debootstrap.log"
  # The same package sources as this machine, so versions (and cached .debs) match.
  if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
    rm -f "$base.new/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/*.sources "$base.new/etc/apt/sources.list.d/"
  fi
  touch "$base.new/.complete"
  mv "$base.new" "$base"
fi
flock -u 9
root_seconds=$((SECONDS - start))

run=$(mktemp -d "$cache/run.XXXXXX")
mnt=$run/root
mkdir -p "$run/upper" "$run/work" "$mnt"
cleanup() {
  for m in root/.cache/ccache var/cache/apt/archives sys dev/pts dev proc; do umount "$mnt/$m" 2>/dev/null || true; done
  umount "$mnt" 2>/dev/null || true
  rm -rf "$run"
}
trap cleanup EXIT
mount -t overlay overlay -o "lowerdir=$base,upperdir=$run/upper,workdir=$run/work" "$mnt" \
  || die "cannot mount an overlay on $base (no overlayfs or no privileges)"
mount --bind /proc "$mnt/proc" && mount --bind /dev "$mnt/dev" && mount --bind /dev/pts "$mnt/dev/pts" \
  && mount --bind /sys "$mnt/sys" || die "cannot bind /proc, /dev or /sys into the root"
mkdir -p /var/cache/apt/archives/partial
mount --bind /var/cache/apt/archives "$mnt/var/cache/apt/archives" || die "cannot bind the apt cache"
mkdir -p "$cache/ccache" "$mnt/root/.cache/ccache"
mount --bind "$cache/ccache" "$mnt/root/.cache/ccache" || die "cannot bind the compiler cache"
cp /etc/resolv.conf "$mnt/etc/resolv.conf" 2>/dev/null || true
git clone -q "$(pwd)" "$mnt/root/project" || die "cannot clone $(pwd) into the root"  # committed HEAD only
say "fresh bookworm root ready in $root_seconds s; clone of $(git rev-parse --short HEAD)"

command=${*:-scripts/test.sh}
status=0
chroot "$mnt" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 CI=true \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  /bin/bash -c "cd /root/project && $command" || status=$?
say "'$command' in the fresh root: exit $status after $((SECONDS - start)) s (root $root_seconds s)"
exit $status
