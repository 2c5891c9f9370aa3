#!/usr/bin/env bash
# Every learning rule on the real Fashion-MNIST with the same fully connected network (784-500-500-10),
# epochs and seed, then one table: test accuracy next to backprop's and the per-layer angle between each
# rule's update and the backprop gradient at the end of training. The Align rules train the NTK-
# parameterised network their paper uses (fc-ntk: N(0,1) weights scaled by 1/sqrt(fan-in), batch norm,
# MSE against onehot-0.1, lr 5), so backprop is run on that network too ("bp-ntk").
#
#   experiments/fmnist-rules.sh                 # 5 epochs, 2 runs at a time, into runs/fmnist-rules
#   EPOCHS=10 JOBS=1 OUT=/tmp/x experiments/fmnist-rules.sh
#   EXTRA="--lr 0.03" OUT=runs/rules-lr003 experiments/fmnist-rules.sh   # the README's table
#   RULES="bp fa dfa" EXTRA="--lr 0.03" NTK=0 OUT=runs/fa-lr003 experiments/fmnist-rules.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${CREDIT_JAR:-target/credit.jar}
OUT=${OUT:-runs/fmnist-rules}
EPOCHS=${EPOCHS:-5}
JOBS=${JOBS:-2}
SEED=${SEED:-1}
EXTRA=${EXTRA:-}   # more train flags for every run on the standard network, e.g. "--lr 0.03"
ALIGN_EXTRA=${ALIGN_EXTRA:-}  # more flags for the Align rules and bp-ntk (they keep their own lr 5 otherwise)
NTK=${NTK:-1}      # 0: skip the bp-ntk baseline
RULES=${RULES:-"bp fa dfa usf frsf brsf kp sa ia wm aa align-zero align-ada align-prop"}
[ -f "$JAR" ] || mvn -B -q package -DskipTests

common=(--dataset fmnist --hidden 500,500 --epochs "$EPOCHS" --seed "$SEED" --threads 1 --quiet)
{
  for r in $RULES; do
    case $r in align-*) echo "--rule $r $ALIGN_EXTRA --out $OUT/$r" ;; *) echo "--rule $r $EXTRA --out $OUT/$r" ;; esac
  done
  [ "$NTK" = 0 ] || echo "--rule bp --network fc-ntk --set init=normal --loss mse --set output_activation=linear --set target_offset=0.1 --lr 5 $ALIGN_EXTRA --out $OUT/bp-ntk"
} | xargs -P "$JOBS" -L 1 java -jar "$JAR" train "${common[@]}"

java -jar "$JAR" report --baseline "$OUT/bp" --plot "$OUT/accuracy.png" "$OUT"/* | tee "$OUT/table.md"
