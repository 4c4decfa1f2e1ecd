"""Times NumPy 1.24's pocketfft for bench/fft-eager.ts (one thread: pocketfft never threads).

Usage: /usr/bin/python3 numpy-fft.py CASES REPEATS   CASES: op:d0xd1x...,... (op: fft, rfft, fftn, rfftn, irfftn)
Prints one JSON line: the median wall seconds of each case, keyed as given. Inputs are float64
uniform [0, 1) (fft / fftn of the same real data as complex128; irfftn of rfftn's output).
"""
import json
import statistics
import sys
import time

import numpy as np

cases, repeats = sys.argv[1].split(","), int(sys.argv[2])
rng = np.random.default_rng(1)
out = {}
for case in cases:
    op, dims = case.split(":")
    shape = tuple(int(n) for n in dims.split("x"))
    a = rng.random(shape)
    if op in ("fft", "fftn"):
        a = a.astype(np.complex128)
    if op == "irfftn":
        a = np.fft.rfftn(a)
    run = {
        "fft": lambda: np.fft.fft(a),
        "rfft": lambda: np.fft.rfft(a),
        "fftn": lambda: np.fft.fftn(a),
        "rfftn": lambda: np.fft.rfftn(a),
        "irfftn": lambda: np.fft.irfftn(a, s=shape),
    }[op]
    run()
    walls = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        walls.append(time.perf_counter() - start)
    out[case] = statistics.median(walls)
print(json.dumps(out))
