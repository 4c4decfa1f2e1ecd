"""Times NumPy's matmul for bench/matmul.ts on one thread (tessera's kernel is single-threaded).

Usage: /usr/bin/python3 numpy-matmul.py CASES REPEATS   CASES: dtype:n,dtype:n,... (square n×n operands)
Prints one JSON line: the median wall seconds of each case, keyed "dtype:n".
"""
import os

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import openblas_core  # noqa: E402,F401  (OpenBLAS's AVX-512 kernels where it does not recognise the CPU)

import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

cases, repeats = sys.argv[1].split(","), int(sys.argv[2])
rng = np.random.default_rng(1)
out = {}
for case in cases:
    dtype, n = case.split(":")
    a = (rng.random((int(n), int(n))) * 100).astype(dtype)
    b = (rng.random((int(n), int(n))) * 100).astype(dtype)
    walls = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.matmul(a, b)
        walls.append(time.perf_counter() - start)
    out[case] = statistics.median(walls)
print(json.dumps(out))
