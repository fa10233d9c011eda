#!/usr/bin/env bash
# For a loaded machine, where wall-clock times are noise: median thread CPU time per call of the MLP step and the
# per-op cases, grad4j (the benchmarks' main methods) and PyTorch (bench_torch.py --clock cpu) one after the other,
# both pinned to one core with one GEMM / BLAS thread. Compare ratios within one run of this script.
#   benchmarks/cpu_times.sh
# Environment: JAVA, PYTHON, OPENBLAS_DIR, CORE as for compare.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25*/bin/java 2>/dev/null | head -1 || true)}
JAVA=${JAVA:-java}
PYTHON=${PYTHON:-/usr/bin/python3}
OPENBLAS_DIR=${OPENBLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-pthread}
CORE=${CORE:-1}
mvn -B -q compile dependency:build-classpath -Dmdep.outputFile="$PWD/benchmarks/target/classpath.txt" -pl benchmarks -am
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
echo "grad4j (thread CPU time per call)"
for main in OpOverheadBenchmark MlpTrainingStepBenchmark; do
    taskset -c "$CORE" "$JAVA" --add-modules jdk.incubator.vector -Dgrad4j.gemm.threads=1 -cp "$CP" \
        "org.grad4j.benchmarks.$main" 2>&1 | grep -v "WARNING: Using incubator modules"
done
echo "PyTorch (thread CPU time per call, us: median, mean, samples)"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH="$OPENBLAS_DIR" OPENBLAS_NUM_THREADS=1 \
    MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 \
    taskset -c "$CORE" "$PYTHON" benchmarks/pytorch/bench_torch.py --torch-threads 1 --seconds 3 --clock cpu \
    --only MlpTrainingStep OpOverhead
