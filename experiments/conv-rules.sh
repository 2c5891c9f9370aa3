#!/usr/bin/env bash
# Every learning rule on convolutional networks, each with its own defaults, next to backprop on the same
# network (issue 10's comparison), then one table per part with test accuracy and the final angle of each
# layer's update to the backprop gradient:
#   lenet    LeNet-5 (BioTorch's benchmark) on the real Fashion-MNIST, 5 epochs: bp, the FA family, Kunin's
#            rules, np and wp (and bp with np's settings, sigmoid/MSE/standardised, as np's baseline), pepita
#   conv     nodepert's conv network on Fashion-MNIST, 2 epochs: bp, fa, dfa, usf, np (and bp with np's settings)
#   pepita   PEPITA's Net1conv1fcXL (pepita-conv) on MNIST (the bundled sample offline), 5 epochs, next to bp
#   ntk      Boopathy & Fiete's CNN (conv-ntk, width 64) with the Align rules and bp-ntk on 2,000 MNIST
#            images, 2 epochs (a smoke-sized run: the 7-layer net costs ~0.6 GFLOP per example and step)
#
#   experiments/conv-rules.sh                       # all parts into runs/conv-rules
#   PARTS="lenet" RULES="bp fa" experiments/conv-rules.sh
#   OUT=/tmp/x EPOCHS_LENET=1 experiments/conv-rules.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${CREDIT_JAR:-target/credit.jar}
OUT=${OUT:-runs/conv-rules}
PARTS=${PARTS:-"lenet conv pepita ntk"}
SEED=${SEED:-1}
JOBS=${JOBS:-1}
EPOCHS_LENET=${EPOCHS_LENET:-5}
EPOCHS_CONV=${EPOCHS_CONV:-2}
LENET_RULES=${RULES:-"bp fa dfa usf frsf brsf kp sa ia wm aa np wp pepita"}
CONV_RULES=${CONV_RULES:-"bp fa dfa usf np"}
NP_SETTINGS="--set output_activation=sigmoid --loss mse --set scaling=standardize --lr 0.01"
[ -f "$JAR" ] || mvn -B -q package -DskipTests

run_part() {   # name, then one line of train flags per run on stdin
  local part=$1
  mkdir -p "$OUT/$part"
  xargs -P "$JOBS" -L 1 java -jar "$JAR" train --seed "$SEED" --threads 1 --quiet || true
  java -jar "$JAR" report --baseline "$OUT/$part/bp" --plot "$OUT/$part/accuracy.png" "$OUT/$part"/* | tee "$OUT/$part/table.md"
}

for part in $PARTS; do
  case $part in
    lenet)
      { for r in $LENET_RULES; do echo "--rule $r --network lenet --dataset fmnist --epochs $EPOCHS_LENET --out $OUT/lenet/$r"; done
        echo "--rule bp --network lenet --dataset fmnist --epochs $EPOCHS_LENET $NP_SETTINGS --out $OUT/lenet/bp-np-settings"
      } | run_part lenet ;;
    conv)
      { for r in $CONV_RULES; do echo "--rule $r --network conv --dataset fmnist --epochs $EPOCHS_CONV --out $OUT/conv/$r"; done
        echo "--rule bp --network conv --dataset fmnist --epochs $EPOCHS_CONV $NP_SETTINGS --out $OUT/conv/bp-np-settings"
      } | run_part conv ;;
    pepita)
      { echo "--rule pepita --network pepita-conv --dataset mnist --epochs 5 --out $OUT/pepita/pepita"
        echo "--rule bp --network pepita-conv --dataset mnist --epochs 5 --set bias=false --out $OUT/pepita/bp"
      } | run_part pepita ;;
    ntk)
      { for r in align-zero align-ada align-prop; do
          echo "--rule $r --network conv-ntk --width 64 --dataset mnist --set train_subset=2000 --epochs 2 --out $OUT/ntk/$r"
        done
        echo "--rule bp --network conv-ntk --width 64 --dataset mnist --set train_subset=2000 --epochs 2 --set init=normal --loss mse --set output_activation=linear --set target_offset=0.1 --lr 5 --out $OUT/ntk/bp"
      } | run_part ntk ;;
    *) echo "unknown part $part" >&2; exit 2 ;;
  esac
done
