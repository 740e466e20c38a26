# shellcheck shell=bash
# Shared by scripts/*: find or build a Python >= 3.14.2 and run commands with the
# project's virtual environment. Sourced, never run on its own.
#
# Two ways to get Python 3.14:
#   native  - python3.14 (>= 3.14.2) is on PATH: a .venv next to the sources.
#   sysroot - a Debian sid sysroot built with debootstrap under the cache folder; every
#             command runs inside it through a private mount namespace + chroot, so no
#             mount outlives the command.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${SMART_CHARGING_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/smart-charging}
SYSROOT=$CACHE/sysroot-sid
VENV=$REPO/.venv
MIN_PYTHON=3.14.2
DEBIAN_MIRROR=${SMART_CHARGING_DEBIAN_MIRROR:-http://deb.debian.org/debian}

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# True when "$1" (a dotted version) is at least MIN_PYTHON.
version_ok() {
  [ "$(printf '%s\n%s\n' "$MIN_PYTHON" "$1" | sort -V | head -n1)" = "$MIN_PYTHON" ]
}

choose_toolchain() {
  if [ -n "${SMART_CHARGING_TOOLCHAIN:-}" ]; then
    TOOLCHAIN=$SMART_CHARGING_TOOLCHAIN
  elif command -v python3.14 >/dev/null 2>&1 &&
    version_ok "$(python3.14 -c 'import platform; print(platform.python_version())')"; then
    TOOLCHAIN=native
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    TOOLCHAIN=sysroot
  else
    die "Python >= $MIN_PYTHON is needed. Install python3.14 (with its venv module) and put it on PATH, or run as root on a Debian-family machine so the scripts can build a Debian sid sysroot with debootstrap."
  fi
}

# Build the sid sysroot once. A lock keeps two runs from building at once; the build
# happens in a .partial folder that is renamed only when complete, so a half-built
# sysroot is never mistaken for a good one.
ensure_sysroot() {
  [ -f "$SYSROOT/.smart-charging-ready" ] && return 0
  mkdir -p "$CACHE"
  exec 8>"$CACHE/sysroot.lock"
  flock 8
  if [ ! -f "$SYSROOT/.smart-charging-ready" ]; then
    local partial=$SYSROOT.partial
    for dir in "$partial" "$SYSROOT"; do
      if [ -e "$dir" ]; then
        if findmnt -rn -o TARGET | grep -q "^$dir"; then
          die "$dir has something mounted in it; unmount it and run again"
        fi
        say "removing the incomplete sysroot $dir"
        rm -rf "$dir"
      fi
    done
    if ! command -v debootstrap >/dev/null 2>&1; then
      say "installing debootstrap"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    fi
    say "building a Debian sid sysroot with Python 3.14 in $SYSROOT (about a minute, once)"
    debootstrap --variant=minbase --include=python3.14,python3.14-venv,ca-certificates \
      sid "$partial" "$DEBIAN_MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
      die "debootstrap failed; see $CACHE/debootstrap.log"
    local version
    version=$(chroot "$partial" /usr/bin/python3.14 -c 'import platform; print(platform.python_version())')
    version_ok "$version" || die "the sysroot has Python $version, older than $MIN_PYTHON"
    mkdir -p "$partial/dev" "$partial/proc" "$partial/sys"
    echo "$version" >"$partial/.smart-charging-ready"
    mv "$partial" "$SYSROOT"
  fi
  flock -u 8
  # Name resolution and the CA bundle can change on the host between runs: copy each time.
  cp -L /etc/resolv.conf "$SYSROOT/etc/resolv.conf" 2>/dev/null || true
  cp -L /etc/hosts "$SYSROOT/etc/hosts" 2>/dev/null || true
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    cp -L /etc/ssl/certs/ca-certificates.crt "$SYSROOT/etc/ssl/certs/ca-certificates.crt"
  fi
}

# The environment passed into the sysroot: pip, TLS and proxy settings, except those
# that name a path the sysroot does not have (the host's wheel folders, for example).
sysroot_env() {
  local name value path
  printf '%s\0' "HOME=/root" "LANG=C.UTF-8" "TERM=${TERM:-dumb}" \
    "PATH=$VENV/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    "VIRTUAL_ENV=$VENV" "PIP_CACHE_DIR=$CACHE/pip" "SMART_CHARGING_TOOLCHAIN=sysroot"
  while IFS='=' read -r -d '' name value; do
    case $name in
      PIP_FIND_LINKS | PIP_EXTRA_INDEX_URL | PIP_CONFIG_FILE) continue ;;
      PIP_* | *_proxy | *_PROXY | SSL_CERT_* | REQUESTS_CA_BUNDLE | CURL_CA_BUNDLE | CI | \
        PYTEST_* | SMART_CHARGING_* | COLUMNS) ;;
      *) continue ;;
    esac
    case $name in SMART_CHARGING_TOOLCHAIN) continue ;; esac
    path=${value#file://}
    if [ "${path#/}" != "$path" ] && [ ! -e "$SYSROOT$path" ]; then continue; fi
    printf '%s\0' "$name=$value"
  done < <(env -0)
}

