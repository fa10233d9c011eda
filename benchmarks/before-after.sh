#!/usr/bin/env bash
# One JMH benchmark, the same compiled class, against an older core and against this one, by turns (before, after,
# before, after...), pinned to one core; then each case's median score over the rounds and after / before.
#
#   benchmarks/before-after.sh [BASE]
#   BENCHMARK=GemmBenchmark PARAMS="-p size=256" benchmarks/before-after.sh
#
# BASE defaults to bd5be24, the last commit before issue #6 replaced the Vector API's EXP, LOG... by grad4j's own
# kernels (and sent pow, which ran Math.pow element by element, and erf, a scalar series, to SIMD lanes). The default
# benchmark is UnaryOpBenchmark's Tensor-API methods (exp, expm1, log, log1p, tanh, sigmoid, sin, cos, erf, pow by 1.5
# and by a tensor, sum, softmax of rows; not the Vector API's own loops, api*) at 65,536 elements. It and
# GemmBenchmark call only what the core has offered since then (Tensor.randn(long, int...), to, abs, add(double),
# mul(double), t, matmul and the functions), so they link against either core; a benchmark that calls newer API fails
# on the old core with NoSuchMethodError.
# Environment: JAVA and CORE as for compare.sh; BENCHMARK (UnaryOpBenchmark); CASES (a regex over its method names;
# default: UnaryOpBenchmark's above, any other benchmark's every method); PARAMS (JMH -p options; UnaryOpBenchmark's
# default "-p size=65536"); ROUNDS (rounds of before + after, 2); JMH (JMH's run options, "-f 1 -wi 3 -w 1 -i 5 -r 1");
# OUT (results directory, benchmarks/target/before-after). Run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=${1:-bd5be24}
git rev-parse --verify --quiet "$BASE^{commit}" >/dev/null \
    || { echo "before-after.sh: $BASE is not a commit of this repository (give a hash, tag or branch)" >&2; exit 2; }
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25*/bin/java 2>/dev/null | head -1 || true)}
JAVA=${JAVA:-java}
CORE=${CORE:-1}
ROUNDS=${ROUNDS:-2}
BENCHMARK=${BENCHMARK:-UnaryOpBenchmark}
if [[ $BENCHMARK == UnaryOpBenchmark ]]; then
    CASES=${CASES:-exp|expm1|log|log1p|tanh|sigmoid|sin|cos|erf|powHalf|powTensor|sum|softmaxRows}
    PARAMS=${PARAMS--p size=65536}
else
    CASES=${CASES:-[A-Za-z0-9_]+}
    PARAMS=${PARAMS:-}
fi
read -r -a JMH_RUN <<< "${JMH:--f 1 -wi 3 -w 1 -i 5 -r 1} $PARAMS"
OUT=${OUT:-benchmarks/target/before-after}
mkdir -p "$OUT"
rm -f "$OUT"/*.json

BEFORE_TREE=$(mktemp -d)
trap 'git worktree remove --force "$BEFORE_TREE" >/dev/null 2>&1 || rm -rf "$BEFORE_TREE"' EXIT
echo "building the core of $BASE ($(git log -1 --format='%h %ad %s' --date=short "$BASE" | cut -c1-90))..."
git worktree add --detach "$BEFORE_TREE" "$BASE" >/dev/null
(cd "$BEFORE_TREE" && mvn -B -q compile -pl core)

echo "building this tree (mvn compile, classpath)..."
mvn -B -q compile dependency:build-classpath -Dmdep.outputFile="$PWD/benchmarks/target/classpath.txt" -pl benchmarks -am
AFTER_CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
# The core on the classpath is the reactor's core/target/classes (or, built alone, the installed jar): swap it.
BEFORE_CP=$(tr ':' '\n' <<< "$AFTER_CP" | sed -E "s#^.*(/core/target/classes|grad4j-core-[^/]*\.jar)\$#$BEFORE_TREE/core/target/classes#" | paste -sd:)
[[ "$BEFORE_CP" == *"$BEFORE_TREE/core/target/classes"* ]] || { echo "no core on the classpath: $AFTER_CP" >&2; exit 1; }

for round in $(seq "$ROUNDS"); do
    for side in before after; do
        cp=$AFTER_CP; [[ $side == before ]] && cp=$BEFORE_CP
        echo "round $round, $side: $(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1 /proc/loadavg)"
        taskset -c "$CORE" "$JAVA" --add-modules jdk.incubator.vector -cp "$cp" org.openjdk.jmh.Main \
            "$BENCHMARK\.($CASES)\$" "${JMH_RUN[@]}" \
            -jvmArgsAppend "--add-modules jdk.incubator.vector" \
            -rf json -rff "$OUT/$side-$round.json" > "$OUT/$side-$round.log" 2>&1 \
            || { tail -30 "$OUT/$side-$round.log"; exit 1; }
    done
done

python3 - "$OUT" "$BASE" "$BENCHMARK" <<'EOF'
import glob, json, statistics, sys
out, base, benchmark = sys.argv[1:]
scores, units = {}, {}
for side in ("before", "after"):
    for path in sorted(glob.glob(f"{out}/{side}-*.json")):
        for run in json.load(open(path)):
            params = " ".join(f"{k}={v}" for k, v in sorted(run.get("params", {}).items()))
            key = (run["benchmark"].rsplit(".", 1)[1], params)
            scores.setdefault(key, {}).setdefault(side, []).append(run["primaryMetric"]["score"])
            units[key] = run["primaryMetric"]["scoreUnit"]
print(f"\n{benchmark}: median score of the rounds, before ({base}) and after (this tree)")
print(f"{'method':<20} {'params':<28} {'before':>11} {'after':>11} {'unit':<7} {'after/before':>12}")
for (method, params), s in sorted(scores.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    if "before" in s and "after" in s:
        b, a = statistics.median(s["before"]), statistics.median(s["after"])
        print(f"{method:<20} {params:<28} {b:>11.2f} {a:>11.2f} {units[(method, params)]:<7} {a / b:>12.3f}")
EOF
