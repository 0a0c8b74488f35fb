#!/usr/bin/env bash
# Offline check of infra-terraform: the check's own tests, then the check of the
# tree (see README.md). Needs node >= 20 and, the first time, the npm registry.
# Ends with one line "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if [ ! -f node_modules/@cdktf/hcl2json/package.json ] || [ ! -f node_modules/web-tree-sitter/package.json ] \
   || [ ! -f node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm ]; then
  echo "installing the check's npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== self-tests (node --test test/)"
tests_status=0
node --test --test-reporter=tap test/ >"$work/tests.tap" 2>&1 || tests_status=$?
grep -E '^(not )?ok |^# (tests|pass|fail) ' "$work/tests.tap" || true
if [ "$tests_status" -ne 0 ]; then
  # show the failures in full
  sed -n '/^not ok /,/^  \.\.\./p' "$work/tests.tap"
fi
tests_passed="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$work/tests.tap" | tail -1)"
tests_failed="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$work/tests.tap" | tail -1)"
tests_passed="${tests_passed:-0}"
tests_failed="${tests_failed:-0}"
if [ "$tests_status" -ne 0 ] && [ "$tests_failed" -eq 0 ]; then
  tests_failed=1 # the runner itself failed
fi

echo "== check of the tree (node check.js)"
check_status=0
node check.js --counts "$work/counts.json" || check_status=$?
if [ -f "$work/counts.json" ]; then
  check_passed="$(node -p "require('$work/counts.json').passed")"
  check_failed="$(node -p "require('$work/counts.json').failed")"
else
  check_passed=0
  check_failed=1 # the check itself crashed
fi

passed=$((tests_passed + check_passed))
failed=$((tests_failed + check_failed))
echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ] || [ "$tests_status" -ne 0 ] || [ "$check_status" -ne 0 ]; then
  exit 1
fi
