#!/usr/bin/env bash
# Sync figures against the real Python aw-server (../shared/servers/awreal)
# and TimeTracker's own import (../shared/servers/peer), all ratios of one
# run on the same data:
#   floor    a plain GET of each bucket for the whole range (curl);
#   first    `aw-timetracker sync` into empty XDG folders: wall, our CPU,
#            peak RSS, and our share of the wall beyond the floor;
#   again    Sync Now with nothing new, and a scheduled sync with nothing new;
#   peer     7 days of window and web events: ours (whole process) vs the peer.
# Data comes from the fake's generator (DAYS days, window events of at
# most MAXSEC seconds; SMALL_MAXSEC for the 7 days), loaded through
# aw-server's REST API.
# Usage: internal/bench/real.sh   (make bench-real; needs make build)
# Skips, exit 0, with a message when the real servers are not installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
servers=${AWREAL_SERVERS:-$root/../shared/servers}
home=${AWREAL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/awreal}
days=${DAYS:-90}
maxsec=${MAXSEC:-25}
port=${PORT:-5667}
if [ ! -x /usr/bin/time ]; then
  echo "bench-real: needs GNU time (apt-get install time); skipped"
  exit 0
fi
if [ ! -x "$servers/awreal/start.sh" ] || [ ! -f "$home/PINS.txt" ]; then
  echo "bench-real: the real aw-server is not installed ($servers/awreal/setup.sh MIRROR); skipped"
  exit 0
fi
tmp=$(mktemp -d)
trap '"$servers/awreal/start.sh" stop "$tmp/aw" >/dev/null 2>&1 || true; "$servers/awreal/start.sh" stop "$tmp/aw7" >/dev/null 2>&1 || true; kill $fake 2>/dev/null || true; rm -rf "$tmp"' EXIT
app=$root/bin/aw-timetracker
go build -o "$tmp/awfake" "$root/internal/awfake/cmd/awfake"

# generate DAYS days with the fake, then load them into a fresh aw-server
load() { # days maxsec datadir port buckets...
  local d=$1 m=$2 dir=$3 p=$4; shift 4
  "$tmp/awfake" -addr 127.0.0.1:0 -url-file "$tmp/url" -generate-days "$d" -generate-max-seconds "$m" 2>"$tmp/fake.log" &
  fake=$!
  for _ in $(seq 200); do [ -s "$tmp/url" ] && break; sleep 0.1; done
  python3 - "$(cat "$tmp/url")" "$tmp/events.json" "$@" <<'PY'
import json, sys, urllib.request
url, out, buckets = sys.argv[1], sys.argv[2], sys.argv[3:]
d = {}
for b in buckets:
    evs = json.load(urllib.request.urlopen(f"{url}/api/0/buckets/{b}/events"))
    d[b] = [{"timestamp": e["timestamp"], "duration": e["duration"], "data": e["data"]} for e in evs]
json.dump(d, open(out, "w"))
print(sum(len(v) for v in d.values()), file=open(out + ".n", "w"))
PY
  kill $fake; wait $fake 2>/dev/null || true; rm -f "$tmp/url"
  "$servers/awreal/start.sh" "$p" "$dir" >/dev/null
  python3 "$servers/awreal/seed.py" --port "$p" --events "$tmp/events.json" --no-heartbeats --quiet
}

# run CMD...: wall seconds, CPU seconds (user+sys) and peak RSS in kB, on
# one line. GNU time gives CPU and RSS without polling the process (a
# polling loop costs CPU beside aw-server on a 2-core machine).
measure() {
  local s e
  s=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$tmp/time" "$@"
  e=$(date +%s.%N)
  read -r u y m <"$tmp/time"
  echo "$(echo "$e - $s" | bc -l) $(echo "$u + $y" | bc -l) $m"
}

users() { # dir
  export XDG_DATA_HOME=$1/data XDG_STATE_HOME=$1/state XDG_CONFIG_HOME=$1/config XDG_RUNTIME_DIR=$1/run
  mkdir -p "$1/run" && chmod 700 "$1/run"
}

