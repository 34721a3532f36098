#!/usr/bin/env bash
# Installs the benchmark peers from Debian (never runtime dependencies): PyTorch CPU for the two-tower
# comparison, with OpenBLAS so its matrix products do not run on the reference BLAS, and R Prophet
# for the forecasting comparison. Idempotent; run as root.
set -euo pipefail
need=()
for pkg in python3-torch libopenblas0-pthread r-cran-prophet; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
/usr/bin/python3 -c 'import torch; print("python3-torch", torch.__version__)'
