#!/usr/bin/env bash
# `npm run test:pack` (issue 19, "Installed like a tool"): packs the project as `npm pack` does
# (prepack builds), checks what the tarball holds, installs it with `npm install -g` into a
# temporary prefix (dependencies from the npm registry, better-sqlite3 built by its install
# script), then runs the installed `switchboard serve` from an empty folder and chats through it
# (scripts/pack-smoke.mjs). HOME and XDG_STATE_HOME point at temporary folders for the server, so
# its history must land in $XDG_STATE_HOME/switchboard. Prints how long each step took.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-pack-XXXXXX")"
trap 'rm -rf "$work"' EXIT
step() { echo "test:pack: $1 ($(( SECONDS - started )) s)"; started=$SECONDS; }
started=$SECONDS

cd "$root"
# The build's output (prepack) shares stdout with the JSON, which is the last thing printed.
npm pack --pack-destination "$work" --json > "$work/pack.out"
read_pack='const out = require("fs").readFileSync(process.argv[1], "utf8"); const [p] = JSON.parse(out.slice(out.lastIndexOf("\n[\n") + 1));'
tarball="$(node -e "$read_pack process.stdout.write(p.filename)" "$work/pack.out")"
node -e "$read_pack"'

  const paths = p.files.map((file) => file.path);
  const mib = (n) => (n / 1048576).toFixed(2) + " MiB";
  console.log(`test:pack: ${p.filename}: ${mib(p.size)} packed, ${mib(p.unpackedSize)} unpacked, ${p.entryCount} files`);
  const unwanted = paths.filter((path) => /\.test\.js$|\.map$|\.ts$|^dist\/(bench|web-tests)\/|^dist\/server\/test-support\/|^(server|shared|web|e2e|bench)\//.test(path) && !path.endsWith(".d.ts"));
  const missing = ["bin/switchboard.js", "dist/server/cli/main.js", "dist/shared/limits.js", "dist/web/index.html", "contrib/switchboard.service", "switchboard.example.toml", "package.json", "README.md"].filter((path) => !paths.includes(path));
  if (unwanted.length > 0 || missing.length > 0) {
    console.error(`test:pack: tarball contents wrong; unwanted: ${unwanted.join(", ") || "none"}; missing: ${missing.join(", ") || "none"}`);
    process.exit(1);
  }
' "$work/pack.out"
step "packed $tarball (prepack built dist/)"

prefix="$work/prefix"
mkdir -p "$prefix"
npm install -g --prefix "$prefix" --allow-scripts=better-sqlite3 --no-audit --no-fund "$work/$tarball" 2>&1 | tee "$work/install.log"
# npm runs a dependency's install script only if allowed (today it warns, coming releases skip it).
if grep -q "install-scripts .*better-sqlite3" "$work/install.log"; then echo "test:pack: better-sqlite3's install script was not allowed (above)" >&2; exit 1; fi
step "installed into $prefix"
installed="$prefix/lib/node_modules/switchboard"
for forbidden in node_modules/vite node_modules/typescript node_modules/eslint; do
  if [ -e "$installed/$forbidden" ]; then echo "test:pack: $forbidden installed: devDependencies leaked into the package" >&2; exit 1; fi
done
test -f "$installed/node_modules/better-sqlite3/build/Release/better_sqlite3.node" || { echo "test:pack: better-sqlite3's binding was not built at install" >&2; exit 1; }
how="downloaded by prebuild-install"
if [ -d "$installed/node_modules/better-sqlite3/build/Release/obj.target" ]; then how="compiled from source by node-gyp"; fi
echo "test:pack: better-sqlite3's binding $how; installed: $(du -sh "$installed" | cut -f1)"

mkdir -p "$work/empty" "$work/home" "$work/state"
cd "$work/empty"
HOME="$work/home" XDG_STATE_HOME="$work/state" node "$root/scripts/pack-smoke.mjs" "$prefix/bin/switchboard" "$work/state"
if [ -n "$(ls -A "$work/empty")" ]; then echo "test:pack: the server wrote into the folder it was started in: $(ls -A "$work/empty")" >&2; exit 1; fi
"$prefix/bin/switchboard" --version
step "served and chatted from the installed package"