echo "bench-real: loading $days days into the real aw-server (window events up to ${maxsec} s)…"
load "$days" "$maxsec" "$tmp/aw" "$port" aw-watcher-window_devbox aw-watcher-web-chrome_devbox aw-watcher-afk_devbox
events=$(cat "$tmp/events.json.n")
aw=http://127.0.0.1:$port
from=$(date -u -d "$((days + 1)) days ago" +%Y-%m-%dT%H:%M:%SZ)
to=$(date -u -d "1 hour" +%Y-%m-%dT%H:%M:%SZ)
floor() {
  for b in aw-watcher-window_devbox aw-watcher-web-chrome_devbox aw-watcher-afk_devbox; do
    curl -s -o /dev/null "$aw/api/0/buckets/$b/events?start=$from&end=$to"
  done
}
# RUNS rounds of floor and first sync (fresh folders each), alternating so
# both see the same machine; the medians are reported.
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
: >"$tmp/floors"; : >"$tmp/firsts"
for r in $(seq "${RUNS:-3}"); do
  s=$(date +%s.%N); floor; echo "$(date +%s.%N) - $s" | bc -l >>"$tmp/floors"
  users "$tmp/u$r"
  "$app" setup --aw-url "$aw" --lookback-days "$days" >/dev/null
  measure "$app" sync --quiet >>"$tmp/firsts"
done
fl=$(median <"$tmp/floors")
read -r fw fc fp < <(sort -n "$tmp/firsts" | awk '{a[NR]=$0} END{print a[int((NR+1)/2)]}')
echo "runs          floor $(sort -n "$tmp/floors" | xargs printf '%.2f ') s; first sync $(cut -d' ' -f1 "$tmp/firsts" | sort -n | xargs printf '%.2f ') s"
read -r nw _ _ < <(measure "$app" sync --quiet)
read -r sw _ _ < <(measure "$app" sync --scheduled --quiet)
entries=$("$app" status | awk '/^Entries:/{print $2}')
awk -v e="$events" -v n="$entries" -v fl="$fl" -v fw="$fw" -v fc="$fc" -v fp="$fp" -v nw="$nw" -v sw="$sw" -v d="$days" 'BEGIN{
  printf "data          %d days, %d events in aw-server (window, web, afk); %d entries stored\n", d, e, n
  printf "floor         %.2f s  (median: a plain GET of each bucket for the whole range)\n", fl
  printf "first sync    %.2f s wall (median), %.2f s CPU, peak RSS %.1f MB; wall/floor %.2f, our share %.0f %%\n", fw, fc, fp/1024, fw/fl, 100*(fw-fl)/fw
  printf "Sync Now      %.3f s with nothing new (%.2f %% of the first)\n", nw, 100*nw/fw
  printf "scheduled     %.3f s with nothing new (%.2f %% of the first)\n", sw, 100*sw/fw
}'

peer=$servers/peer/tt_aw_sync.py
ttreal=${TTREAL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/ttreal}
if [ ! -f "$peer" ] || [ ! -d "$ttreal" ]; then
  echo "peer          TimeTracker is not installed ($servers/ttreal/setup.sh MIRROR); skipped"
  exit 0
fi
load 7 "${SMALL_MAXSEC:-36}" "$tmp/aw7" $((port + 1)) aw-watcher-window_devbox aw-watcher-web-chrome_devbox
aw7=http://127.0.0.1:$((port + 1))
small=$(cat "$tmp/events.json.n")
: >"$tmp/ours7"
for r in $(seq "${RUNS:-3}"); do
  users "$tmp/u7-$r"
  "$app" setup --aw-url "$aw7" --lookback-days 7 >/dev/null
  measure "$app" sync --quiet | cut -d' ' -f1 >>"$tmp/ours7"
done
ow=$(median <"$tmp/ours7")
small_imported=$("$app" status | awk '/^Entries:/{print $2}')
python3 "$peer" --db-dir "$tmp/peer" --aw-url "$aw7" --lookback-days 7 --runs 1 --buckets aw-watcher-window_devbox,aw-watcher-web-chrome_devbox >"$tmp/peer.out" 2>&1 || { cat "$tmp/peer.out"; exit 1; }
pw=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    if l.startswith("RESULT "):
        r = json.loads(l[7:])
        if "wall_s" in r: print(r["wall_s"])' "$tmp/peer.out" | tail -1)
if [ -z "$pw" ]; then
  echo "peer          no RESULT line from $peer:"; cat "$tmp/peer.out"; exit 1
fi
grep '^run ' "$tmp/peer.out" | sed 's/^/peer          /' 
awk -v s="$small" -v i="$small_imported" -v o="$ow" -v p="$pw" 'BEGIN{
  printf "small         %d window and web events loaded, %d in the 7-day window: ours %.3f s (median, whole process), the peer %.2f s: %.0f x\n", s, i, o, p, p/o
}'
