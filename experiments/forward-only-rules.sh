#!/usr/bin/env bash
# Node perturbation and PEPITA next to backprop on the same network, data and epochs:
#   np-fmnist / bp-np-fmnist         nodepert's defaults (configs/np-mnist.json) on Fashion-MNIST
#   wp-fmnist                        weight perturbation, np's control, on the same settings at its own lr 0.003
#   pepita-fmnist / bp-pepita-fmnist  PEPITA's paper setting (configs/pepita-mnist.json) at lr 0.01 on Fashion-MNIST
#                                    (lr 0.1 is unstable there, in the reference code too)
#   pepita-mnist / bp-pepita-mnist    PEPITA's paper MNIST setting (lr 0.1) on MNIST (the bundled sample
#                                    when full MNIST is absent)
# bp runs use the same config file with --rule bp (biases off and momentum for the PEPITA pair).
#
#   experiments/forward-only-rules.sh            # 10 epochs, 2 runs at a time, into runs/forward-only
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${CREDIT_JAR:-target/credit.jar}
OUT=${OUT:-runs/forward-only}
EPOCHS=${EPOCHS:-10}
JOBS=${JOBS:-2}
[ -f "$JAR" ] || mvn -B -q package -DskipTests

common=(--epochs "$EPOCHS" --threads 1 --quiet)
cat <<EOR | xargs -P "$JOBS" -L 1 java -jar "$JAR" train "${common[@]}"
--config configs/np-mnist.json --dataset fmnist --out $OUT/np-fmnist
--config configs/np-mnist.json --dataset fmnist --rule bp --out $OUT/bp-np-fmnist
--config configs/np-mnist.json --dataset fmnist --rule wp --lr 0.003 --out $OUT/wp-fmnist
--config configs/pepita-mnist.json --dataset fmnist --lr 0.01 --out $OUT/pepita-fmnist
--config configs/pepita-mnist.json --dataset fmnist --lr 0.01 --rule bp --out $OUT/bp-pepita-fmnist
--config configs/pepita-mnist.json --dataset mnist --out $OUT/pepita-mnist
--config configs/pepita-mnist.json --dataset mnist --rule bp --out $OUT/bp-pepita-mnist
EOR

java -jar "$JAR" report --plot "$OUT/accuracy.png" "$OUT"/* | tee "$OUT/table.md"
