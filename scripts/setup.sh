#!/usr/bin/env bash
# Installs what credit's tests and examples need from Debian's packages, once:
#   - dataset-fashion-mnist: the real Fashion-MNIST (60k/10k IDX files) in /usr/share/datasets/fashion-mnist
#   - slurm-wlm, munge: a real single-node Slurm for the sweep integration test (scripts/slurm-local.sh starts it)
# With --peers, also what experiments/bench-peers.sh compares against (not needed by the tests):
#   - python3-numpy, python3-torch, and libopenblas0-pthread (without it Debian's NumPy and PyTorch link the
#     reference BLAS and run about 20x slower)
# Java 17 and Maven are expected on the machine already. Safe to run repeatedly.
set -euo pipefail

packages=(dataset-fashion-mnist slurm-wlm munge)
case "${1:-}" in
  "") ;;
  --peers) packages+=(python3-numpy python3-torch libopenblas0-pthread) ;;
  *) echo "setup: unknown option '$1' (expected nothing or --peers)" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present (${packages[*]})"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 2
  fi
fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
echo "setup: done"
