#!/usr/bin/env python3
"""Generate realistic working days of ActivityWatch events, with ground truth.

    gen_days.py OUT_EVENTS.json OUT_TRUTH.json DAY:SEED [DAY:SEED ...]

DAY is YYYY-MM-DD (UTC; the app and TimeTracker run in UTC too).

Model of one day (a person at a desk, switching IDE / terminal / browser /
chat / email across projects):
  * the day starts 08:00-08:40, ends 16:50-17:50; lunch (afk 30-60 min)
    around 12:00-13:00; 2-3 coffee breaks (afk 5-15 min); 2-5 "thinking /
    phone" afk gaps of 3-7 min; one 30-60 min Zoom meeting (Internal);
  * time is a sequence of stretches: a work stretch is one project
    (Website Relaunch, Mobile App, Internal) for 4-60 min (lognormal,
    median ~15), inside which the person switches apps every 10 s - 12 min;
    inside work stretches: short interruptions (email / #general, 20 s -
    3 min, Internal) and sub-minute personal glances (Signal, WhatsApp web,
    news: 8-45 s), about one per hour;
  * between work stretches, with probability ~0.55, a Personal stretch
    (reddit / youtube / HN / bank / shopping / a personal repo "blog" in
    the IDE / Signal), 1-15 min (median ~4 min).
  * window events are contiguous (no gaps, so flooding changes nothing);
    an afk break extends the focused window's event (the window watcher
    keeps reporting) and the afk bucket has an "afk" event for it; the afk
    bucket is contiguous not-afk / afk over the day;
  * every Chrome window event has a web event (same span, URL, title).

Ground truth (OUT_TRUTH.json): per day, every active piece (window event
minus afk time) with its intended project and whether it is a glance; the
per-project active seconds.
"""
import datetime as dt
import json
import math
import random
import sys

HOST = "devbox"
WIN, WEB, AFK = (f"aw-watcher-window_{HOST}", f"aw-watcher-web-chrome_{HOST}", f"aw-watcher-afk_{HOST}")

WR, MA, IN, PE = "Website Relaunch", "Mobile App", "Internal", "Personal"

# (weight, app, title, url or None, (median s, sigma, min s, max s))
APPS = {
    WR: [
        (50, "Code", ["Header.tsx - website - Visual Studio Code", "checkout.ts - website - Visual Studio Code",
                      "styles.css - website - Visual Studio Code", "routes.tsx - website - Visual Studio Code"], None, (180, 0.9, 20, 720)),
        (15, "gnome-terminal-server", ["npm run dev: ~/src/website", "git: ~/src/website"], None, (40, 0.8, 10, 240)),
        (22, "Google-chrome", [("Acme Website (dev) - Google Chrome", "http://localhost:3000/checkout"),
                               ("Pull request #412 - acme/website - GitHub - Google Chrome", "https://github.com/acme/website/pull/412"),
                               ("useEffect - React - Google Chrome", "https://react.dev/reference/react/useEffect")], "web", (60, 0.9, 10, 300)),
        (13, "Slack", ["#website-relaunch | Acme - Slack"], None, (30, 0.8, 8, 150)),
    ],
    MA: [
        (50, "Code", ["CartViewModel.kt - mobile-app - Visual Studio Code", "build.gradle - mobile-app - Visual Studio Code"], None, (180, 0.9, 20, 720)),
        (15, "gnome-terminal-server", ["./gradlew assembleDebug: ~/src/mobile-app", "adb logcat: ~/src/mobile-app"], None, (40, 0.8, 10, 240)),
        (22, "Google-chrome", [("ViewModel overview | Android Developers - Google Chrome", "https://developer.android.com/topic/libraries/architecture/viewmodel"),
                               ("Issue #88 - acme/mobile-app - GitHub - Google Chrome", "https://github.com/acme/mobile-app/issues/88")], "web", (60, 0.9, 10, 300)),
        (13, "Slack", ["#mobile-app | Acme - Slack"], None, (30, 0.8, 8, 150)),
    ],
    IN: [
        (40, "Thunderbird", ["Inbox - work@acme.example - Mozilla Thunderbird", "Re: Q4 planning - Mozilla Thunderbird"], None, (60, 0.8, 10, 300)),
        (30, "Slack", ["#general | Acme - Slack", "Direct message - Dana | Acme - Slack"], None, (40, 0.8, 8, 200)),
        (30, "Google-chrome", [("Sprint board - Jira - Google Chrome", "https://acme.atlassian.net/jira/software/projects/ACME/boards/1"),
                               ("Expense report - Acme intranet - Google Chrome", "https://intranet.acme.example/expenses")], "web", (60, 0.8, 10, 300)),
    ],
    PE: [
        (30, "Google-chrome", [("r/programming - Reddit - Google Chrome", "https://www.reddit.com/r/programming/"),
                               ("Hacker News - Google Chrome", "https://news.ycombinator.com/"),
                               ("Lo-fi beats - YouTube - Google Chrome", "https://www.youtube.com/watch?v=jfKfPfyJRdk"),
                               ("MyBank - Accounts - Google Chrome", "https://online.mybank.example/accounts"),
                               ("Amazon.de: Running shoes - Google Chrome", "https://www.amazon.de/s?k=running+shoes")], "web", (60, 0.9, 10, 300)),
        (10, "Signal", ["Signal"], None, (30, 0.8, 8, 150)),
        (10, "Code", ["post-2026-12.md - blog - Visual Studio Code"], None, (120, 0.8, 20, 480)),
    ],
}
GLANCES = [("Signal", "Signal", None), ("Google-chrome", "WhatsApp - Google Chrome", "https://web.whatsapp.com/"),
           ("Google-chrome", "Hacker News - Google Chrome", "https://news.ycombinator.com/")]


