#!/usr/bin/env bash
# Every learning rule on the real Fashion-MNIST with its own defaults (`credit rules`; the default network is
# fc 784-500-500-10), the same epochs and seed, then one table: test accuracy next to backprop's and the
# per-layer angle between each rule's update and the backprop gradient at the end of training. Rules whose
# defaults name another setting run it: the Align rules train the NTK-parameterised network their paper uses
# (fc-ntk, batch norm, MSE against onehot-0.1, lr 5; "bp-ntk" is backprop on that network), pepita its paper's
# 1x1024 network with momentum, np and wp nodepert's sigmoid/MSE setting, sdd Guerguiev's online 784-500-10
# sigmoid network (batch 1: by far the slowest run).
#
#   experiments/fmnist-rules.sh                 # 5 epochs, every rule at its defaults, into runs/fmnist-rules
#   EPOCHS=10 JOBS=2 OUT=/tmp/x experiments/fmnist-rules.sh
#   RULES="bp fa dfa" NTK=0 OUT=runs/fa experiments/fmnist-rules.sh
#   EXTRA="--lr 0.03 --hidden 500,500" OUT=runs/rules-lr003 experiments/fmnist-rules.sh   # one lr for all but Align
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${CREDIT_JAR:-target/credit.jar}
OUT=${OUT:-runs/fmnist-rules}
EPOCHS=${EPOCHS:-5}
JOBS=${JOBS:-1}
SEED=${SEED:-1}
EXTRA=${EXTRA:-}   # more train flags for every rule but the Align rules (empty: each rule's own defaults)
ALIGN_EXTRA=${ALIGN_EXTRA:-}  # more flags for the Align rules and bp-ntk
NTK=${NTK:-1}      # 0: skip the bp-ntk baseline
ALL="bp np wp pepita sdd fa dfa usf frsf brsf kp sa ia wm aa align-zero align-ada align-prop"
RULES=${RULES:-$ALL}
[ -f "$JAR" ] || mvn -B -q package -DskipTests

common=(--dataset fmnist --epochs "$EPOCHS" --seed "$SEED" --threads 1 --quiet)
{
  for r in $RULES; do
    case $r in align-*) echo "--rule $r $ALIGN_EXTRA --out $OUT/$r" ;; *) echo "--rule $r $EXTRA --out $OUT/$r" ;; esac
  done
  [ "$NTK" = 0 ] || echo "--rule bp --network fc-ntk --set init=normal --loss mse --set output_activation=linear --set target_offset=0.1 --lr 5 $ALIGN_EXTRA --out $OUT/bp-ntk"
} | xargs -P "$JOBS" -L 1 java -jar "$JAR" train "${common[@]}" || true   # a diverged run (exit 3) stays in the table

java -jar "$JAR" report --baseline "$OUT/bp" --plot "$OUT/accuracy.png" "$OUT"/* | tee "$OUT/table.md"
