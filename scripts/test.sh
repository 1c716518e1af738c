#!/usr/bin/env bash
# Every test of archive, as CI runs it: formatting, lints, the Rust tests, the browser tests.
#
# Installs what the browser tests need when it is missing and this user may install it
# (Debian's chromium, the npm packages in tests/browser); otherwise it fails, naming what to install.
# It never skips a test for want of a tool.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "error: $*" >&2; exit 1; }

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

echo "== cargo fmt --check"
cargo fmt --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --quiet --all-targets -- -D warnings
echo "== cargo test"
cargo test --quiet 2>&1
# The fuzz test runs above for 6 s with a fixed seed; here it runs longer, optimised, with a
# seed that changes daily (printed, so a failure can be replayed with ARCHIVE_FUZZ_SEED).
fuzz_seed="${ARCHIVE_FUZZ_SEED:-$(date -u +%Y%j)}"
echo "== fuzz: parser and references, ${ARCHIVE_FUZZ_CI_SECS:-30} s, seed $fuzz_seed"
ARCHIVE_FUZZ_SECS="${ARCHIVE_FUZZ_CI_SECS:-30}" ARCHIVE_FUZZ_SEED="$fuzz_seed" \
  cargo test --quiet --release --test hostile_fuzz 2>&1
echo "== browser tests (headless Chromium, file://)"
if [ -f tests/browser/package.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cargo build --quiet --release --bin archive --examples
  (cd tests/browser && npm test)
else
  fail "tests/browser/package.json is missing"
fi
