#!/usr/bin/env bash
# One-time (and idempotent) machine set-up for retail-intel. Safe to re-run:
# every step checks first and is skipped when already done.
#
#   bash scripts/setup.sh           # or: npm run setup
#   bash scripts/setup.sh --smoke   # also execute a tiny tslab notebook (~15 s)
#
# Steps:
#   1. npm ci, only when node_modules is missing or package-lock.json is newer
#      than node_modules/.package-lock.json
#   2. Debian packages: Jupyter, Chromium for the browser tests, PostgreSQL for the store tests
#      (apt-get update once + install, only the missing ones). As non-root this
#      is skipped with a message naming them.
#   3. tslab kernel spec inside the repo (.jupyter/share/jupyter/kernels/tslab),
#      skipped when present and pointing at this checkout's tslab binary
#   4. check: node, Jupyter versions, `jupyter kernelspec list` shows tslab
# Quiet on success (one line per step); on failure prints the failing
# command's output and exits non-zero.
#
# Use the result with `. scripts/env.sh` (JUPYTER_PATH, JUPYTER_PYTHON).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

# chromium: headless, driven by playwright-core in test/notebook-browser.test.ts (never a downloaded browser).
# postgresql: the server binaries the PostgreSQL store's tests start a throwaway cluster with (test/store-postgres.test.ts).
APT_PACKAGES=(jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client python3-notebook chromium postgresql)
PY=/usr/bin/python3
TSLAB_BIN="$ROOT/node_modules/.bin/tslab"
JUPYTER_PREFIX="$ROOT/.jupyter"
KERNEL_DIR="$JUPYTER_PREFIX/share/jupyter/kernels/tslab"

SMOKE=0
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

