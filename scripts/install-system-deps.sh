#!/usr/bin/env bash
# Installs the Debian packages tessera's tests and benchmarks measure against or drive:
# the Python anchors (scipy, zarr, dask, distributed, h5py), a real SLURM (slurm-wlm + munge),
# Open MPI (mpirun, for MPIRunner), a real headless Chromium, and iproute2 for
# network-namespace tests. Grid Engine is installed by scripts/local-sge/start.sh, which
# must answer its debconf questions first.
# Idempotent: only missing packages are installed. Needs root (CI runs as root).
set -euo pipefail

packages=(python3-numpy python3-scipy python3-zarr python3-numcodecs python3-dask python3-distributed python3-h5py
          slurm-wlm munge openmpi-bin chromium iproute2 procps)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-system-deps: missing Debian packages ${missing[*]}; run this script as root to install them" >&2
  exit 1
fi
echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
