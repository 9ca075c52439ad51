#!/usr/bin/env bash
# npm run mutation [GROUP...]: builds the server, runs StrykerJS once per group of
# scripts/mutation-groups.mjs (all but the optional ones by default) and prints the scores per module.
# Not part of npm test. MUTATION_CONCURRENCY (default 1) sets Stryker's test processes.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run build:server
if [ "$#" -eq 0 ]; then
  mapfile -t groups < <(node --input-type=module -e "import { MUTATION_GROUPS } from './scripts/mutation-groups.mjs'; for (const g of MUTATION_GROUPS) if (!g.optional) console.log(g.name);")
else
  groups=("$@")
fi

mkdir -p reports/mutation
started=$(date +%s)
for group in "${groups[@]}"; do
  echo "== mutation group $group"
  rm -f "reports/mutation/$group.json"
  MUTATION_GROUP="$group" npx stryker run stryker.config.mjs > "reports/mutation/$group.log" 2>&1 || {
    echo "stryker failed for $group; see reports/mutation/$group.log" >&2
    tail -20 "reports/mutation/$group.log" >&2
    exit 1
  }
  grep -E 'Done in|Instrumented' "reports/mutation/$group.log" || true
done
echo "== all groups in $(( $(date +%s) - started )) s"
node scripts/mutation-summary.mjs "${groups[@]}"
