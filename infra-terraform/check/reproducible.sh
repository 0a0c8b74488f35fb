#!/usr/bin/env bash
# Proof that the function jars are reproducible (root pom: project.build.outputTimestamp): builds
# every function of functions/functions.json from clean, saves each jar's sha256, builds them from
# clean again and fails unless every jar is byte-identical. An unchanged function then keeps its
# source_code_hash, and Terraform neither uploads nor publishes it again. Extra arguments go to
# Maven (e.g. -o). A few minutes: it builds everything twice.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

modules="$(node -p "Object.keys(require('./functions/functions.json').functions).map((f) => 'functions/' + f).join(',')")"
build() {
  ./mvnw -B -ntp -q "$@" clean package -DskipTests -pl "$modules" -am >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
}

echo "== first build"
build "$@"
node "$here/jar-report.js" --save "$work/first.json"
echo "== second build, from clean"
build "$@"
node "$here/jar-report.js" --compare "$work/first.json"
