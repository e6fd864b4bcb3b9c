#!/usr/bin/env bash
# Idle cost of the tray app (auto sync on, no window open) beside a minimal
# single-process Fyne tray app, both under Xvfb on a private session bus.
# Usage: internal/bench/idle.sh [SECONDS]   (needs: make build; xvfb-run, dbus-run-session)
set -euo pipefail
secs=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/fynetray" "$root/internal/bench/fynetray"
go build -o "$tmp/awfake" "$root/internal/awfake/cmd/awfake"
cat > "$tmp/run.sh" <<INNER
set -eu
export LANG=en_US.UTF-8 XDG_DATA_HOME=$tmp/data XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config XDG_RUNTIME_DIR=$tmp/run
mkdir -p $tmp/run && chmod 700 $tmp/run
$tmp/awfake -addr 127.0.0.1:0 -url-file $tmp/aw.url -shift-to-now >/dev/null 2>&1 &
fake=\$!
sleep 0.5
$root/bin/aw-timetracker setup --aw-url "\$(cat $tmp/aw.url)" --auto-sync 15min >/dev/null
# measure samples the process (and its children) every second and reports
# the MAXIMUM resident set over the run, not a median or a last sample: a
# periodic tick that touches pages shows up here.
measure() { # name pid
  sleep 15 # start-up settles (the tray trims its resident set after 10 s)
  local t0 t1 rss max=0 min=0 i
  t0=\$(awk '{print \$14+\$15}' /proc/\$2/stat)
  for i in \$(seq $secs); do
    sleep 1
    rss=0
    for p in \$2 \$(pgrep -P \$2 || true); do rss=\$((rss + \$(awk '/VmRSS/{print \$2}' /proc/\$p/status))); done
    [ \$rss -gt \$max ] && max=\$rss
    { [ \$min -eq 0 ] || [ \$rss -lt \$min ]; } && min=\$rss
  done
  t1=\$(awk '{print \$14+\$15}' /proc/\$2/stat)
  awk -v n="\$1" -v r="\$max" -v m="\$min" -v t="\$((t1-t0))" -v s=$secs 'BEGIN{printf "%-16s max RSS %6d kB (min %6d)  CPU %3d ticks in %ds (%.3f%% of a core)\n", n, r, m, t, s, t/s}'
}
$root/bin/aw-timetracker --background >$tmp/app.log 2>&1 &
app=\$!
measure aw-timetracker \$app
kill \$app; wait \$app 2>/dev/null || true
$tmp/fynetray >$tmp/fyne.log 2>&1 &
ft=\$!
measure fyne-tray \$ft
kill \$ft; wait \$ft 2>/dev/null || true
kill \$fake
INNER
xvfb-run -a -s "-screen 0 1024x768x24" dbus-run-session -- bash "$tmp/run.sh" 2>&1 | grep -v "fd limit"
