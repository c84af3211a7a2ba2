#!/usr/bin/env python3
"""Generates the example usage months shipped in examples/ (deterministic, seed 2026).

October as JSON (usage-2026-10.json), November as a CDR-style CSV export (usage-2026-11.csv),
December as JSON (usage-2026-12.json).
Run from the repository root: python3 examples/generate_usage.py
"""
import csv, datetime as dt, json, random

def month(rng, year, mon, tag):
    start = dt.date(year, mon, 1)
    end = dt.date(year + (mon == 12), mon % 12 + 1, 1)
    days = (end - start).days
    recs = []
    for d in range(days):
        day = dt.datetime(start.year, start.month, start.day, tzinfo=dt.timezone.utc) + dt.timedelta(days=d)
        for port in range(8):  # IP transit: one aggregate per port per day
            recs.append((f"{tag}-ipt-{d + 1:02d}-{port}", "ip-transit", rng.randint(800, 2400),
                         day, day + dt.timedelta(days=1), "seller"))
        for h in range(16):  # voice: 90-minute CDR batches, reconciled by both carriers
            t0 = day + dt.timedelta(minutes=90 * h)
            recs.append((f"{tag}-voice-{d + 1:02d}-{h:02d}", "voice-termination", rng.randint(1500, 4500),
                         t0, t0 + dt.timedelta(minutes=90), "both"))
        for host in range(8):  # compute: one meter reading per host per day
            recs.append((f"{tag}-cpu-{d + 1:02d}-{host}", "compute-vcpu", rng.randint(150, 300),
                         day, day + dt.timedelta(days=1), "seller"))
    rng.shuffle(recs)
    return start, end, recs

def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")

def write_json(path, s, e, recs):
    with open(path, "w") as f:
        json.dump({"period": {"start": str(s), "end": str(e)},
                   "records": [{"id": i, "product": p, "quantity": q, "start": iso(a), "end": iso(b), "source": src}
                               for i, p, q, a, b, src in recs]}, f, indent=1)
        f.write("\n")

rng = random.Random(2026)
write_json("examples/usage-2026-10.json", *month(rng, 2026, 10, "2026-10"))
s, e, recs = month(rng, 2026, 11, "2026-11")
with open("examples/usage-2026-11.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "product", "quantity", "start", "end", "source"])
    for i, p, q, a, b, src in recs:
        w.writerow([i, p, q, iso(a), iso(b), src])
write_json("examples/usage-2026-12.json", *month(rng, 2026, 12, "2026-12"))