# Run a command inside the sysroot, with the repository and the pip cache mounted at
# the same paths as on the host and the working directory kept.
in_sysroot() {
  mkdir -p "$SYSROOT$REPO" "$CACHE/pip" "$SYSROOT$CACHE/pip"
  local envfile
  envfile=$(mktemp)
  sysroot_env >"$envfile"
  unshare --mount --propagation private -- /bin/bash -c '
    set -e
    root=$1 repo=$2 pipcache=$3 envfile=$4 workdir=$5; shift 5
    mount --rbind /dev "$root/dev"
    mount --rbind /sys "$root/sys"
    mount -t proc proc "$root/proc"
    mount --bind "$repo" "$root$repo"
    mount --bind "$pipcache" "$root$pipcache"
    mapfile -d "" vars <"$envfile"
    rm -f "$envfile"
    exec chroot "$root" /usr/bin/env -i "${vars[@]}" /bin/bash -c "cd \"\$0\" && exec \"\$@\"" "$workdir" "$@"
  ' in-sysroot "$SYSROOT" "$REPO" "$CACHE/pip" "$envfile" "$PWD" "$@"
}

# Run a command with the virtual environment first on PATH.
run() {
  if [ "$TOOLCHAIN" = sysroot ]; then
    in_sysroot "$@"
  else
    PATH=$VENV/bin:$PATH VIRTUAL_ENV=$VENV "$@"
  fi
}

# Create .venv and install the pinned requirements; a stamp with their hash makes the
# second run skip this.
ensure_venv() {
  local want have
  want="$TOOLCHAIN $(sha256sum <"$REPO/requirements_test.txt" | cut -c1-16)"
  have=$(cat "$VENV/.smart-charging-stamp" 2>/dev/null || true)
  [ "$want" = "$have" ] && return 0
  say "creating .venv ($TOOLCHAIN Python) and installing requirements_test.txt"
  rm -rf "$VENV"
  if [ "$TOOLCHAIN" = sysroot ]; then
    in_sysroot /usr/bin/python3.14 -m venv "$VENV"
  else
    python3.14 -m venv "$VENV"
  fi
  run python -m pip install --quiet --upgrade pip
  run python -m pip install --quiet -r "$REPO/requirements_test.txt"
  echo "$want" >"$VENV/.smart-charging-stamp"
}

# Install an extra requirements file into .venv once (scripts/develop's frontend, say).
ensure_extra_requirements() {
  local file=$1 stamp want
  stamp="$VENV/.smart-charging-$(basename "$file").stamp"
  want=$(sha256sum <"$file" | cut -c1-16)
  [ "$want" = "$(cat "$stamp" 2>/dev/null || true)" ] && return 0
  say "installing $(basename "$file")"
  run python -m pip install --quiet -r "$file"
  echo "$want" >"$stamp"
}

# Everything a script needs before it runs Python.
setup_toolchain() {
  choose_toolchain
  if [ "$TOOLCHAIN" = sysroot ]; then ensure_sysroot; fi
  ensure_venv
}
