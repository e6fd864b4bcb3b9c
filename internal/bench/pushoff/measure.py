#!/usr/bin/env python3
"""Coverage of a kept-local project's active time by pushed entries of other projects.

    measure.py RUNDIR KEPT_PROJECT TT_URL

RUNDIR holds truth.json (gen_days.py), report.json (aw-timetracker report
--format json), token (TimeTracker API token) and xdg/ (the app's XDG
folders). Reads the entries on TimeTracker through GET /api/v1/time-entries
(paged, per_page=100) and writes RUNDIR/tt-entries.json and RUNDIR/result.json.

Kept-local active pieces, two ways (both printed):
  app   the app's own view: the events as the app stored them (its
        database, read only: time_entries start/end, which the app keeps at
        whole-second durations, plus the afk_events it imported), cut by
        pieces.py the way internal/timeline documents it (flood 5 s, cut to
        not-afk, browser windows split by the web pages) and classified by
        the same rules; checked against report --format json per day.
  seed  the ground truth of the generator: every seeded window event with
        its intended project, minus the afk time.
covered = sum over the kept pieces of their overlap with the union of the
TimeTracker entries of every other project; covered % = covered / active.
"""
import collections
import datetime as dt
import json
import sqlite3
import sys
import urllib.request

import pieces as P

run, kept, tt = sys.argv[1], sys.argv[2], sys.argv[3].rstrip("/")
token = open(f"{run}/token").read().strip()
UTC = dt.timezone.utc


def day_of(t):
    return dt.datetime.fromtimestamp(t, UTC).date().isoformat()


def get(path):
    req = urllib.request.Request(tt + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)


# --- entries on TimeTracker
entries, page = [], 1
while True:
    d = get(f"/api/v1/time-entries?start_date=2026-01-01&end_date=2027-12-31&per_page=100&page={page}")
    entries += d["time_entries"]
    if not d["pagination"]["has_next"]:
        break
    page += 1
json.dump(entries, open(f"{run}/tt-entries.json", "w"))
info = get("/api/v1/info")
assert info.get("timezone") == "UTC", info.get("timezone")  # naive times below are UTC


def naive(s):
    return dt.datetime.fromisoformat(s).replace(tzinfo=UTC).timestamp()


tte = [(naive(e["start_time"]), naive(e["end_time"]), e["project"]) for e in entries]
others = P.union([(s, e) for s, e, p in tte if p != kept])
leaked = [e for e in tte if e[2] == kept]

# --- overlaps among TimeTracker entries themselves (there should be none)
srt = sorted(tte)
overlaps = sum(max(0, min(a[1], b[1]) - b[0]) for a, b in zip(srt, srt[1:]))


def overlap(pcs, spans):
    """pcs: [(s, e, ...)] sorted; spans: sorted disjoint [[s, e]] -> per piece covered seconds."""
    out, j = [], 0
    for p in pcs:
        s, e = p[0], p[1]
        while j < len(spans) and spans[j][1] <= s:
            j += 1
        c, k = 0.0, j
        while k < len(spans) and spans[k][0] < e:
            c += max(0, min(e, spans[k][1]) - max(s, spans[k][0]))
            k += 1
        out.append(c)
    return out


# --- the app's view: its stored events, cut like internal/timeline
db = sqlite3.connect(f"file:{run}/xdg/data/aw-timetracker/aw-timetracker.db?mode=ro", uri=True)
iso = lambda us: dt.datetime.fromtimestamp(us / 1e6, UTC).isoformat()
ev = {"w": [], "web": [], "afk": []}
for b, app, title, url, s, e in db.execute(
        "select l.bucket_id, l.app, l.title, l.url, l.event_start_utc, l.event_end_utc from integration_external_event_links l "
        "join time_entries t on t.id = l.time_entry_id"):
    d = {"timestamp": iso(s), "duration": (e - s) / 1e6}
    if "web" in b:
        d["data"] = {"url": url, "title": title}
        ev["web"].append(d)
    else:
        d["data"] = {"app": app, "title": title}
        ev["w"].append(d)
for s, e, st in db.execute("select start_utc, end_utc, status from afk_events"):
    ev["afk"].append({"timestamp": iso(s), "duration": (e - s) / 1e6, "data": {"status": st}})
app_pcs = P.pieces(ev, "w", "web", "afk")

truth = json.load(open(f"{run}/truth.json"))
seed_pcs = []
for day, t in truth.items():
    for a, b, p, g in t["pieces"]:
        seed_pcs.append((P.ts(a), P.ts(b), p, g))
seed_pcs.sort()

report = {(r["date"], r["project"]): r["seconds"] for r in json.load(open(f"{run}/report.json"))}


def stretches(pcs):
    """Runs of kept pieces with no other project's active time between them: (s, e, active s)."""
    out, prev_kept = [], False
    for p in pcs:
        if p[2] == kept:
            if prev_kept and p[0] - out[-1][1] < 4:
                out[-1][1], out[-1][2] = p[1], out[-1][2] + p[1] - p[0]
            else:
                out.append([p[0], p[1], p[1] - p[0]])
            prev_kept = True
        elif p[1] - p[0] >= 2:  # slivers under 2 s (flooding of floored durations) do not end a stretch
            prev_kept = False
    return out


