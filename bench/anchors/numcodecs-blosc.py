"""The anchor of bench/zarr-codec.ts: numcodecs' Blosc (c-blosc 1.21) on one thread.

Usage: numcodecs-blosc.py DIR REPEATS
DIR/cases.json lists cases {name, typesize}; DIR/<name>.data holds the raw bytes and
DIR/<name>.frame tessera's frame of them (c-blosc decodes that one, so both decode the same
bytes). Prints JSON: <name>.decode and <name>.encode, median milliseconds, and <name>.bytes, the
size of c-blosc's own frame.
"""
import json
import os
import sys
import time

import numpy as np
from numcodecs import blosc

directory, repeats = sys.argv[1], int(sys.argv[2])
blosc.set_nthreads(1)
with open(os.path.join(directory, "cases.json")) as f:
    cases = json.load(f)


def median_ms(run):
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times))


report = {}
for case in cases:
    base = os.path.join(directory, case["name"])
    data = np.fromfile(base + ".data", dtype="u%d" % case["typesize"])
    with open(base + ".frame", "rb") as f:
        frame = f.read()
    assert blosc.decompress(frame) == data.tobytes()
    report[case["name"] + ".decode"] = median_ms(lambda: blosc.decompress(frame))
    report[case["name"] + ".encode"] = median_ms(lambda: blosc.compress(data, b"lz4", 5, blosc.SHUFFLE, 0))
    report[case["name"] + ".bytes"] = len(blosc.compress(data, b"lz4", 5, blosc.SHUFFLE, 0))
print(json.dumps(report))
