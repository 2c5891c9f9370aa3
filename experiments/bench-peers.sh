#!/usr/bin/env bash
# credit's training step next to NumPy's and PyTorch's on the same networks, batches and thread counts, in
# alternating rounds on this machine, then one table of throughputs and ratios (issue 13's and issue 10's speed
# bars). A benchmark, not a test: CI does not run it. Each round runs, for every (network, batch), one
# `credit bench` process (all thread counts, the rules, the gemm-only row, DL4J unless --no-dl4j), then the
# NumPy step (fc networks only) and the PyTorch step at each thread count (experiments/peer_step.py), so
# that a slow spell of the shared machine hits every system alike. Rates are medians of timed blocks; the
# table gives the median over rounds and writes every raw result under --out.
#
#   experiments/bench-peers.sh                                   # fc 1024 and fc 500,500, batch 64 and 100
#   experiments/bench-peers.sh --nets "lenet conv" --batches 100 --input-conv 3x32x32 --rules bp
#   experiments/bench-peers.sh --nets fc:4096,4096 --batches 1000 --rules bp --rounds 2
#
# Options (defaults in brackets):
#   --nets "N ..."      fc:W1,W2 or a credit network name [fc:1024 fc:500,500]
#   --batches "B ..."   batch sizes [64 100]
#   --threads "T ..."   thread counts [1 2]
#   --rules R,R         credit rules to time (bp first) [bp,np,fa,pepita]
#   --rounds N          alternating rounds [3]
#   --warmup/--repeats/--steps   per timed run, for every system [1000 / 7 / 20]
#   --warmup-seconds S  cut each warm-up short after S seconds, for every system [15]
#   --no-dl4j           skip DL4J's reference network inside credit bench
#   --jar FILE          the credit jar [target/credit.jar]
#   --out DIR           raw results and the table [runs/bench-peers/<date-time>]
# Needs Debian's python3-numpy, python3-torch and libopenblas0-pthread: `bash scripts/setup.sh --peers`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
nets="fc:1024 fc:500,500"; batches="64 100"; threads="1 2"; rules="bp,np,fa,pepita"; rounds=3
warmup=1000; warmup_seconds=15; repeats=7; steps=20; dl4j=1; jar="target/credit.jar"; out=""; input_fc="1x28x28"; input_conv="1x28x28"
die() { echo "bench-peers: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --nets) nets="$2"; shift 2 ;;
    --batches) batches="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --rules) rules="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --warmup-seconds) warmup_seconds="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --input-conv) input_conv="$2"; shift 2 ;;
    --no-dl4j) dl4j=0; shift ;;
    --jar) jar="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[ -f "$jar" ] || die "no credit jar at $jar (build it with: mvn -B -q package -DskipTests)"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive whole number, got '$rounds'"
py=/usr/bin/python3
[ -x "$py" ] || py="$(command -v python3 || true)"
[ -n "$py" ] || die "python3 not found (bash scripts/setup.sh --peers)"
"$py" -c "import numpy, torch" 2>/dev/null || die "NumPy or PyTorch missing: bash scripts/setup.sh --peers"
# the BLAS NumPy actually loaded (Debian picks it by alternatives): the reference BLAS is ~20x slower
blas="$("$py" -c "import numpy; print(' '.join(sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l})))")"
[[ "$blas" == *openblas-pthread* ]] || echo "bench-peers: warning: NumPy loaded '$blas', not the pthreads OpenBLAS (bash scripts/setup.sh --peers)" >&2
out="${out:-runs/bench-peers/$(date -u +%Y%m%d-%H%M%S)}"
[ -e "$out" ] && die "$out already exists (choose another --out)"
mkdir -p "$out"
# a private copy of the jar: a rebuild in the work tree during the benchmark must not change what is timed
cp "$jar" "$out/credit.jar"
threads_csv="$(echo $threads | tr ' ' ',')"
dl4j_flag=(); [ "$dl4j" = 1 ] || dl4j_flag=(--no-dl4j)
{
  echo "date: $(date -u +%FT%TZ)"; echo "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  # a VM's model name can be as bare as "Intel(R) Xeon(R) Processor", and oneDNN and OpenBLAS pick their kernels by
  # instruction set, so the flags that decide them are recorded next to it (every table differs between CPUs)
  echo "cpu: vendor $(grep -m1 'vendor_id' /proc/cpuinfo | cut -d: -f2 | xargs), family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs) model $(grep -m1 '^model[[:space:]]' /proc/cpuinfo | cut -d: -f2 | xargs), $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E -x 'avx2|fma|avx512f|avx512_bf16|avx512_fp16|amx_tile' | xargs), L2 $(lscpu 2>/dev/null | grep -m1 'L2 cache' | cut -d: -f2 | xargs)"
  echo "credit: $(cd "$here/.." && git rev-parse --short HEAD 2>/dev/null || echo unknown) ($jar)"
  echo "peers: $("$py" -c 'import numpy, torch; print("numpy", numpy.__version__, "/ torch", torch.__version__)')"
  echo "numpy's BLAS: $blas"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "settings: nets=[$nets] batches=[$batches] threads=[$threads] rules=$rules rounds=$rounds warmup=$warmup (at most ${warmup_seconds} s) repeats=$repeats steps=$steps"
} > "$out/about.txt"
cat "$out/about.txt"
for r in $(seq 1 "$rounds"); do
  for net in $nets; do
    for b in $batches; do
      tag="$(echo "$net" | tr ':,' '__')-b$b-r$r"
      if [[ "$net" == fc:* ]]; then netargs=(--hidden "${net#fc:}" --input "$input_fc"); input="$input_fc"
      else netargs=(--network "$net" --input "$input_conv"); input="$input_conv"; fi
      echo "round $r/$rounds: $net batch $b (load $(cut -d' ' -f1 /proc/loadavg))"
      java -jar "$out/credit.jar" bench "${netargs[@]}" --batch-size "$b" --rules "$rules" --threads "$threads_csv" \
        --warmup "$warmup" --warmup-seconds "$warmup_seconds" --repeats "$repeats" --steps "$steps" "${dl4j_flag[@]}" --json "$out/credit-$tag.json" \
        > "$out/credit-$tag.txt"
      for t in $threads; do
        for peer in numpy pytorch; do
          [[ "$peer" == numpy && "$net" != fc:* ]] && continue
          "$py" "$here/peer_step.py" --peer "$peer" --network "$net" --input "$input" --batch "$b" --threads "$t" \
            --warmup "$warmup" --warmup-seconds "$warmup_seconds" --repeats "$repeats" --steps "$steps" >> "$out/peers-r$r.jsonl"
        done
      done
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/about.txt"
"$py" "$here/peers_table.py" "$out" | tee "$out/table.md"
