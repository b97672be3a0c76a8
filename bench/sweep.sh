#!/usr/bin/env bash
# One-session sweep: PyTorch reference in both layouts, then DL4J as shipped, then one setting changed at a time.
# Prints JSON lines (each DL4J line names its configuration). Usage: bench/sweep.sh [seconds] > out.jsonl
# Optional: KONOMI_VARIANTS="/path/a/launcher/konomi /path/b/launcher/konomi", copies of the launcher whose
# lib/ holds another nd4j-native build (e.g. the -onednn or -onednn-avx512 jar instead of -onednn-avx2; see
# bench/RESULTS.md); each runs as shipped and its lines name the native build.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-8}"
konomi="$here/launcher/konomi"
run() { "$@" --seconds "$secs" | grep --line-buffered '^{' ; }
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  (cd "$here/../shared/bench" && /usr/bin/python3 torch_ref.py --threads 2 --seconds "$secs" \
    && /usr/bin/python3 torch_ref.py --threads 2 --seconds "$secs" --channels-last)
else
  echo '{"error": "no PyTorch: apt-get install python3-torch"}'
fi
run "$konomi" bench:nets
run "$konomi" bench:nets --relu layer
run "$konomi" bench:nets --relu fused
run "$konomi" bench:nets --input-grad computed --modes train
GLIBC_TUNABLES=glibc.malloc.hugetlb=0 run "$konomi" bench:nets   # 4 KiB pages for native memory
run "$konomi" bench:nets --layout nchw
run "$konomi" bench:nets --cache none
run "$konomi" bench:nets --workspace none
run "$konomi" bench:nets --dtype half --nets seed004_idol40 --modes infer   # fp16 has no fast path: minutes per net
run "$konomi" bench:nets --nets konomi_face96
run "$konomi" bench:nets --nets konomi_face96 --layout nchw
OMP_NUM_THREADS=1 run "$konomi" bench:nets
for variant in ${KONOMI_VARIANTS:-}; do
  run "$variant" bench:nets
done
exit 0
