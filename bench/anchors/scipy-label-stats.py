"""Times scipy.ndimage's per-label measurements on a whole volume for bench/ndimage-label-stats.ts.

Usage: /usr/bin/python3 scipy-label-stats.py VALUES.bin LABELS.bin SHAPE(comma separated) LABELS REPEATS
VALUES.bin is float32, LABELS.bin int32; the index is 1…LABELS. Prints one JSON line: the median
wall seconds of each measurement.
"""
import json
import statistics
import sys
import time

import numpy as np
import scipy.ndimage as ndi

values_path, labels_path, shape, count, repeats = sys.argv[1], sys.argv[2], tuple(int(n) for n in sys.argv[3].split(",")), int(sys.argv[4]), int(sys.argv[5])
values = np.fromfile(values_path, dtype=np.float32).reshape(shape)
labels = np.fromfile(labels_path, dtype=np.int32).reshape(shape)
index = np.arange(1, count + 1)
calls = {
    "mean": lambda: ndi.mean(values, labels, index),
    "variance": lambda: ndi.variance(values, labels, index),
    "minimumPosition": lambda: ndi.minimum_position(values, labels, index),
    "median": lambda: ndi.median(values, labels, index),
    "histogram": lambda: ndi.histogram(values, 0, 1, 16, labels, index),
}
out = {}
for name, call in calls.items():
    walls = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        walls.append(time.perf_counter() - start)
    out[name] = statistics.median(walls)
print(json.dumps(out))
