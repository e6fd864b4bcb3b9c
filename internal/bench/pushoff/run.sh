#!/usr/bin/env bash
# One measuring run against the REAL servers, from scratch:
#   run.sh RUNDIR DAY:SEED [DAY:SEED ...]
# Starts a fresh Python aw-server (port 5666) and TimeTracker 5.10.0 (port 5011,
# TZ=UTC, extra projects Internal and Personal) with data under RUNDIR, seeds
# the generated days through aw-server's REST API (shared seed.py: POST events),
# configures aw-timetracker in private XDG folders under RUNDIR/xdg, syncs,
# connects TimeTracker, sets Personal to --push off, pushes, then measures
# (measure.py). Servers are stopped at the end unless KEEP=1.
# Needs: bin/aw-timetracker (make build) and both servers' setup.sh done;
# skips, exit 0, with a message when they are not installed.
# make bench-pushoff runs it on five days (RUNDIR: a temporary folder).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
srv=${AWREAL_SERVERS:-$root/../shared/servers}
run=$1; shift
mkdir -p "$run"; run=$(cd "$run" && pwd)
B=${APP:-$root/bin/aw-timetracker}
# where setup.sh installed the servers (decided before the private XDG folders below)
export AWREAL_HOME=${AWREAL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/awreal}
export TT_HOME=${TT_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/ttreal}
if [ ! -f "$AWREAL_HOME/PINS.txt" ] || [ ! -d "$TT_HOME/src" ] || [ ! -x "$srv/awreal/start.sh" ]; then
  echo "bench-pushoff: the real aw-server and TimeTracker are not installed ($srv/{awreal,ttreal}/setup.sh MIRROR); skipped"
  exit 0
fi
export XDG_CONFIG_HOME=$run/xdg/config XDG_DATA_HOME=$run/xdg/data XDG_STATE_HOME=$run/xdg/state \
       XDG_CACHE_HOME=$run/xdg/cache XDG_RUNTIME_DIR=$run/xdg/runtime
mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"

echo "== generate $*"
python3 "$here/gen_days.py" "$run/events.json" "$run/truth.json" "$@"

echo "== servers"
setsid nohup bash "$srv/awreal/start.sh" 5666 "$run/aw" > "$run/aw-start.log" 2>&1 < /dev/null &
TZ=UTC TT_EXTRA_PROJECTS='["Internal","Personal"]' setsid nohup bash "$srv/ttreal/start.sh" 5011 "$run/tt" \
  > "$run/tt-start.log" 2>&1 < /dev/null &
for _ in $(seq 180); do
  grep -q "aw-server up" "$run/aw-start.log" 2>/dev/null && grep -q "^tt_" "$run/tt-start.log" 2>/dev/null && break
  sleep 1
done
cat "$run/aw-start.log" "$run/tt-start.log"
tail -n1 "$run/tt-start.log" > "$run/token"
grep -q '^tt_' "$run/token" || { echo "TimeTracker did not start" >&2; exit 1; }
curl -s http://127.0.0.1:5666/api/0/info > "$run/aw-info.json"
curl -s http://127.0.0.1:5011/api/v1/info | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"app_version": d["app_version"], "timezone": d["timezone"]}))' > "$run/tt-info.json"

echo "== seed aw-server (REST API)"
python3 "$srv/awreal/seed.py" --port 5666 --events "$run/events.json" --no-heartbeats --quiet

first=$(python3 -c 'import sys; print(min(a.split(":")[0] for a in sys.argv[1:]))' "$@")
last=$(python3 -c 'import sys; print(max(a.split(":")[0] for a in sys.argv[1:]))' "$@")

echo "== aw-timetracker"
$B setup --aw-url http://127.0.0.1:5666 --lookback-days 14 --timezone UTC --default-project Internal
for p in "Website Relaunch" "Mobile App" "Personal"; do $B projects add "$p"; done
$B rules add --project Personal --url 'reddit\.com|youtube\.com|news\.ycombinator\.com|mybank\.example|amazon\.de|web\.whatsapp\.com' >/dev/null
$B rules add --project Personal --app '^Signal$' >/dev/null
$B rules add --project Personal --app '^Code$' --title ' - blog - ' >/dev/null
$B rules add --project "Website Relaunch" --url 'localhost:3000|github\.com/acme/website|react\.dev' >/dev/null
$B rules add --project "Website Relaunch" --match 'website' >/dev/null
$B rules add --project "Mobile App" --url 'developer\.android\.com|github\.com/acme/mobile-app' >/dev/null
$B rules add --project "Mobile App" --match 'mobile-app' >/dev/null
$B rules add --project Internal --app 'Thunderbird|zoom\.us|Slack' >/dev/null
$B rules list
$B sync
$B remote setup --url http://127.0.0.1:5011 --project Internal --push auto < "$run/token"
for p in "Website Relaunch" "Mobile App" "Internal"; do $B remote map "$p" "$p"; done
$B projects set Personal --push off
$B projects list
$B blocks list --format json > "$run/blocks-before.json"
s=$(date +%s)
$B push | tee "$run/push.log"
echo "push took $(( $(date +%s) - s )) s" | tee -a "$run/push.log"
$B blocks list --format json > "$run/blocks-after.json"
$B remote status 2>/dev/null | tee "$run/remote-status.txt"
$B report --from "$first" --to "$last" --format json > "$run/report.json"
$B report --from "$first" --to "$last" > "$run/report.txt"

echo "== measure"
python3 "$here/measure.py" "$run" Personal http://127.0.0.1:5011 | tee "$run/measure.out"

if [ "${KEEP:-0}" != 1 ]; then
  bash "$srv/awreal/start.sh" stop "$run/aw"
  bash "$srv/ttreal/start.sh" stop "$run/tt"
fi
