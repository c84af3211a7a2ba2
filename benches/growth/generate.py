#!/usr/bin/env python3
"""A synthetic bilateral of a given size, for measuring how proving grows (benches/growth/run.sh).

    python3 benches/growth/generate.py PRODUCTS RECORDS OUT_DIR

writes OUT_DIR/msa.json (examples/msa.json's parties, currency, tax, terms and validity with
PRODUCTS usage products `p-00000`.. of 8 graduated tiers each: every block of a partition shape
rates products of the largest tier count) and OUT_DIR/usage.csv (RECORDS records of November 2026
spread over the products in turn, quantities 1 to 1,000, in the CSV format of
examples/usage-2026-11.csv). Standard library only, deterministic (no randomness: quantities follow
the record's index), so runs can be compared.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TIERS = [(0, "0.0100"), (1_000, "0.0090"), (5_000, "0.0080"), (10_000, "0.0070"), (50_000, "0.0060"),
         (100_000, "0.0050"), (500_000, "0.0040"), (1_000_000, "0.0030")]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    products, records, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(HERE, "..", "..", "examples", "msa.json")) as f:
        msa = json.load(f)
    msa["id"] = f"MSA-GROWTH-{products}-{records}"
    # The example's per-product terms name its own products.
    msa.pop("serviceLevels", None)
    msa.get("disputeThresholds", {}).pop("products", None)
    msa["products"] = [
        {
            "id": f"p-{i:05}",
            "name": f"Synthetic usage product {i}",
            "unit": "unit",
            "pricing": {"model": "graduated", "tiers": [{"from": a, "price": p} for a, p in TIERS]},
            "orderReference": f"PO-GROWTH/{i + 1}",
        }
        for i in range(products)
    ]
    with open(os.path.join(out, "msa.json"), "w") as f:
        json.dump(msa, f, indent=1)
    with open(os.path.join(out, "usage.csv"), "w") as f:
        f.write("id,product,quantity,start,end,source\n")
        for r in range(records):
            day = 1 + r % 30
            second = (r // 30) % 86_400
            start = f"2026-11-{day:02}T{second // 3600:02}:{second // 60 % 60:02}:{second % 60:02}Z"
            f.write(f"r-{r},p-{r % products:05},{1 + (r * 7919) % 1000},{start},{start},both\n")
    print(f"{products} products, {records} records in {out}")


if __name__ == "__main__":
    main()
