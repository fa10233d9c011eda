#!/usr/bin/env bash
# grad4j against PyTorch, side by side, one after the other on this machine: the JMH benchmarks MlpTrainingStep,
# OpOverhead and Gemm, and their twins in pytorch/bench_torch.py at PyTorch's best settings (OpenBLAS's AVX-512
# kernels, glibc malloc thresholds raised; on 2 cores both of its thread mixes, the faster one per case), then the table of medians, means and ratios.
#
#   benchmarks/compare.sh            # full run: 1 core (both pinned with taskset -c 1), then 2 cores (MLP step)
#                                    # (steady state: the MLP step warms up for 45 s per case, see its @Warmup)
#   benchmarks/compare.sh --quick    # shorter warm-up and measurement, for a first look
#
# Environment: JAVA (default: the Temurin 25 under /usr/lib/jvm, else `java` on the PATH), PYTHON (/usr/bin/python3),
# OPENBLAS_DIR (/usr/lib/x86_64-linux-gnu/openblas-pthread), CORE (the core of the 1-core runs, 1),
# CASES (a JMH regex, default all three benchmarks), OUT (results directory, benchmarks/target/compare).
# Run it on an idle machine: the script prints how busy the CPUs were before it started.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=false
[[ "${1:-}" == "--quick" ]] && QUICK=true
if $QUICK; then
    JMH_RUN=(-f 1 -wi 3 -w 1 -i 3 -r 1); TORCH_SECONDS=1.5
else
    # warm-up from each benchmark's @Warmup: the MLP step's is 45 s, until the JIT has compiled its per-step code
    JMH_RUN=(-f 1 -i 5 -r 2); TORCH_SECONDS=6
fi
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25*/bin/java 2>/dev/null | head -1 || true)}
JAVA=${JAVA:-java}
PYTHON=${PYTHON:-/usr/bin/python3}
OPENBLAS_DIR=${OPENBLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-pthread}
CORE=${CORE:-1}
CASES=${CASES:-MlpTrainingStepBenchmark|OpOverheadBenchmark|GemmBenchmark}
OUT=${OUT:-benchmarks/target/compare}
mkdir -p "$OUT"

busy() {   # percentage of CPU time not idle over 2 s, from /proc/stat
    read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ < /proc/stat; sleep 2
    read -r _ u2 n2 s2 i2 w2 q2 sq2 st2 _ < /proc/stat
    local total=$(( (u2+n2+s2+i2+w2+q2+sq2+st2) - (u1+n1+s1+i1+w1+q1+sq1+st1) ))
    echo $(( 100 * (total - (i2 - i1) - (w2 - w1)) / total ))
}
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); busy before the run: $(busy)%"

echo "building (mvn compile, classpath)..."
mvn -B -q compile dependency:build-classpath -Dmdep.outputFile="$PWD/benchmarks/target/classpath.txt" -pl benchmarks -am
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"

jmh() {   # $1: label, $2: GEMM threads, $3: regex, rest: launcher prefix (taskset ...)
    local label=$1 threads=$2 regex=$3; shift 3
    echo "grad4j $label: $regex"
    "$@" "$JAVA" --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main "$regex" "${JMH_RUN[@]}" \
        -jvmArgsAppend "--add-modules jdk.incubator.vector -Dgrad4j.gemm.threads=$threads" \
        -rf json -rff "$OUT/grad4j-$label.json" > "$OUT/grad4j-$label.log" 2>&1 \
        || { tail -30 "$OUT/grad4j-$label.log"; exit 1; }
}
torch() {   # $1: label, $2: torch threads, $3: OpenBLAS threads, rest: bench_torch.py arguments before the prefix "--"
    local label=$1 threads=$2 blas=$3; shift 3
    local pyargs=(); while [[ $# -gt 0 && "$1" != "--" ]]; do pyargs+=("$1"); shift; done; shift
    echo "PyTorch $label ($threads torch threads, $blas OpenBLAS threads)"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH="$OPENBLAS_DIR" OPENBLAS_NUM_THREADS="$blas" \
        MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 \
        "$@" "$PYTHON" benchmarks/pytorch/bench_torch.py --torch-threads "$threads" --seconds "$TORCH_SECONDS" "${pyargs[@]}" \
        > "$OUT/torch-$label.tsv" 2> "$OUT/torch-$label.log" || { cat "$OUT/torch-$label.log"; exit 1; }
}

jmh 1core 1 "$CASES" taskset -c "$CORE"
read -r -a TORCH_CASES <<< "${CASES//|/ }"   # the JMH regex's alternatives as bench_torch.py's name filters
torch 1core 1 1 --only "${TORCH_CASES[@]}" -- taskset -c "$CORE"
jmh 2cores 2 "MlpTrainingStepBenchmark"
# PyTorch's two 2-core mixes; the table takes the faster one per case (issue 12 compares with PyTorch's best)
torch 2cores 1 2 --only MlpTrainingStep --
torch 2cores+torch2-blas1 2 1 --only MlpTrainingStep --
echo "busy after the run: $(busy)%"
"$PYTHON" benchmarks/compare_table.py "$OUT"
