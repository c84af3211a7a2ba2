#!/usr/bin/env python3
"""Generates the large example: a wholesale voice rate deck and a month of CDRs (deterministic).

    python3 examples/large/generate.py [OUT_DIR]      (default: target/examples-large)

writes
  OUT_DIR/msa.json            examples/msa.json (parties, currency, tax, terms, validity, its four
                              products unchanged) plus a voice rate deck: one product per destination
                              prefix, `voice-<iso>-<fixed|mobile>-<prefix>`, 1 to 8 graduated or
                              volume tiers, prices 0.0005 to 0.45 USD a minute;
  OUT_DIR/usage-2026-11.csv   November 2026 (2026-11-01..2026-12-01) in the CSV format of
                              examples/usage-2026-11.csv: 120,000 voice CDRs over the deck with a
                              Zipf popularity, minutes rounded up, plus the small example's daily
                              IP transit and compute records;
and prints a one-line summary. Standard library only. Every random choice comes from the SplitMix64
generator below seeded with SEED, in integer arithmetic (no floats, no `random` module, no
dependence on dict or set order): the bytes are the same on every run, platform and Python 3.
tests/tests/large_example.rs pins their SHA-256 digests.
"""
import datetime as dt
import json
import os
import sys
from bisect import bisect_right

SEED = 20261101
VOICE_CDRS = 120_000
PERIOD_START = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
PERIOD_DAYS = 30
DECK_ORDER = "PO-2026-0118"  # the rate deck's product order; item k bills the k-th destination
MIN_PRICE_MICRO, MAX_PRICE_MICRO = 500, 450_000  # 0.0005 and 0.45 USD, in micro-USD
MAX_TIERS = 8  # the largest shape (M) takes 8 tiers per product
MASK64 = (1 << 64) - 1


