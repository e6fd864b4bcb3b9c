#!/usr/bin/env bash
# Our report against ActivityWatch's own figure, on the real Python
# aw-server (../shared/servers/awreal, installed with its setup.sh): the
# fixture days and categories are loaded into it, synced, the categories
# imported as rules, and `report` compared with the canonical query that
# aw-webui runs, per category and in total.
# Usage: internal/bench/report-vs-aw.sh   (needs: make build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
servers=${AWREAL_SERVERS:-$root/../shared/servers/awreal}
home=${AWREAL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/awreal}
if [ ! -x "$servers/start.sh" ] || [ ! -f "$home/PINS.txt" ]; then
  echo "report-vs-aw: the real aw-server is not installed ($servers/setup.sh MIRROR); skipped"
  exit 0
fi
tmp=$(mktemp -d)
port=${PORT:-5666}
trap '"$servers/start.sh" stop "$tmp/aw" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
"$servers/start.sh" "$port" "$tmp/aw" >/dev/null
python3 - "$root/internal/awfake/testdata/aw" "$tmp/events.json" <<'PY'
import json, sys
src, out = sys.argv[1], sys.argv[2]
d = {}
for b, f in [("aw-watcher-window_devbox", "events-window.json"), ("aw-watcher-web-chrome_devbox", "events-web-chrome.json"),
             ("aw-watcher-afk_devbox", "events-afk.json")]:
    d[b] = [{"timestamp": e["timestamp"], "duration": e["duration"], "data": e["data"]} for e in json.load(open(f"{src}/{f}"))]
json.dump(d, open(out, "w"))
PY
python3 "$servers/seed.py" --port "$port" --events "$tmp/events.json" --no-heartbeats --quiet
python3 - "$port" "$root/internal/awfake/testdata/aw/settings-categories.json" <<'PY'
import json, sys, urllib.request
for k, v in json.load(open(sys.argv[2])).items():
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/api/0/settings/{k}", data=json.dumps(v).encode(),
                                                  headers={"Content-Type": "application/json"}, method="POST")).read()
PY
export XDG_DATA_HOME=$tmp/data XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config XDG_RUNTIME_DIR=$tmp/run
mkdir -p "$tmp/run" && chmod 700 "$tmp/run"
app=$root/bin/aw-timetracker
"$app" setup --aw-url "http://127.0.0.1:$port" --timezone Europe/Berlin >/dev/null
"$app" sync --from 2026-03-25 --to 2026-03-29 --quiet
"$app" rules import >"$tmp/import.txt"; head -1 "$tmp/import.txt"
"$app" report --from 2026-03-25 --to 2026-03-29 --format json >"$tmp/ours.json"
python3 "$root/internal/bench/report_vs_aw.py" "$port" "$tmp/ours.json" "2026-03-24T23:00:00+00:00/2026-03-29T22:00:00+00:00"
