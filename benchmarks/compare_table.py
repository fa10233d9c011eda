"""Pairs grad4j's JMH results (JSON) with bench_torch.py's (TSV) from benchmarks/compare.sh and prints a Markdown
table: medians, means and the ratio PyTorch / grad4j of the medians (above 1: grad4j is faster).
Usage: python3 compare_table.py DIR   (DIR holds grad4j-<label>.json and torch-<label>.tsv)"""
import glob
import json
import os
import sys

UNIT_TO_US = {"ns/op": 1e-3, "us/op": 1.0, "ms/op": 1e3, "s/op": 1e6}
directory = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/target/compare"


def grad4j_results(path):
    out = {}
    for r in json.load(open(path)):
        name = ".".join(r["benchmark"].split(".")[-2:])
        params = " ".join(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
        metric = r["primaryMetric"]
        scale = UNIT_TO_US[metric["scoreUnit"]]
        median = metric.get("scorePercentiles", {}).get("50.0", metric["score"])
        out[(name + " " + params).strip()] = (median * scale, metric["score"] * scale)
    return out


def torch_results(path):
    out = {}
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        name, median, mean, _ = line.rstrip("\n").split("\t")
        out[name] = (float(median), float(mean))
    return out


def fmt(us):
    return f"{us * 1e3:,.0f} ns" if us < 10 else f"{us:,.1f} us" if us < 10_000 else f"{us / 1e3:,.2f} ms"


for json_path in sorted(glob.glob(os.path.join(directory, "grad4j-*.json"))):
    label = os.path.basename(json_path)[len("grad4j-"):-len(".json")]
    g = grad4j_results(json_path)
    t_path = os.path.join(directory, f"torch-{label}.tsv")
    t = torch_results(t_path) if os.path.exists(t_path) else {}
    print(f"\n### {label}\n")
    print("| case | grad4j median | grad4j mean | PyTorch median | PyTorch mean | ratio (PyTorch / grad4j, medians) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, (gm, ga) in g.items():
        if name in t:
            tm, ta = t[name]
            print(f"| {name} | {fmt(gm)} | {fmt(ga)} | {fmt(tm)} | {fmt(ta)} | {tm / gm:.2f} |")
        else:
            print(f"| {name} | {fmt(gm)} | {fmt(ga)} | | | |")
    for name, (tm, ta) in t.items():
        if name not in g:
            print(f"| {name} | | | {fmt(tm)} | {fmt(ta)} | |")