class SplitMix64:
    """SplitMix64 (Steele, Lea, Flood 2014): 64-bit integer arithmetic only."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        """Uniform in 0..n-1 (rejection sampling: no modulo bias)."""
        limit = (1 << 64) - (1 << 64) % n
        while True:
            v = self.next()
            if v < limit:
                return v % n

    def between(self, lo, hi):
        """Uniform in lo..=hi."""
        return lo + self.below(hi - lo + 1)


class Weighted:
    """Draws an index with probability proportional to integer weights."""

    def __init__(self, weights):
        self.cumulative, total = [], 0
        for w in weights:
            total += w
            self.cumulative.append(total)

    def draw(self, rng):
        return bisect_right(self.cumulative, rng.below(self.cumulative[-1]))


# Destinations: ISO 3166-1 alpha-2, name, country code(s), traffic weight (1..100), price class,
# mobile leading digits after the country code ("" when unknown: drawn). NANP members have their
# area codes as country codes; Canada's are its area codes, the United States take the rest of +1.
COUNTRIES = [
    ("ad", "Andorra", "376", 1, "C", "3 6"), ("ae", "United Arab Emirates", "971", 25, "B", "5"),
    ("af", "Afghanistan", "93", 10, "D", "7"), ("ag", "Antigua and Barbuda", "1268", 1, "D", ""),
    ("ai", "Anguilla", "1264", 1, "D", ""), ("al", "Albania", "355", 8, "C", "6"),
    ("am", "Armenia", "374", 8, "B", "9 7"), ("ao", "Angola", "244", 5, "C", "9"),
    ("ar", "Argentina", "54", 20, "B", "9"), ("as", "American Samoa", "1684", 1, "C", ""),
    ("at", "Austria", "43", 20, "A", "66 67 68 69"), ("au", "Australia", "61", 20, "A", "4"),
    ("aw", "Aruba", "297", 1, "C", "5 6 7"), ("az", "Azerbaijan", "994", 8, "C", "5 7"),
    ("ba", "Bosnia and Herzegovina", "387", 8, "C", "6"), ("bb", "Barbados", "1246", 3, "C", ""),
    ("bd", "Bangladesh", "880", 45, "B", "13 14 15 16 17 18 19"), ("be", "Belgium", "32", 25, "A", "4"),
    ("bf", "Burkina Faso", "226", 4, "C", "6 7"), ("bg", "Bulgaria", "359", 12, "B", "8 9"),
    ("bh", "Bahrain", "973", 4, "B", "3"), ("bi", "Burundi", "257", 2, "D", "7"),
    ("bj", "Benin", "229", 3, "C", "9"), ("bm", "Bermuda", "1441", 1, "C", ""),
    ("bn", "Brunei", "673", 2, "B", "7 8"), ("bo", "Bolivia", "591", 8, "C", "6 7"),
    ("br", "Brazil", "55", 45, "B", "119 219 319 419 519 619 719 819 919"),
    ("bs", "Bahamas", "1242", 3, "C", ""), ("bt", "Bhutan", "975", 1, "C", "17"),
    ("bw", "Botswana", "267", 2, "C", "7"), ("by", "Belarus", "375", 8, "C", "25 29 33 44"),
    ("bz", "Belize", "501", 2, "C", "6"), ("ca", "Canada", "1204 1236 1250 1289 1306 1343 1365 1403 "
     "1416 1418 1431 1437 1438 1450 1506 1514 1519 1548 1579 1581 1587 1604 1613 1639 1647 1672 1705 "
     "1709 1742 1778 1780 1782 1807 1819 1825 1867 1873 1902 1905", 40, "A", ""),
    ("cd", "DR Congo", "243", 8, "C", "8 9"), ("cf", "Central African Republic", "236", 1, "D", "7"),
    ("cg", "Congo", "242", 4, "C", "0"), ("ch", "Switzerland", "41", 25, "B", "75 76 77 78 79"),
    ("ci", "Ivory Coast", "225", 10, "C", "0"), ("ck", "Cook Islands", "682", 1, "D", "5 7"),
    ("cl", "Chile", "56", 15, "B", "9"), ("cm", "Cameroon", "237", 10, "C", "6"),
    ("cn", "China", "86", 70, "A", "13 15 17 18 19"), ("co", "Colombia", "57", 30, "B", "3"),
    ("cr", "Costa Rica", "506", 8, "B", "6 7 8"), ("cu", "Cuba", "53", 15, "D", "5"),
    ("cv", "Cape Verde", "238", 1, "C", "9"), ("cw", "Curacao", "599", 2, "C", "9"),
    ("cy", "Cyprus", "357", 4, "B", "9"), ("cz", "Czechia", "420", 15, "A", "60 70 72 73 77 79"),
    ("de", "Germany", "49", 80, "A", "15 16 17"), ("dj", "Djibouti", "253", 1, "D", "77"),
    ("dk", "Denmark", "45", 15, "A", "2 3 4 5"), ("dm", "Dominica", "1767", 1, "D", ""),
    ("do", "Dominican Republic", "1809 1829 1849", 20, "B", ""), ("dz", "Algeria", "213", 15, "C", "5 6 7"),
    ("ec", "Ecuador", "593", 12, "B", "9"), ("ee", "Estonia", "372", 4, "B", "5 8"),
    ("eg", "Egypt", "20", 25, "B", "10 11 12 15"), ("er", "Eritrea", "291", 1, "D", "7"),
    ("es", "Spain", "34", 60, "A", "6 7"), ("et", "Ethiopia", "251", 12, "C", "9 7"),
    ("fi", "Finland", "358", 10, "A", "4 50"), ("fj", "Fiji", "679", 2, "C", "7 8 9"),
    ("fk", "Falkland Islands", "500", 1, "D", "5 6"), ("fm", "Micronesia", "691", 1, "D", ""),
    ("fo", "Faroe Islands", "298", 1, "C", "2 5 7"), ("fr", "France", "33", 75, "A", "6 7"),
    ("ga", "Gabon", "241", 2, "C", "6 7"), ("gb", "United Kingdom", "44", 90, "A", "71 73 74 75 77 78 79"),
    ("gd", "Grenada", "1473", 1, "D", ""), ("ge", "Georgia", "995", 8, "B", "5"),
    ("gf", "French Guiana", "594", 1, "C", "694"), ("gh", "Ghana", "233", 15, "C", "2 5"),
    ("gi", "Gibraltar", "350", 1, "C", "5"), ("gl", "Greenland", "299", 1, "D", "2 4 5"),
    ("gm", "Gambia", "220", 2, "C", "2 3 7 9"), ("gn", "Guinea", "224", 5, "C", "6"),
    ("gp", "Guadeloupe", "590", 1, "C", "690"), ("gq", "Equatorial Guinea", "240", 1, "D", "2 5"),
    ("gr", "Greece", "30", 15, "A", "69"), ("gt", "Guatemala", "502", 20, "B", "3 4 5"),
    ("gu", "Guam", "1671", 1, "A", ""), ("gw", "Guinea-Bissau", "245", 1, "D", "9"),
    ("gy", "Guyana", "592", 4, "C", "6"), ("hk", "Hong Kong", "852", 15, "A", "5 6 9"),
    ("hn", "Honduras", "504", 15, "C", "3 8 9"), ("hr", "Croatia", "385", 8, "B", "9"),
    ("ht", "Haiti", "509", 15, "C", "3 4"), ("hu", "Hungary", "36", 12, "A", "20 30 70"),
    ("id", "Indonesia", "62", 35, "B", "8"), ("ie", "Ireland", "353", 15, "A", "8"),
    ("il", "Israel", "972", 15, "A", "5"), ("in", "India", "91", 90, "A", "6 7 8 9"),
    ("iq", "Iraq", "964", 12, "C", "7"), ("ir", "Iran", "98", 12, "C", "9"),
    ("is", "Iceland", "354", 2, "B", "6 7 8"), ("it", "Italy", "39", 60, "A", "3"),
    ("jm", "Jamaica", "1876", 12, "C", ""), ("jo", "Jordan", "962", 8, "B", "7"),
    ("jp", "Japan", "81", 30, "B", "70 80 90"), ("ke", "Kenya", "254", 15, "B", "7 1"),
    ("kg", "Kyrgyzstan", "996", 5, "C", "5 7"), ("kh", "Cambodia", "855", 8, "B", "1 6 7 8 9"),
    ("ki", "Kiribati", "686", 1, "D", "7"), ("km", "Comoros", "269", 1, "D", "3"),
    ("kn", "Saint Kitts and Nevis", "1869", 1, "D", ""), ("kr", "South Korea", "82", 25, "A", "10"),
    ("kw", "Kuwait", "965", 6, "B", "5 6 9"), ("ky", "Cayman Islands", "1345", 1, "C", ""),
    ("kz", "Kazakhstan", "76 77", 10, "B", "0"), ("la", "Laos", "856", 5, "C", "20"),
    ("lb", "Lebanon", "961", 8, "C", "3 7"), ("lc", "Saint Lucia", "1758", 1, "D", ""),
    ("li", "Liechtenstein", "423", 1, "C", "7"), ("lk", "Sri Lanka", "94", 12, "B", "7"),
    ("lr", "Liberia", "231", 3, "C", "77 88"), ("ls", "Lesotho", "266", 1, "C", "5 6"),
    ("lt", "Lithuania", "370", 6, "B", "6"), ("lu", "Luxembourg", "352", 4, "B", "6"),
    ("lv", "Latvia", "371", 5, "B", "2"), ("ly", "Libya", "218", 4, "D", "9"),
    ("ma", "Morocco", "212", 20, "B", "6 7"), ("mc", "Monaco", "377", 1, "C", "6"),
    ("md", "Moldova", "373", 8, "C", "6 7"), ("me", "Montenegro", "382", 3, "C", "6"),
    ("mg", "Madagascar", "261", 3, "C", "3"), ("mh", "Marshall Islands", "692", 1, "D", ""),
    ("mk", "North Macedonia", "389", 4, "C", "7"), ("ml", "Mali", "223", 6, "C", "6 7 9"),
    ("mm", "Myanmar", "95", 10, "C", "9"), ("mn", "Mongolia", "976", 3, "B", "8 9"),
    ("mo", "Macao", "853", 3, "B", "6"), ("mp", "Northern Mariana Islands", "1670", 1, "A", ""),
    ("mq", "Martinique", "596", 1, "C", "696"), ("mr", "Mauritania", "222", 2, "C", "2 3 4"),
    ("ms", "Montserrat", "1664", 1, "D", ""), ("mt", "Malta", "356", 3, "B", "7 9"),
    ("mu", "Mauritius", "230", 2, "C", "5"), ("mv", "Maldives", "960", 2, "D", "7 9"),
    ("mw", "Malawi", "265", 3, "C", "88 99"), ("mx", "Mexico", "52", 60, "A", "1"),
    ("my", "Malaysia", "60", 20, "A", "1"), ("mz", "Mozambique", "258", 5, "C", "8"),
    ("na", "Namibia", "264", 2, "C", "8"), ("nc", "New Caledonia", "687", 1, "D", "7 8 9"),
    ("ne", "Niger", "227", 3, "C", "8 9"), ("ng", "Nigeria", "234", 35, "C", "70 80 81 90 91"),
    ("ni", "Nicaragua", "505", 8, "C", "5 7 8"), ("nl", "Netherlands", "31", 40, "A", "6"),
    ("no", "Norway", "47", 15, "A", "4 9"), ("np", "Nepal", "977", 15, "C", "98"),
    ("nr", "Nauru", "674", 1, "D", "55"), ("nz", "New Zealand", "64", 8, "A", "2"),
    ("om", "Oman", "968", 5, "B", "7 9"), ("pa", "Panama", "507", 6, "B", "6"),
    ("pe", "Peru", "51", 20, "B", "9"), ("pf", "French Polynesia", "689", 1, "D", "87 89"),
    ("pg", "Papua New Guinea", "675", 2, "D", "7"), ("ph", "Philippines", "63", 40, "B", "9"),
    ("pk", "Pakistan", "92", 50, "B", "3"), ("pl", "Poland", "48", 35, "A", "50 51 53 57 60 66 69 72 73 78 79 88"),
    ("pr", "Puerto Rico", "1787 1939", 8, "A", ""), ("ps", "Palestine", "970", 4, "C", "56 59"),
    ("pt", "Portugal", "351", 20, "A", "9"), ("pw", "Palau", "680", 1, "D", ""),
    ("py", "Paraguay", "595", 5, "B", "9"), ("qa", "Qatar", "974", 6, "B", "3 5 6 7"),
    ("re", "Reunion", "262", 1, "C", "692 693"), ("ro", "Romania", "40", 30, "A", "7"),
    ("rs", "Serbia", "381", 12, "B", "6"), ("ru", "Russia", "7", 40, "B", "9"),
    ("rw", "Rwanda", "250", 4, "C", "7"), ("sa", "Saudi Arabia", "966", 25, "B", "5"),
    ("sb", "Solomon Islands", "677", 1, "D", "7 8"), ("sc", "Seychelles", "248", 1, "D", "2"),
    ("sd", "Sudan", "249", 5, "C", "9 1"), ("se", "Sweden", "46", 20, "A", "70 72 73 76 79"),
    ("sg", "Singapore", "65", 15, "A", "8 9"), ("sh", "Saint Helena", "290", 1, "D", "5 6"),
    ("si", "Slovenia", "386", 5, "B", "3 4 6 7"), ("sk", "Slovakia", "421", 8, "A", "9"),
    ("sl", "Sierra Leone", "232", 4, "C", "7 3"), ("sm", "San Marino", "378", 1, "C", "6"),
    ("sn", "Senegal", "221", 10, "C", "7"), ("so", "Somalia", "252", 6, "D", "6 7 9"),
    ("sr", "Suriname", "597", 2, "C", "8 7"), ("ss", "South Sudan", "211", 2, "D", "9"),
    ("st", "Sao Tome and Principe", "239", 1, "D", "9"), ("sv", "El Salvador", "503", 15, "B", "6 7"),
    ("sy", "Syria", "963", 8, "C", "9"), ("sz", "Eswatini", "268", 1, "C", "7"),
    ("tc", "Turks and Caicos Islands", "1649", 1, "D", ""), ("td", "Chad", "235", 2, "D", "6 9"),
    ("tg", "Togo", "228", 3, "C", "9 7"), ("th", "Thailand", "66", 20, "A", "6 8 9"),
    ("tj", "Tajikistan", "992", 6, "C", "9"), ("tl", "Timor-Leste", "670", 1, "D", "7"),
    ("tm", "Turkmenistan", "993", 2, "C", "6"), ("tn", "Tunisia", "216", 10, "C", "2 5 9"),
    ("to", "Tonga", "676", 1, "D", "7 8"), ("tr", "Turkey", "90", 30, "B", "5"),
    ("tt", "Trinidad and Tobago", "1868", 5, "C", ""), ("tv", "Tuvalu", "688", 1, "D", "9"),
    ("tw", "Taiwan", "886", 12, "A", "9"), ("tz", "Tanzania", "255", 10, "C", "6 7"),
    ("ua", "Ukraine", "380", 30, "B", "50 63 66 67 68 73 93 95 96 97 98 99"),
    ("ug", "Uganda", "256", 10, "C", "7"), ("us", "United States", "1", 100, "A", ""),
    ("uy", "Uruguay", "598", 4, "C", "9"), ("uz", "Uzbekistan", "998", 10, "C", "9"),
    ("vc", "Saint Vincent and the Grenadines", "1784", 1, "D", ""), ("ve", "Venezuela", "58", 12, "C", "4"),
    ("vg", "British Virgin Islands", "1284", 1, "D", ""), ("vi", "US Virgin Islands", "1340", 1, "A", ""),
    ("vn", "Vietnam", "84", 30, "B", "3 5 7 8 9"), ("vu", "Vanuatu", "678", 1, "D", "5 7"),
    ("ws", "Samoa", "685", 1, "D", "7"), ("ye", "Yemen", "967", 8, "C", "7"),
    ("za", "South Africa", "27", 20, "B", "6 7 8"), ("zm", "Zambia", "260", 5, "C", "9 7"),
    ("zw", "Zimbabwe", "263", 8, "C", "7"),
]

# Per-minute base prices by class, in micro-USD: (fixed low, fixed high, mobile low, mobile high).
PRICE_CLASSES = {
    "A": (500, 3_000, 1_500, 12_000),
    "B": (3_000, 15_000, 8_000, 40_000),
    "C": (15_000, 80_000, 30_000, 150_000),
    "D": (60_000, 250_000, 100_000, 380_000),
}
# Tier thresholds (cumulative minutes) a tier table draws from, and how many tiers it has (1..8).
THRESHOLDS = [1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
              2_500_000, 5_000_000]
TIER_COUNTS = Weighted([18, 16, 16, 14, 12, 10, 8, 6])  # 1 tier, 2 tiers, ..., MAX_TIERS
assert len(TIER_COUNTS.cumulative) == MAX_TIERS


def owner(prefix, bases):
    """The country whose country code is the longest one `prefix` starts with."""
    for n in range(len(prefix), 0, -1):
        if prefix[:n] in bases:
            return bases[prefix[:n]]
    return None


def draw_prefixes(rng, iso, start, count, heads, avoid, bases, used, length=1):
    """`count` new prefixes `start + head + digits` (at least `length` digits) of country `iso`:
    unique in the deck, routed to `iso` by longest match, not under the heads in `avoid` (its mobile
    ranges, for fixed ones)."""
    out, misses = [], 0
    while len(out) < count:
        head = heads[rng.below(len(heads))]
        tail = "".join(str(rng.below(10)) for _ in range(length))
        p = start + head + tail
        if p in used or owner(p, bases) != iso or any((head + tail).startswith(a) for a in avoid):
            misses += 1
            if misses > 40:  # this length is (nearly) exhausted: one more digit
                length, misses = length + 1, 0
            continue
        used.add(p)
        out.append(p)
    return out


def destination(iso, name, kind, prefix, cls, weight, whole_country=False):
    return {"iso": iso, "country": name, "kind": kind, "prefix": prefix, "class": cls, "weight": weight,
            "id": f"voice-{iso}-{kind}-{prefix}", "whole_country": whole_country}


def deck_destinations(rng):
    """The destinations, sorted by product id."""
    bases = {}
    for iso, _, codes, _, _, _ in COUNTRIES:
        for c in codes.split():
            bases[c] = iso
    used = set(bases)
    out = []
    for iso, name, codes, weight, cls, mobile in COUNTRIES:
        codes = codes.split()
        nanp = codes[0].startswith("1")
        for c in codes:  # every country code is a destination of its own (the rest of the country)
            out.append(destination(iso, name, "fixed", c, cls, weight, whole_country=len(codes) == 1))
        if iso == "us":  # area codes: the first digit 2-9, the second digit not 9
            heads = [str(a) + str(b) for a in range(2, 10) for b in range(9)]
            for p in draw_prefixes(rng, iso, "1", 170, heads, [], bases, used):
                out.append(destination(iso, name, "fixed", p, cls, weight))
            continue
        if iso == "ca":
            continue
        mobile_heads = mobile.split() or [str(rng.between(6, 9))]
        fixed_heads = [str(d) for d in range(1, 10) if not any(str(d) == m[:1] for m in mobile_heads)] \
            or [str(d) for d in range(1, 10)]
        n_fixed = weight // 4 if not nanp else 0
        n_mobile = 1 + weight * 3 // 5
        for j, c in enumerate(codes):  # the first code takes the remainders
            share_f = n_fixed // len(codes) + (n_fixed % len(codes) if j == 0 else 0)
            share_m = n_mobile // len(codes) + (n_mobile % len(codes) if j == 0 else 0)
            for p in draw_prefixes(rng, iso, c, share_f, fixed_heads, mobile_heads, bases, used):
                out.append(destination(iso, name, "fixed", p, cls, weight))
            if nanp:  # exchange codes (NXX) after the area code
                picked = draw_prefixes(rng, iso, c, share_m, [str(d) for d in range(2, 10)], [], bases, used, 2)
            else:
                picked = draw_prefixes(rng, iso, c, share_m, mobile_heads, [], bases, used)
            for p in picked:
                out.append(destination(iso, name, "mobile", p, cls, weight))
    out.sort(key=lambda d: d["id"].encode())
    return out


def price(micro):
    return f"{micro // 1_000_000}.{micro % 1_000_000:06d}"


def tiers(rng, base):
    """A tier table: the first price within -15..+20 % of `base`, thresholds ascending from 0,
    prices falling 2-12 % a tier, all within 0.0005..0.45 USD."""
    p = min(MAX_PRICE_MICRO, max(MIN_PRICE_MICRO, base * rng.between(85, 120) // 100))
    count = 1 + TIER_COUNTS.draw(rng)
    pool = list(THRESHOLDS)
    picked = sorted(pool.pop(rng.below(len(pool))) for _ in range(count - 1))
    table = [(0, p)]
    for t in picked:
        p = min(p - 1, p * (100 - rng.between(2, 12)) // 100)
        if p < MIN_PRICE_MICRO:
            break
        table.append((t, p))
    return table


def deck(rng):
    """The rate deck: a product per destination; a country's fixed (or mobile) prefixes are priced
    around one base price of its class."""
    products, destinations, bases = [], deck_destinations(rng), {}
    for k, d in enumerate(destinations, start=1):
        if (d["iso"], d["kind"]) not in bases:
            f_lo, f_hi, m_lo, m_hi = PRICE_CLASSES[d["class"]]
            lo, hi = (f_lo, f_hi) if d["kind"] == "fixed" else (m_lo, m_hi)
            bases[(d["iso"], d["kind"])] = rng.between(lo, hi)
        model = "graduated" if rng.below(100) < 55 else "volume"
        table = tiers(rng, bases[(d["iso"], d["kind"])])
        products.append({
            "id": d["id"],
            "name": f"Voice termination, {d['country']} {d['kind']}, prefix {d['prefix']}",
            "unit": "minute",
            "pricing": {"model": model, "tiers": [{"from": t, "price": price(p)} for t, p in table]},
            "orderReference": f"{DECK_ORDER}/{k}",
        })
    return products, destinations


def popularity(rng, destinations):
    """Zipf weights (1/rank): destinations ranked by their country's traffic, mobile above fixed,
    jittered; the country-wide catch-all codes carry a tenth."""
    scored = []
    for i, d in enumerate(destinations):
        score = d["weight"] * (3 if d["kind"] == "mobile" else 2) * rng.between(50, 150)
        if d["whole_country"]:
            score //= 10
        scored.append((-score, i))
    scored.sort()
    weights = [0] * len(destinations)
    for rank, (_, i) in enumerate(scored, start=1):
        weights[i] = 10**12 // rank
    return Weighted(weights)


def iso_time(seconds):
    return (PERIOD_START + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


# Calls by hour of the day (UTC) and by day of the week (Monday first), and call lengths: ranges
# of seconds with their weights (the mean call lasts a few minutes; none over 2 hours).
HOURS = Weighted([2, 1, 1, 1, 1, 2, 4, 7, 10, 12, 13, 13, 12, 12, 13, 13, 12, 11, 10, 9, 8, 6, 4, 3])
WEEKDAYS = [10, 10, 10, 10, 10, 7, 6]
DAYS = Weighted([WEEKDAYS[(PERIOD_START.weekday() + d) % 7] for d in range(PERIOD_DAYS)])
LENGTHS = [(1, 60, 34), (61, 180, 30), (181, 300, 14), (301, 600, 12), (601, 1800, 7),
           (1801, 3600, 2), (3601, 7200, 1)]
LENGTH_BUCKETS = Weighted([w for _, _, w in LENGTHS])


def voice_cdrs(rng, products, popular):
    period_end = PERIOD_DAYS * 86_400
    calls = []
    for _ in range(VOICE_CDRS):
        product = products[popular.draw(rng)]["id"]
        lo, hi, _ = LENGTHS[LENGTH_BUCKETS.draw(rng)]
        length = rng.between(lo, hi)
        start = period_end
        while start + length > period_end:  # calls end within the period
            start = DAYS.draw(rng) * 86_400 + HOURS.draw(rng) * 3_600 + rng.below(3_600)
        calls.append((start, length, product))
    calls.sort()
    return [(f"2026-11-cdr-{n:06d}", product, -(-length // 60), start, start + length, "both")
            for n, (start, length, product) in enumerate(calls, start=1)]


def daily_records(rng):
    """The small example's non-voice records: IP transit per port and compute per host, a day each."""
    out = []
    for d in range(PERIOD_DAYS):
        day = d * 86_400
        for port in range(8):
            out.append((f"2026-11-ipt-{d + 1:02d}-{port}", "ip-transit", rng.between(800, 2400), day,
                        day + 86_400, "seller"))
        for host in range(8):
            out.append((f"2026-11-cpu-{d + 1:02d}-{host}", "compute-vcpu", rng.between(150, 300), day,
                        day + 86_400, "seller"))
    return out