LOG="$(mktemp -t retail-intel-setup.XXXXXX)"
TMPDIRS=()
cleanup() { rm -f "$LOG"; if ((${#TMPDIRS[@]})); then rm -rf "${TMPDIRS[@]}"; fi; }
trap cleanup EXIT

say() { printf 'setup: %s\n' "$*"; }
die() {
  printf '\n########################################\n' >&2
  printf 'setup: FAILED: %s\n' "$*" >&2
  printf '########################################\n' >&2
  exit 1
}
# run_quiet DESC CMD...: run CMD with its output in a log; print the log and die on failure.
run_quiet() {
  local desc="$1"; shift
  if ! "$@" >"$LOG" 2>&1; then
    echo "---- output of: $* ----" >&2
    cat "$LOG" >&2
    echo "---- end of output ----" >&2
    die "$desc"
  fi
}

# Serialise concurrent runs on the same checkout (npm ci / kernel install would race).
if mkdir -p "$JUPYTER_PREFIX" 2>/dev/null && { exec 9>>"$JUPYTER_PREFIX/.setup.lock"; } 2>/dev/null; then
  if ! flock -n 9; then
    say "waiting for another setup.sh run on this checkout..."
    flock -w 1200 9 || die "timed out waiting for the lock $JUPYTER_PREFIX/.setup.lock"
  fi
fi

# ---- 1. npm dependencies ----------------------------------------------------
npm_reason=""
if [[ ! -d node_modules ]]; then
  npm_reason="node_modules missing"
elif [[ ! -f node_modules/.package-lock.json ]]; then
  npm_reason="node_modules/.package-lock.json missing"
elif [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm_reason="package-lock.json newer than node_modules"
fi
if [[ -n "$npm_reason" ]]; then
  t0=$SECONDS
  # onnxruntime-node's CPU binaries are in its npm package; its postinstall (run by npm 10, not by
  # npm 11 unless approved) would fetch optional CUDA files from nuget.org, unreachable offline.
  export ONNXRUNTIME_NODE_INSTALL=skip
  run_quiet "npm ci ($npm_reason)" npm ci --no-audit --no-fund
  say "npm: ran npm ci ($npm_reason) in $((SECONDS - t0))s"
else
  say "npm: node_modules up to date, npm ci skipped"
fi

# ---- 2. Debian packages (Jupyter, Chromium, PostgreSQL) ------------------------
is_installed() {
  local status
  status="$(dpkg -s "$1" 2>/dev/null || true)"
  grep -qx 'Status: install ok installed' <<<"$status"
}
missing_pkgs() {
  local p
  for p in "${APT_PACKAGES[@]}"; do is_installed "$p" || echo "$p"; done
}
mapfile -t missing < <(missing_pkgs)
if ((${#missing[@]} == 0)); then
  say "apt: Debian packages (Jupyter, Chromium, PostgreSQL) installed, skipped"
elif ((EUID != 0)); then
  {
    echo "setup: apt: WARNING: not root, so NOT installing the missing Debian packages: ${missing[*]}"
    echo "setup: apt:   as root run: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  } >&2
else
  t0=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  run_quiet "apt-get update" apt-get update
  run_quiet "apt-get install ${missing[*]}" apt-get install -y --no-install-recommends "${missing[@]}"
  mapfile -t still < <(missing_pkgs)
  ((${#still[@]} == 0)) || die "apt-get install finished but these are still not installed: ${still[*]}"
  say "apt: installed ${missing[*]} in $((SECONDS - t0))s"
fi

# ---- 3. tslab kernel spec inside the repo --------------------------------------
[[ -x "$TSLAB_BIN" ]] || die "$TSLAB_BIN not found: is tslab in package.json and npm ci done?"
kernel_binary() { # prints argv[0] of the installed tslab kernel spec, or nothing
  [[ -f "$KERNEL_DIR/kernel.json" ]] || return 0
  node -e 'try { const k = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
             if (Array.isArray(k.argv)) process.stdout.write(String(k.argv[0])) } catch {}' \
    "$KERNEL_DIR/kernel.json"
}
current="$(kernel_binary)"
if [[ "$current" == "$TSLAB_BIN" ]]; then
  say "tslab: kernel spec present (.jupyter/share/jupyter/kernels/tslab), skipped"
else
  if ! "$PY" -c 'import jupyter_client' >/dev/null 2>&1; then
    mapfile -t missing < <(missing_pkgs)
    die "$PY has no Jupyter, cannot install the tslab kernel spec. Missing Debian packages: ${missing[*]:-none (but import jupyter_client fails)}; as root: apt-get update && apt-get install -y --no-install-recommends ${APT_PACKAGES[*]}"
  fi
  why="${current:+it pointed at $current}"
  # Same as `npx tslab install ...` (TOOLCHAIN.md), without npx's registry fallback.
  # Also writes the jslab (JavaScript) spec next to it.
  run_quiet "tslab install" "$TSLAB_BIN" install --python="$PY" --prefix="$JUPYTER_PREFIX" --binary="$TSLAB_BIN"
  current="$(kernel_binary)"
  [[ "$current" == "$TSLAB_BIN" ]] || die "tslab install ran but $KERNEL_DIR/kernel.json points at '${current:-nothing}', not $TSLAB_BIN"
  say "tslab: installed kernel spec in .jupyter/share/jupyter/kernels/tslab${why:+ ($why)}"
fi

# ---- 4. check what is ready ---------------------------------------------------
node_version="$(node --version)"
run_quiet "$PY -m jupyter --version" "$PY" -m jupyter --version
jupyter_versions="$(awk -F': *' '
  $1 ~ /^(nbconvert|nbclient|ipykernel|jupyter_client|notebook) *$/ { gsub(/ +$/, "", $1); out = out (out ? ", " : "") $1 " " $2 }
  END { print out }' "$LOG")"
run_quiet "jupyter kernelspec list (JUPYTER_PATH=$JUPYTER_PATH)" "$PY" -m jupyter kernelspec list
if ! grep -Eq "^[[:space:]]*tslab[[:space:]]+$KERNEL_DIR[[:space:]]*\$" "$LOG"; then
  cat "$LOG" >&2
  die "jupyter kernelspec list does not show tslab at $KERNEL_DIR"
fi
tslab_version="$(node -p 'require(process.argv[1]).version' "$ROOT/node_modules/tslab/package.json")"
chromium_version="$(/usr/bin/chromium --version 2>/dev/null || echo 'missing')"
say "ready: node $node_version; jupyter ($PY): ${jupyter_versions:-?}; kernelspec tslab $tslab_version -> $TSLAB_BIN; $chromium_version"

# ---- 5. optional: execute a tiny tslab notebook ------------------------------------
if ((SMOKE)); then
  t0=$SECONDS
  dir="$(mktemp -d -t retail-intel-smoke.XXXXXX)"
  TMPDIRS+=("$dir")
  cat >"$dir/smoke.ipynb" <<'EOF'
{
 "cells": [
  {"cell_type": "code", "execution_count": null, "id": "smoke", "metadata": {}, "outputs": [],
   "source": ["const x: number = 40 + 2; x"]}
 ],
 "metadata": {"kernelspec": {"name": "tslab", "display_name": "TypeScript", "language": "typescript"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
EOF
  run_quiet "executing a tiny tslab notebook with nbconvert" \
    timeout 900 "$PY" -m jupyter nbconvert --to notebook --execute "$dir/smoke.ipynb" \
    --output "$dir/smoke.out.ipynb" --ExecutePreprocessor.timeout=600
  got="$(node -e 'const nb = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const o = nb.cells[0].outputs.map(o => [].concat((o.data || {})["text/plain"] || o.text || []).join(""));
    process.stdout.write(o.join(" | "))' "$dir/smoke.out.ipynb")"
  [[ "$got" == "42" ]] || die "tslab smoke notebook: expected output 42, got: '${got}'"
  say "smoke: tslab notebook executed, output 42, in $((SECONDS - t0))s"
fi
