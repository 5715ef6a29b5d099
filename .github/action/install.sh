#!/usr/bin/env bash
# Installs corroborate on a GitHub Actions runner for the action in `action.yml`: the
# release binary for this runner when the version has one (its sha256 checked), else
# built from source with cargo. Puts it on the PATH of the steps that follow.
#
# From the runner: GITHUB_ACTION_PATH (this action's checkout), GITHUB_PATH, RUNNER_OS,
# RUNNER_ARCH. From the action: CORROBORATE_INSTALL (the cached folder to install
# into), CORROBORATE_VERSION (empty: the action's own version), CORROBORATE_REPOSITORY
# (where releases are published). CORROBORATE_RELEASES overrides the download address
# (tests use a file:// folder).
set -euo pipefail

action="${GITHUB_ACTION_PATH:?this script runs inside the corroborate action}"
dest="${CORROBORATE_INSTALL:?the action sets CORROBORATE_INSTALL}"
own=$(sed -n 's/^version = "\([^"]*\)"$/\1/p' "$action/Cargo.toml" | head -n 1)
version="${CORROBORATE_VERSION:-$own}"
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([.+-][0-9A-Za-z.+-]+)?$ ]]; then
  echo "::error title=corroborate::'$version' is not a version (for example 0.1.0)" >&2
  exit 1
fi
exe=corroborate
[[ "${RUNNER_OS:-}" == Windows ]] && exe=corroborate.exe
bin="$dest/bin"
mkdir -p "$bin"
echo "$bin" >> "${GITHUB_PATH:?}"

if [[ -x "$bin/$exe" ]] && [[ "$("$bin/$exe" --version 2>/dev/null)" == "corroborate $version" ]]; then
  echo "corroborate $version, from the cache"
  exit 0
fi

case "${RUNNER_OS:-}-${RUNNER_ARCH:-}" in
  Linux-X64) target=x86_64-unknown-linux-musl ;;
  Linux-ARM64) target=aarch64-unknown-linux-musl ;;
  macOS-X64) target=x86_64-apple-darwin ;;
  macOS-ARM64) target=aarch64-apple-darwin ;;
  Windows-X64) target=x86_64-pc-windows-msvc ;;
  *) target="" ;;
esac

sha256_check() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum -c "$1"
  else
    shasum -a 256 -c "$1"
  fi
}

fetched=false
repository="${CORROBORATE_REPOSITORY:-}"
if [[ -n "$target" && ( -n "$repository" || -n "${CORROBORATE_RELEASES:-}" ) ]]; then
  base="${CORROBORATE_RELEASES:-https://github.com/$repository/releases/download}/v$version"
  name="corroborate-v$version-$target"
  tmp=$(mktemp -d)
  if curl -fsSL --retry 3 -o "$tmp/$name.tar.gz" "$base/$name.tar.gz" 2>/dev/null &&
    curl -fsSL --retry 3 -o "$tmp/$name.tar.gz.sha256" "$base/$name.tar.gz.sha256" 2>/dev/null; then
    # A binary whose checksum does not match is never run: stop here.
    if ! (cd "$tmp" && sha256_check "$name.tar.gz.sha256"); then
      echo "::error title=corroborate::the release archive $name.tar.gz does not match its published sha256; not installing it" >&2
      exit 1
    fi
    tar -xzf "$tmp/$name.tar.gz" -C "$tmp"
    cp "$tmp/$name/$exe" "$bin/$exe"
    chmod +x "$bin/$exe"
    fetched=true
    echo "corroborate $version for $target, from the release"
  else
    echo "No release binary of corroborate $version for ${target}; building it from source."
  fi
  rm -rf "$tmp"
fi

if ! $fetched; then
  if ! command -v cargo >/dev/null 2>&1; then
    echo "::error title=corroborate::no release binary of corroborate $version for this runner, and no cargo to build it with; add a Rust toolchain step (dtolnay/rust-toolchain@stable) before this action" >&2
    exit 1
  fi
  # `serve` is a local preview; CI never needs it.
  if [[ "$version" == "$own" ]]; then
    cargo install --locked --no-default-features --root "$dest" --path "$action"
  elif [[ -n "$repository" ]]; then
    cargo install --locked --no-default-features --root "$dest" \
      --git "https://github.com/$repository" --tag "v$version" corroborate
  else
    echo "::error title=corroborate::cannot find corroborate $version: no release binary and no repository to build it from" >&2
    exit 1
  fi
fi

"$bin/$exe" --version
