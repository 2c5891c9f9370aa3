#!/usr/bin/env python3
"""The table of experiments/bench-peers.sh from its raw results directory: per (network, batch, threads) the
median over rounds of each system's median samples/s, and the ratios the speed bars are stated in.

  step/products  the bp step's time over its products' time (gemm-only row): 1.00 = the step costs its products
  2t/1t     credit bp at this thread count over credit bp at 1 thread
  R/bp      a rule's throughput over bp's in the same credit process
"""
import glob, json, os, statistics, sys
from collections import defaultdict


def med(values):
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    return "-" if v is None else f"{v:,.{digits}f}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def main(out):
    credit = defaultdict(lambda: defaultdict(list))   # (net, batch, threads) -> system -> [rates per round]
    rules = []
    for path in sorted(glob.glob(os.path.join(out, "credit-*.json"))):
        for r in json.load(open(path))["results"]:
            hidden = r.get("hidden") or []
            net = "fc:" + ",".join(str(h) for h in hidden) if r["network"].startswith("fc") else r["network"].split()[0]
            key = (net, r["batchSize"], r["threads"])
            for t in r["rules"]:
                credit[key][t["name"]].append(t["medianSamplesPerSecond"])
                if t["name"] not in rules:
                    rules.append(t["name"])
            if r.get("gemmOnly"):
                credit[key]["gemm-only"].append(r["gemmOnly"]["medianSamplesPerSecond"])
            dl4j = [t["medianSamplesPerSecond"] for t in r.get("dl4j") or []]
            if dl4j:
                credit[key]["dl4j"].append(max(dl4j))
    for path in sorted(glob.glob(os.path.join(out, "peers-r*.jsonl"))):
        for line in open(path):
            p = json.loads(line)
            credit[(p["network"], p["batch"], p["threads"])][p["peer"].split()[0]].append(p["median"])
    if not credit:
        sys.exit("peers_table: no results in " + out)
    others = [r for r in rules if r != "bp"]
    head = ["network", "batch", "threads", "credit bp", "gemm-only", "step/products", "NumPy", "PyTorch", "DL4J",
            "bp/NumPy", "bp/PyTorch", "bp/DL4J", "bp 2t/1t"] + [f"{r}/bp" for r in others]
    rows = []
    for key in sorted(credit, key=lambda k: (k[0], k[1], k[2])):
        s = {name: med(v) for name, v in credit[key].items()}
        bp = s.get("bp")
        one = med(credit.get((key[0], key[1], 1), {}).get("bp", []))
        rows.append([key[0], str(key[1]), str(key[2]), fmt(bp), fmt(s.get("gemm-only")),
                     fmt(ratio(s.get("gemm-only"), bp), 2), fmt(s.get("numpy")), fmt(s.get("pytorch")), fmt(s.get("dl4j")),
                     fmt(ratio(bp, s.get("numpy")), 2), fmt(ratio(bp, s.get("pytorch")), 2), fmt(ratio(bp, s.get("dl4j")), 1),
                     fmt(ratio(bp, one), 2)] + [fmt(ratio(s.get(r), bp), 2) for r in others])
    rounds = max(len(v) for d in credit.values() for v in d.values())
    print(f"samples/s, median over {rounds} alternating round(s) of each system's median timed block ({out})\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: peers_table.py RESULTS_DIR")
    main(sys.argv[1])
