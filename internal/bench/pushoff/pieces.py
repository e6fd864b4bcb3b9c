"""Active pieces from the seeded events, cut the way the app documents it
(internal/timeline: ActivityWatch's canonical query): window events
flooded (5 s), cut to not-afk time, browser windows split by the web
bucket's pages (flooded too), each piece classified by the same rules
the measuring run adds (first match wins, unmatched: Internal).
"""
import datetime as dt
import re

PULSE = 5.0
TRIM = 0.1

RULES = [  # (project, app re, title re, url re, match re) -- the rules run.sh adds, in order
    ("Personal", None, None, r"reddit\.com|youtube\.com|news\.ycombinator\.com|mybank\.example|amazon\.de|web\.whatsapp\.com", None),
    ("Personal", r"^Signal$", None, None, None),
    ("Personal", r"^Code$", r" - blog - ", None, None),
    ("Website Relaunch", None, None, r"localhost:3000|github\.com/acme/website|react\.dev", None),
    ("Website Relaunch", None, None, None, r"website"),
    ("Mobile App", None, None, r"developer\.android\.com|github\.com/acme/mobile-app", None),
    ("Mobile App", None, None, None, r"mobile-app"),
    ("Internal", r"Thunderbird|zoom\.us|Slack", None, None, None),
]
DEFAULT = "Internal"


def classify(app, title, url):
    for p, a, t, u, m in RULES:
        if a and not re.search(a, app):
            continue
        if t and not re.search(t, title):
            continue
        if u and not (url and re.search(u, url)):
            continue
        if m and not (re.search(m, app) or re.search(m, title)):
            continue
        return p
    return DEFAULT


def ts(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def flood(evs):
    """aw-core flood (internal/timeline/flood.go): evs = [start, end, data]."""
    es = sorted([list(e) for e in evs], key=lambda e: e[0])
    for i in range(len(es) - 1):
        e1, e2 = es[i], es[i + 1]
        gap = e2[0] - e1[1]
        if gap == 0:
            continue
        if gap < 0 and e1[2] == e2[2]:
            s, e = min(e1[0], e2[0]), max(e1[1], e2[1])
            e1[0], e1[1] = s, e
            e2[0] = e2[1] = e
        elif -TRIM < gap <= PULSE:
            e2end = e2[1]
            if e1[1] - e1[0] >= e2[1] - e2[0]:
                if e1[2] == e2[2]:
                    e1[1] = e2end
                    e2[0] = e2end
                else:
                    e1[1] = e2[0]
            else:
                if e1[2] == e2[2]:
                    e2[0] = e1[0]
                    e1[1] = e1[0]
                else:
                    e2[0] = e1[1]
    return [e for e in es if e[1] > e[0]]


def non_overlapping(evs):
    out, last = [], None
    for e in sorted(evs, key=lambda e: e[0]):
        e = list(e)
        if last is not None and e[0] < last:
            e[0] = last
        if e[1] <= e[0]:
            continue
        last = e[1]
        out.append(e)
    return out


def union(spans):
    out = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def intersect(pieces, periods):
    out, j = [], 0
    for s, e, d in pieces:
        while j < len(periods) and periods[j][1] <= s:
            j += 1
        k = j
        while k < len(periods) and periods[k][0] < e:
            lo, hi = max(s, periods[k][0]), min(e, periods[k][1])
            if hi > lo:
                out.append([lo, hi, d])
            k += 1
    return out


def pieces(events, win_bucket, web_bucket, afk_bucket):
    """[(start, end, project, app, title, url)] in epoch seconds."""
    win = [[ts(e["timestamp"]), ts(e["timestamp"]) + e["duration"], (e["data"]["app"], e["data"]["title"])]
           for e in events[win_bucket]]
    win = non_overlapping(flood(win))
    notafk = [[ts(e["timestamp"]), ts(e["timestamp"]) + e["duration"], None]
              for e in events[afk_bucket] if e["data"]["status"] == "not-afk"]
    periods = union([(s, e) for s, e, _ in flood(notafk)])
    pcs = intersect(win, periods)
    web = [[ts(e["timestamp"]), ts(e["timestamp"]) + e["duration"], (e["data"]["url"], e["data"]["title"])]
           for e in events.get(web_bucket, [])]
    pages = non_overlapping(flood(web))
    out, j = [], 0
    for s, e, (app, title) in pcs:
        if app != "Google-chrome":
            out.append((s, e, app, title, None))
            continue
        while j < len(pages) and pages[j][1] <= s:
            j += 1
        at, k = s, j
        while k < len(pages) and pages[k][0] < e:
            lo, hi = max(pages[k][0], s), min(pages[k][1], e)
            if lo > at:
                out.append((at, lo, app, title, None))
            out.append((lo, hi, app, title, pages[k][2][0]))
            at = hi
            k += 1
        if e > at:
            out.append((at, e, app, title, None))
    return [(s, e, classify(app, title, url), app, title, url) for s, e, app, title, url in out]
