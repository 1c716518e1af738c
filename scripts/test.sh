#!/usr/bin/env bash
# Every test of archive, as CI runs it: formatting, lints, the Rust tests, the browser tests.
#
# Installs what the browser tests need when it is missing and this user may install it
# (Debian's chromium, the npm packages in tests/browser); otherwise it fails, naming what to install.
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
command -v node >/dev/null 2>&1 || fail "the browser tests need Node.js 18 or newer"
command -v npm >/dev/null 2>&1 || fail "the browser tests need npm"

step "cargo fmt --check"
cargo fmt --check
step "cargo clippy --all-targets -- -D warnings"
cargo clippy --quiet --workspace --all-targets -- -D warnings
step "cargo test (workspace)"
cargo test --quiet --workspace 2>&1
# Tests that need root (a build as another user, a full tmpfs): ignored by a plain `cargo test`,
# run here, where CI is root.
step "cargo test: the tests that need root"
[ "$(id -u)" = 0 ] || fail "the as_root_ tests need root (CI runs as root): run this script as root"
command -v setpriv >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1 \
  || fail "the as_root_ tests need setpriv and unshare: install util-linux"
cargo test --quiet --test it -- --ignored as_root_ 2>&1
# The fuzz test runs above for 6 s with a fixed seed; here it runs longer, optimised, with a
# seed that changes daily (printed, so a failure can be replayed with ARCHIVE_FUZZ_SEED).
fuzz_seed="${ARCHIVE_FUZZ_SEED:-$(date -u +%Y%j)}"
step "fuzz: parser and references, ${ARCHIVE_FUZZ_CI_SECS:-30} s, seed $fuzz_seed"
ARCHIVE_FUZZ_SECS="${ARCHIVE_FUZZ_CI_SECS:-30}" ARCHIVE_FUZZ_SEED="$fuzz_seed" \
  cargo test --quiet --release --test fuzz 2>&1
step "browser tests (headless Chromium, file://)"
if [ -f tests/browser/package.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cargo build --quiet --release --bin archive --examples
  (cd tests/browser && npm test)
else
  fail "tests/browser/package.json is missing"
fi
step "done"
echo "all steps: $((SECONDS - suite_started)) s"