def lognorm(rng, median, sigma, lo, hi):
    return min(hi, max(lo, median * math.exp(rng.gauss(0, sigma))))


def pick_app(rng, project, last=None):
    opts = APPS[project]
    for _ in range(10):
        w = [o[0] for o in opts]
        o = rng.choices(opts, weights=w)[0]
        t = rng.choice(o[2])
        title, url = (t if isinstance(t, tuple) else (t, None))
        if (o[1], title) != last or len(opts) == 1:
            break
    return o[1], title, url, o[4]


class Day:
    def __init__(self, date, seed):
        self.rng = random.Random(seed)
        self.t0 = dt.datetime.fromisoformat(date + "T00:00:00+00:00")
        self.t = 0.0  # seconds since midnight
        self.win = []  # [start, end, app, title, url, project, glance]
        self.afk = []  # [start, end] afk
        self.pieces = []  # active pieces [start, end, project, glance]

    def window(self, app, title, url, project, dur, glance=False):
        dur = round(dur, 3)
        self.win.append([self.t, self.t + dur, app, title, url, project, glance])
        self.pieces.append([self.t, self.t + dur, project, glance])
        self.t += dur

    def away(self, dur):
        """The person leaves: the focused window stays, its event grows."""
        dur = round(dur, 3)
        if not self.win:
            return
        self.win[-1][1] += dur
        self.afk.append([self.t, self.t + dur])
        self.t += dur

    def work_stretch(self, project, length):
        rng = self.rng
        end = self.t + length
        last = None
        while self.t < end:
            r = rng.random()
            if project != IN and r < 0.035:
                app, title, url, (m, s, lo, hi) = pick_app(rng, IN)
                self.window(app, title, url, IN, lognorm(rng, 50, 0.8, 20, 180))
                continue
            if r < 0.035 + 0.018:
                app, title, url = rng.choice(GLANCES)
                self.window(app, title, url, PE, rng.uniform(8, 45), glance=True)
                continue
            app, title, url, (m, s, lo, hi) = pick_app(rng, project, last)
            last = (app, title)
            self.window(app, title, url, project, min(lognorm(rng, m, s, lo, hi), max(10, end - self.t)))

    def personal_stretch(self, length):
        rng = self.rng
        end = self.t + length
        last = None
        while self.t < end:
            app, title, url, (m, s, lo, hi) = pick_app(rng, PE, last)
            last = (app, title)
            self.window(app, title, url, PE, min(lognorm(rng, m, s, lo, hi), max(10, end - self.t)))

    def meeting(self):
        self.window("zoom.us", "Zoom Meeting - Weekly sync", None, IN, self.rng.uniform(30, 60) * 60)

    def run(self):
        rng = self.rng
        self.t = 8 * 3600 + rng.uniform(0, 40) * 60
        day_end = 16 * 3600 + 50 * 60 + rng.uniform(0, 60) * 60
        lunch_at = 12 * 3600 + rng.uniform(0, 60) * 60
        meeting_at = rng.choice([9.5, 10.5, 14, 15]) * 3600 + rng.uniform(0, 30) * 60
        coffees = sorted(rng.uniform(9.5, 16.5) * 3600 for _ in range(rng.choice([2, 3])))
        thinks = sorted(rng.uniform(8.5, 16.8) * 3600 for _ in range(rng.randint(2, 5)))
        done = {"lunch": False, "meeting": False}
        # start of the day: email
        self.work_stretch(IN, rng.uniform(5, 15) * 60)
        cur = None
        while self.t < day_end:
            if not done["lunch"] and self.t >= lunch_at:
                done["lunch"] = True
                if rng.random() < 0.5:  # a look at personal things before leaving
                    self.personal_stretch(rng.uniform(1, 6) * 60)
                self.away(rng.uniform(30, 60) * 60)
                continue
            if not done["meeting"] and self.t >= meeting_at:
                done["meeting"] = True
                self.meeting()
                continue
            if coffees and self.t >= coffees[0]:
                coffees.pop(0)
                self.away(rng.uniform(5, 15) * 60)
                continue
            if thinks and self.t >= thinks[0]:
                thinks.pop(0)
                self.away(rng.uniform(3, 7) * 60)
                continue
            if cur is not None and rng.random() < 0.55:
                self.personal_stretch(lognorm(rng, 330, 0.7, 60, 900))
            cur = rng.choices([WR, MA, IN], weights=[45, 33, 22])[0] if cur is None or rng.random() < 0.7 else cur
            self.work_stretch(cur, lognorm(rng, 900, 0.6, 240, 3600))
        return self

    def iso(self, s):
        return (self.t0 + dt.timedelta(seconds=s)).isoformat()

    def events(self):
        win = [{"timestamp": self.iso(a), "duration": round(b - a, 3), "data": {"app": app, "title": title}}
               for a, b, app, title, url, p, g in self.win]
        web = [{"timestamp": self.iso(a), "duration": round(b - a, 3),
                "data": {"url": url, "title": title.replace(" - Google Chrome", ""), "audible": False, "incognito": False, "tabCount": 7}}
               for a, b, app, title, url, p, g in self.win if app == "Google-chrome"]
        afk, prev = [], self.win[0][0]
        for a, b in self.afk:
            if a > prev:
                afk.append({"timestamp": self.iso(prev), "duration": round(a - prev, 3), "data": {"status": "not-afk"}})
            afk.append({"timestamp": self.iso(a), "duration": round(b - a, 3), "data": {"status": "afk"}})
            prev = b
        end = self.win[-1][1]
        if end > prev:
            afk.append({"timestamp": self.iso(prev), "duration": round(end - prev, 3), "data": {"status": "not-afk"}})
        return {WIN: win, WEB: web, AFK: afk}

    def truth(self):
        per = {}
        for a, b, p, g in self.pieces:
            per[p] = per.get(p, 0) + (b - a)
        return {"pieces": [[self.iso(a), self.iso(b), p, g] for a, b, p, g in self.pieces],
                "seconds": per, "afk": [[self.iso(a), self.iso(b)] for a, b in self.afk],
                "first": self.iso(self.win[0][0]), "last": self.iso(self.win[-1][1])}


def main():
    out_ev, out_truth, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
    events = {WIN: [], WEB: [], AFK: []}
    truth = {}
    for spec in specs:
        date, seed = spec.split(":")
        d = Day(date, int(seed)).run()
        for k, v in d.events().items():
            events[k] += v
        truth[date] = d.truth()
        tr = truth[date]
        tot = sum(tr["seconds"].values())
        pe = [x for x in d.pieces if x[2] == PE]
        print(f"{date} seed {seed}: {len(d.win)} window events, active {tot/3600:.2f} h, "
              + ", ".join(f"{k} {v/3600:.2f} h" for k, v in sorted(tr["seconds"].items()))
              + f"; Personal {100*tr['seconds'].get(PE,0)/tot:.1f} % in {len(pe)} pieces "
              + f"({sum(1 for x in pe if x[3])} glances)", file=sys.stderr)
    json.dump(events, open(out_ev, "w"))
    json.dump(truth, open(out_truth, "w"), indent=0)


if __name__ == "__main__":
    main()
