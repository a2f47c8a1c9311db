#!/usr/bin/env sh
# Makes sure Debian's Chromium is at /usr/bin/chromium (or $CHROMIUM_PATH): the end-to-end tests, the benchmark
# and `npm run dev` drive it. Nothing is ever downloaded from a browser CDN; when it is missing and we are root
# (CI, containers), it comes from the distribution's apt repositories, installed the way it was verified on these
# machines (`apt-get install -y chromium`, plus fonts-liberation so pages have real fonts); otherwise we say how.
set -eu
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$chromium" ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "scripts/ensure-chromium.sh: $chromium is missing; installing Debian's chromium with apt-get (a minute or two)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  if apt-get update -qq >"$log" 2>&1 &&
    apt-get install -y -qq chromium fonts-liberation >>"$log" 2>&1; then
    rm -f "$log"
  else
    cat "$log" >&2
    rm -f "$log"
    echo "scripts/ensure-chromium.sh: apt-get could not install chromium (output above)." >&2
    exit 1
  fi
  if [ ! -x "$chromium" ]; then
    echo "scripts/ensure-chromium.sh: chromium installed but $chromium is still missing." >&2
    exit 1
  fi
  echo "scripts/ensure-chromium.sh: $("$chromium" --version 2>/dev/null || echo chromium) installed." >&2
  exit 0
fi

cat >&2 <<MSG
scripts/ensure-chromium.sh: Chromium is needed at $chromium and is not installed.
Install Debian's package (no browser is downloaded by the tests):
    sudo apt-get update && sudo apt-get install -y chromium
or point CHROMIUM_PATH at another Chromium build.
MSG
exit 1
