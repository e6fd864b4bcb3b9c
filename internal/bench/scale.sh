#!/usr/bin/env bash
# Whole-process figures of a first Sync Now over 90 days of dense data
# (about 270k events in window, web and afk buckets) against the fake
# aw-server as its own process: wall time, peak RSS of the sync process,
# and the floor (the same events fetched with curl, one request a bucket).
# Then the same against the fake with the real Python aw-server's latency
# (awfake -latency python: 14 ms a request, 33 µs an event, one query at a
# time), which predicts what `make bench-real` measures on the real one.
# Usage: internal/bench/scale.sh   (needs: make build, curl)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'kill $fake 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/awfake" "$root/internal/awfake/cmd/awfake"
# serve NAME AWFAKE-FLAGS...: a fake with 90 generated days (its URL in $aw)
# and a fresh user set up for it.
serve() {
  local name=$1; shift
  kill $fake 2>/dev/null || true
  rm -f "$tmp/url"
  "$tmp/awfake" -addr 127.0.0.1:0 -url-file "$tmp/url" -generate-days 90 "$@" 2>"$tmp/fake.log" &
  fake=$!
  for _ in $(seq 100); do [ -s "$tmp/url" ] && break; sleep 0.1; done
  aw=$(cat "$tmp/url")
  export XDG_DATA_HOME=$tmp/$name/data XDG_STATE_HOME=$tmp/$name/state XDG_CONFIG_HOME=$tmp/$name/config
  "$root/bin/aw-timetracker" setup --aw-url "$aw" --lookback-days 90 >/dev/null
}
fake=
serve plain -generate-max-seconds 10
start=$(date +%s.%N)
"$root/bin/aw-timetracker" sync --quiet &
pid=$!
peak=0
while kill -0 $pid 2>/dev/null; do
  hwm=$(awk '/VmHWM/{print $2}' /proc/$pid/status 2>/dev/null || echo 0)
  [ "${hwm:-0}" -gt "$peak" ] && peak=$hwm
  sleep 0.1
done
wait $pid
end=$(date +%s.%N)
from=$(date -u -d '91 days ago' +%Y-%m-%dT%H:%M:%SZ)
to=$(date -u +%Y-%m-%dT%H:%M:%SZ)
fstart=$(date +%s.%N)
for b in aw-watcher-window_devbox aw-watcher-web-chrome_devbox aw-watcher-afk_devbox; do
  curl -s -o /dev/null "$aw/api/0/buckets/$b/events?start=$from&end=$to"
done
fend=$(date +%s.%N)
events=$(grep -o 'generated [0-9]*' "$tmp/fake.log" | grep -o '[0-9]*')
entries=$("$root/bin/aw-timetracker" status | awk '/^Entries:/{print $2}')
awk -v e="$events" -v n="$entries" -v s="$start" -v t="$end" -v fs="$fstart" -v fe="$fend" -v p="$peak" 'BEGIN{
  w=t-s; f=fe-fs
  printf "events served %d, entries stored %d (plus afk status)\n", e, n
  printf "first sync    %.2f s wall, %.0f events/s, peak RSS %.1f MB\n", w, e/w, p/1024
  printf "floor (curl)  %.2f s to fetch the same events in one request a bucket\n", f
}'

# The data of `make bench-real` (window events up to MAXSEC s), served as
# slowly as the real Python aw-server.
serve latency -generate-max-seconds "${MAXSEC:-25}" -latency python
fstart=$(date +%s.%N)
for b in aw-watcher-window_devbox aw-watcher-web-chrome_devbox aw-watcher-afk_devbox; do
  curl -s -o /dev/null "$aw/api/0/buckets/$b/events?start=$from&end=$to"
done
fend=$(date +%s.%N)
start=$(date +%s.%N)
"$root/bin/aw-timetracker" sync --quiet
end=$(date +%s.%N)
awk -v s="$start" -v t="$end" -v fs="$fstart" -v fe="$fend" 'BEGIN{
  w=t-s; f=fe-fs
  printf "with the real server latency model (-latency python, the data of make bench-real):\n"
  printf "floor (curl)  %.2f s\n", f
  printf "first sync    %.2f s wall; wall/floor %.2f, our share %.0f %%\n", w, w/f, 100*(w-f)/w
}'
