#!/usr/bin/env sh
# Runs a command with Node >= 22 first on PATH. WXT 0.21 and vitest 5 need Node 22+, and machines here ship
# Node 20: when the machine's Node is older we install Node 24 from the npm registry (the `node` package ships
# the binary) into .tools/node once, and put it first on PATH for this command only.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 22 ]; then
  bin="$root/.tools/node/node_modules/node/bin"
  if [ ! -x "$bin/node" ]; then
    echo "scripts/node.sh: Node $major found, installing Node 24 into .tools/node" >&2
    npm install --silent --no-save --prefix "$root/.tools/node" node@24 >&2
  fi
  PATH="$bin:$PATH"
  export PATH
fi
exec "$@"
