"""Times NumPy's (LAPACK's) svd, eigh, eigvalsh and qr for bench/linalg-eager.ts on one thread.

Usage: /usr/bin/python3 numpy-linalg.py CASES REPEATS   CASES: op:rows:cols,... (op: svd, svd-values, eigh, eigvalsh, qr)
Prints one JSON line: the median wall seconds of each case, keyed as given. eigh's matrices are a + aᵀ.
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

operations = {
    "svd": lambda a: np.linalg.svd(a, full_matrices=False),
    "svd-values": lambda a: np.linalg.svd(a, compute_uv=False),
    "eigh": np.linalg.eigh,
    "eigvalsh": np.linalg.eigvalsh,
    "qr": np.linalg.qr,
}
cases, repeats = sys.argv[1].split(","), int(sys.argv[2])
rng = np.random.default_rng(1)
out = {}
for case in cases:
    op, rows, cols = case.split(":")
    a = rng.random((int(rows), int(cols)))
    if op.startswith("eig"):
        a = a + a.T
    walls = []
    for _ in range(repeats):
        start = time.perf_counter()
        operations[op](a)
        walls.append(time.perf_counter() - start)
    out[case] = statistics.median(walls)
print(json.dumps(out))