def coverage(pcs):
    kp = [p for p in pcs if p[2] == kept]
    cov = overlap(kp, others)
    per = collections.defaultdict(lambda: [0.0, 0.0, 0])
    for p, c in zip(kp, cov):
        d = per[day_of(p[0])]
        d[0] += p[1] - p[0]
        d[1] += c
        d[2] += 1
    # by stretch length
    st = stretches(pcs)
    scov = overlap(st, others)
    cls = collections.defaultdict(lambda: [0.0, 0.0, 0])
    for s, c in zip(st, scov):
        k = "<60s" if s[2] < 60 else "1-5min" if s[2] < 300 else ">=5min"
        cls[k][0] += s[2]
        cls[k][1] += c
        cls[k][2] += 1
    return dict(per), dict(cls), st, scov


res = {"entries_on_tt": len(entries), "kept_entries_on_tt": len(leaked), "tt_self_overlap_s": overlaps}
print(f"TimeTracker: {len(entries)} entries; {len(leaked)} of project {kept!r} (must be 0); "
      f"overlap between entries {overlaps:.0f} s")
for name, pcs in (("app", app_pcs), ("seed", seed_pcs)):
    per, cls, st, scov = coverage(pcs)
    A = sum(v[0] for v in per.values())
    C = sum(v[1] for v in per.values())
    print(f"\n[{name} pieces] kept-local project {kept!r}: covered by other projects' pushed entries")
    for d in sorted(per):
        a, c, n = per[d]
        rep = report.get((d, kept))
        print(f"  {d}: active {a:7.0f} s ({n} pieces; report {rep} s), covered {c:6.0f} s = {100 * c / a:5.2f} %")
    print(f"  overall: active {A:.0f} s, covered {C:.0f} s = {100 * C / A:.2f} %")
    for k in ("<60s", "1-5min", ">=5min"):
        if k in cls:
            a, c, n = cls[k]
            print(f"    stretches {k:7s}: {n:3d}, active {a:6.0f} s, covered {c:5.0f} s = {100 * c / a:5.1f} % "
                  f"(share of all covered: {100 * c / C if C else 0:4.1f} %)")
    res[name] = {"per_day": {d: {"active_s": v[0], "covered_s": v[1], "pct": 100 * v[1] / v[0]} for d, v in per.items()},
                 "overall": {"active_s": A, "covered_s": C, "pct": 100 * C / A},
                 "by_stretch": {k: {"n": v[2], "active_s": v[0], "covered_s": v[1]} for k, v in cls.items()}}
    if name == "app":
        worst = sorted(zip(scov, st), key=lambda x: -x[0])[:8]
        print("    most covered stretches (start UTC, active s, covered s):")
        for c, s in worst:
            print(f"      {dt.datetime.fromtimestamp(s[0], UTC):%Y-%m-%d %H:%M:%S}  {s[2]:5.0f}  {c:5.0f}")
        # replica check against report, every day and project
        tot = collections.Counter()
        for s, e, p, *_ in pcs:
            tot[(day_of(s), p)] += e - s
        dev = max(abs(report[k] - tot[k]) for k in report)
        span = sum(sum(max(0, min(x[1], e) - max(x[0], s0)) for x in tte if x[2] != kept and x[0] <= s0 and x[1] >= e)
                   for s0, e, _ in st)
        print(f"    covered by an entry that spans the whole stretch (a block laid across it): {span:.0f} s "
              f"= {100 * span / C:.1f} % of covered")
        res["covered_by_spanning_entries_s"] = span
        print(f"    pieces vs report --format json: largest difference {dev:.2f} s over {len(report)} day-projects")
        res["replica_vs_report_max_s"] = dev

# --- totals: pushed entries per day and project vs report
tts = collections.Counter()
for s, e, p in tte:
    tts[(day_of(s), p)] += e - s
print("\nTotals: TimeTracker entries vs report --format json (seconds)")
worst = 0
rows = []
for k in sorted(set(report) | set(tts)):
    r, t = report.get(k, 0), tts.get(k, 0)
    if k[1] == kept:
        print(f"  {k[0]} {k[1]:17s} report {r:6d}  on TT {t:6.0f}  (kept local)")
        continue
    worst = max(worst, abs(r - t))
    rows.append({"date": k[0], "project": k[1], "report_s": r, "tt_s": t})
    print(f"  {k[0]} {k[1]:17s} report {r:6d}  on TT {t:6.0f}  diff {t - r:+5.0f}")
print(f"  largest |diff|: {worst:.0f} s")
res["totals"] = rows
res["totals_max_abs_diff_s"] = worst

# --- pushed time outside any active time (after the day's end, in afk)
act = P.union([(p[0], p[1]) for p in app_pcs])
inact = sum((e - s) for s, e, p in tte) - sum(overlap(sorted(tte), act))
print(f"\nPushed time not over anyone's active time (afk or off hours): {inact:.0f} s of "
      f"{sum(e - s for s, e, p in tte):.0f} s")
res["pushed_outside_active_s"] = inact
json.dump(res, open(f"{run}/result.json", "w"), indent=1)
