#!/usr/bin/env bash
# The package as a user gets it: pack, install the tarball with production dependencies only into
# a temporary prefix, then from a temporary folder outside the repository run every command once
# on the packed fixtures. Fails on an unexpected exit code, any exit 3, or a stack trace on stderr.
# Usage: bash scripts/smoke-packed.sh   (from .ci/run; needs the repository's dev dependencies
# only for the MCP server it records, node_modules/@modelcontextprotocol/server-everything)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mcptape-smoke-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# Node 22 and later keep a compile cache in the system temp folder (npm's, and mcptape's):
# here that is the smoke's own, removed with it.
export TMPDIR="$WORK/tmp"
mkdir "$TMPDIR"
started=$SECONDS
phase() { echo "smoke: $1 ($((SECONDS - started)) s)"; }

(cd "$REPO" && npm pack --silent --pack-destination "$WORK" >/dev/null)
tarball=("$WORK"/mcptape-*.tgz)
npm install --global --prefix "$WORK/prefix" --omit=dev --no-audit --no-fund --loglevel=error "${tarball[0]}" >/dev/null
MCPTAPE="$WORK/prefix/bin/mcptape"
PKG="$WORK/prefix/lib/node_modules/mcptape"
phase "packed and installed with production dependencies only"
# The README's links to files must work in the installed package, where users read it.
node -e '
const { existsSync, readFileSync } = require("node:fs");
const { join } = require("node:path");
const pkg = process.argv[1];
const links = [...readFileSync(join(pkg, "README.md"), "utf8").matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
const missing = links.filter((l) => !existsSync(join(pkg, l)));
if (missing.length > 0) { console.error("smoke: FAILED: the packed README links to files the package lacks: " + missing.join(", ")); process.exit(1); }
' "$PKG"
EVERYTHING=(node "$REPO/node_modules/@modelcontextprotocol/server-everything/dist/index.js" stdio)
mkdir "$WORK/use" && cd "$WORK/use"

runs=0
# expect CODE ARGS...: run mcptape ARGS, check its exit code and that stderr holds no stack trace.
expect() {
  local want=$1 code=0
  shift
  "$MCPTAPE" "$@" >"$WORK/out" 2>"$WORK/err" || code=$?
  check "$want" "$code" "mcptape $*"
}
check() {
  local want=$1 code=$2 what=$3
  runs=$((runs + 1))
  if [[ $code != "$want" ]] || grep -q '^    at ' "$WORK/err"; then
    echo "smoke: FAILED: $what: exit $code (expected $want)" >&2
    sed 's/^/  stderr: /' "$WORK/err" | head -40 >&2
    exit 1
  fi
}

# record: a real stdio session of server-everything, driven by a tiny client.
code=0
node "$REPO/scripts/smoke-client.mjs" "$MCPTAPE" session.jsonl "${EVERYTHING[@]}" 2>"$WORK/err" || code=$?
check 0 "$code" "mcptape record -- server-everything"
grep -q '"name":"get-sum"' session.jsonl || { echo "smoke: FAILED: the recorded tape has no get-sum call" >&2; exit 1; }

P="$PKG/fixtures/policies"
for f in text json junit markdown github html; do
  expect 0 replay session.jsonl "$PKG/fixtures/tapes" -p "$P/demo.yaml" --format "$f" -o "replay.$f"
done
expect 1 replay "$PKG/fixtures/tapes" -p "$P/demo.yaml" --fail-on deny
for f in text json markdown html; do
  expect 0 diff "$PKG/fixtures/tapes" --base "$P/demo.yaml" --head "$P/demo-tightened.yaml" --format "$f" -o "diff.$f"
done
expect 1 diff "$PKG/fixtures/tapes" --base "$P/demo.yaml" --head "$P/demo-loosened.yaml" --fail-on-loosen
# Worker threads load from the package's dist/; shards merge into what one run prints.
expect 0 replay session.jsonl "$PKG/fixtures/tapes" -p "$P/demo.yaml" --format json --jobs 2 -o replay.jobs.json
cmp -s replay.json replay.jobs.json || { echo "smoke: FAILED: replay --jobs 2 printed other bytes than one thread" >&2; exit 1; }
for i in 1 2; do
  expect 0 diff "$PKG/fixtures/tapes" --base "$P/demo.yaml" --head "$P/demo-tightened.yaml" --shard "$i/2" --report "results=diff-$i.results.jsonl"
done
expect 0 merge diff-2.results.jsonl diff-1.results.jsonl --format markdown -o diff.merged.markdown
expect 0 diff "$PKG/fixtures/tapes" --base "$P/demo.yaml" --head "$P/demo-tightened.yaml" --format markdown -o diff.markdown
cmp -s diff.markdown diff.merged.markdown || { echo "smoke: FAILED: merged shards printed other bytes than one diff" >&2; exit 1; }
expect 0 test "$PKG/scenarios" --jobs 2 --shard 1/2
# Cedar from the package: the official engine and the MCP schema generator load from its dependencies.
C="$PKG/fixtures/cedar"
expect 0 replay "$C/everything-alice.jsonl" -p "$C/toolhive.cedar" --profile toolhive --format json -o cedar.json
expect 0 validate "$C/agentcore.cedar" --profile agentcore --target everything --tools "$C/everything-alice.jsonl"
expect 0 fuzz -p "$C/toolhive.cedar" --profile toolhive --tools "$C/everything-alice.jsonl" --claims "$C/claims.yaml" --runs 50 --seed 1
for f in text json; do
  expect 0 fuzz -p "$P/demo.yaml" --tools "$PKG/fixtures/tapes/filesystem.jsonl" --tool write_file --forbid 'args.path contains "/../"' --runs 100 --seed 1 --format "$f"
done
expect 1 fuzz -p "$P/demo.yaml" --tools session.jsonl --tool echo --forbid 'args.message contains "../"' --runs 100 --seed 1 --save found
for f in text json junit markdown github; do
  expect 0 test "$PKG/scenarios" --format "$f"
done
expect 0 validate "$P"/*.yaml "$P"/*.json
expect 0 validate "$P/demo.yaml" --tools session.jsonl --format json
expect 0 init --tools session.jsonl -o starter.yaml
expect 0 init --tools session.jsonl --dialect policylayer -o starter.policylayer.json
expect 0 validate starter.yaml starter.policylayer.json --strict --tools session.jsonl
expect 0 import intercept-audit "$REPO/test/import/fixtures/aws-support-events.jsonl" -o audit.jsonl
expect 0 replay audit.jsonl -p "$P/seed-aws-support.yaml"
expect 2 replay no-such-tape.jsonl -p "$P/demo.yaml"
expect 0 --help
# Help is printed from the copy the build rendered (dist/cli/help.json); without it, by commander.
grep -q '^Usage: mcptape' "$WORK/out" || { echo "smoke: FAILED: mcptape --help printed no usage" >&2; exit 1; }
[[ -f "$PKG/dist/cli/help.json" ]] || { echo "smoke: FAILED: the package lacks dist/cli/help.json, the prerendered help" >&2; exit 1; }

# Where Node has one (22 and later), mcptape keeps V8's compiled code of its modules between runs.
rm -rf "$TMPDIR/node-compile-cache"
expect 0 validate "$P/demo.yaml"
if node -e 'process.exit(typeof require("node:module").enableCompileCache === "function" ? 0 : 1)'; then
  compgen -G "$TMPDIR/node-compile-cache/*/*" >/dev/null || { echo "smoke: FAILED: mcptape validate kept no compile cache on Node $(node --version)" >&2; exit 1; }
fi

echo "smoke: the packed package ran $runs commands from $WORK/use in $((SECONDS - started)) s"
