#!/usr/bin/env bash
# IngestBenchmark with one command: ./finetune4j (stats, validate, dataset append) as processes on a
# generated chat JSONL file, paired with a Node.js peer (gpt-tokenizer, pinned below) in the same run.
#
#   sdk-benchmarks/ingest/run.sh [pairs=3] [examples=100000] [big=500000] [cli=PATH]
#
# cli=PATH measures another launcher (e.g. a copy of an older checkout's ./finetune4j and jar).
#
# MVN_OFFLINE=1 runs Maven offline. Needs JDK 17+, Maven, Node.js 18+ with npm, and /usr/bin/time. The peer is installed with npm into
# sdk-benchmarks/target/ingest-peer; the benchmark's file and stores go to sdk-benchmarks/target/ingest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
root="$(cd "$here/../.." && pwd -P)"
peer_version="4.0.0"

pairs=3 examples=100000 big=0 cli="$root/finetune4j"
for arg in "$@"; do
  case "$arg" in
    pairs=*) pairs="${arg#pairs=}" ;;
    examples=*) examples="${arg#examples=}" ;;
    big=*) big="${arg#big=}" ;;
    cli=*) cli="${arg#cli=}" ;;
    *) echo "usage: $0 [pairs=N] [examples=N] [big=N] [cli=PATH]" >&2; exit 2 ;;
  esac
done
for tool in node npm mvn /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$0: $tool is needed" >&2; exit 1; }
done

peer="$root/sdk-benchmarks/target/ingest-peer"
mkdir -p "$peer"
if [[ ! -f "$peer/node_modules/gpt-tokenizer/package.json" ]] \
    || ! grep -q "\"version\": \"$peer_version\"" "$peer/node_modules/gpt-tokenizer/package.json"; then
  echo '{"private": true, "description": "IngestBenchmark peer"}' > "$peer/package.json"
  (cd "$peer" && npm install --no-audit --no-fund --loglevel=error --save-exact "gpt-tokenizer@$peer_version" >&2)
fi
cp "$here/peer.cjs" "$peer/peer.cjs"

cd "$root"
exec mvn ${MVN_OFFLINE:+-o} -q -B -pl sdk-benchmarks -am package -DskipTests -Dbench=ingest \
  -Dpairs="$pairs" -Dexamples="$examples" -Dbig="$big" -Dpeer="$peer" -Dcli="$cli"
