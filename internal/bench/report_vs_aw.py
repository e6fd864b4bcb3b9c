# Our report vs ActivityWatch's own figure on a real aw-server: the
# canonical query (aw-webui src/queries.ts canonicalEvents, afk filtered)
# with the server's categories, escaped as aw-webui escapes them.
import json, urllib.request, collections, sys
port, ours_file = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}/api/0"
settings = json.load(urllib.request.urlopen(base + "/settings"))
classes = [[c["name"], c["rule"]] for c in settings["classes"] if c["rule"].get("type") == "regex"]
cats = json.dumps(classes).replace("\\\\", "\\")
q = ['events = flood(query_bucket("aw-watcher-window_devbox"));',
     'not_afk = flood(query_bucket("aw-watcher-afk_devbox"));',
     'not_afk = filter_keyvals(not_afk, "status", ["not-afk"]);',
     'events = filter_period_intersect(events, not_afk);',
     'events = categorize(events, %s);' % cats,
     'RETURN = merge_events_by_keys(events, ["$category"]);']
body = {"timeperiods": [sys.argv[3]], "query": q}
req = urllib.request.Request(base + "/query/", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
aw = collections.Counter()
for e in json.load(urllib.request.urlopen(req))[0]:
    cat = e["data"]["$category"]
    aw[None if cat == ["Uncategorized"] else " > ".join(cat)] += e["duration"]
ours = collections.Counter()
for r in json.load(open(ours_file)):
    ours[r["project"]] += r["seconds"]
worst = 0
for k in sorted(set(aw) | set(ours), key=lambda x: (x is None, x or "")):
    a, o = aw.get(k, 0), ours.get(k, 0)
    off = abs(o - a) / a * 100 if a else float("inf")
    worst = max(worst, off)
    print(f"{str(k):40s} ActivityWatch {a:9.1f} s  ours {o:7d} s  {off:6.2f} %")
ta, to = sum(aw.values()), sum(ours.values())
print(f"{'total':40s} ActivityWatch {ta:9.1f} s  ours {to:7d} s  {abs(to-ta)/ta*100:6.3f} %   worst project {worst:.2f} %")