def msa_text(base, products):
    """The MSA as JSON: the small example's fields as it writes them, one product a line."""
    head = {k: v for k, v in base.items() if k != "products"}
    lines = ["{"]
    for k, v in head.items():
        lines.append(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=True)},")
    lines.append('  "products": [')
    body = [f"    {json.dumps(p, ensure_ascii=True, separators=(', ', ': '))}" for p in products]
    lines.append(",\n".join(body))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join("target", "examples-large")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "msa.json"), encoding="utf-8") as f:
        base = json.load(f)
    rng = SplitMix64(SEED)
    voice, destinations = deck(rng)
    products = base["products"] + voice
    records = sorted(voice_cdrs(rng, voice, popularity(rng, destinations)) + daily_records(rng),
                     key=lambda r: (r[3], r[0].encode()))
    os.makedirs(out_dir, exist_ok=True)
    msa_path = os.path.join(out_dir, "msa.json")
    usage_path = os.path.join(out_dir, "usage-2026-11.csv")
    with open(msa_path, "w", encoding="utf-8", newline="\n") as f:
        f.write(msa_text(base, products))
    with open(usage_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("id,product,quantity,start,end,source\n")
        for i, p, q, a, b, src in records:
            f.write(f"{i},{p},{q},{iso_time(a)},{iso_time(b)},{src}\n")
    tiers_most = max(len(p["pricing"]["tiers"]) for p in voice)
    print(f"{msa_path}: {len(products)} products ({len(voice)} voice destinations, 1 to {tiers_most} "
          f"tiers), {os.path.getsize(msa_path)} bytes; {usage_path}: {len(records)} records "
          f"({VOICE_CDRS} voice CDRs), {os.path.getsize(usage_path)} bytes")


if __name__ == "__main__":
    main()
