"""Pairs grad4j's JMH results (JSON) with bench_torch.py's (TSV) from benchmarks/compare.sh and prints a Markdown
table: medians, means and the ratio PyTorch / grad4j of the medians (above 1: grad4j is faster).
Usage: python3 compare_table.py DIR   (DIR holds grad4j-<label>.json and torch-<label>.tsv)
A label may have several PyTorch runs (torch-<label>.tsv, torch-<label>+<mix>.tsv: other thread mixes); then each case
is compared with PyTorch's fastest run of it, and the table names that run's mix."""
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
    runs = {}   # mix -> results; "" is torch-<label>.tsv
    for t_path in sorted(glob.glob(os.path.join(directory, f"torch-{label}.tsv"))
                         + glob.glob(os.path.join(directory, f"torch-{label}+*.tsv"))):
        mix = os.path.basename(t_path)[len(f"torch-{label}"):-len(".tsv")].lstrip("+")
        runs[mix] = torch_results(t_path)
    t = {}   # case -> (median, mean, mix) of PyTorch's fastest run
    for mix, results in runs.items():
        for name, (tm, ta) in results.items():
            if name not in t or tm < t[name][0]:
                t[name] = (tm, ta, mix)
    several = len(runs) > 1
    mix_header = " PyTorch run |" if several else ""
    print(f"\n### {label}\n")
    print(f"| case | grad4j median | grad4j mean | PyTorch median | PyTorch mean |{mix_header} "
          "ratio (PyTorch / grad4j, medians) |")
    print("| --- | ---: | ---: | ---: | ---: |" + (" --- |" if several else "") + " ---: |")
    for name, (gm, ga) in g.items():
        if name in t:
            tm, ta, mix = t[name]
            mix_cell = f" {mix or 'torch1-blas2'} |" if several else ""
            print(f"| {name} | {fmt(gm)} | {fmt(ga)} | {fmt(tm)} | {fmt(ta)} |{mix_cell} {tm / gm:.2f} |")
        else:
            print(f"| {name} | {fmt(gm)} | {fmt(ga)} | | |{' |' if several else ''} |")
    for name, (tm, ta, mix) in t.items():
        if name not in g:
            mix_cell = f" {mix or 'torch1-blas2'} |" if several else ""
            print(f"| {name} | | | {fmt(tm)} | {fmt(ta)} |{mix_cell} |")
