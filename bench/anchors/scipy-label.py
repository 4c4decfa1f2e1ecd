"""Times scipy.ndimage.label on a whole volume for bench/ndimage-label.ts (one thread).

Usage: /usr/bin/python3 scipy-label.py VOLUME.bin SHAPE(comma separated) CONNECTIVITY REPEATS
Prints one JSON line: median wall seconds, median CPU seconds and the number of components.
"""
import json
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.ndimage as ndi

path, shape, connectivity, repeats = sys.argv[1], tuple(int(n) for n in sys.argv[2].split(",")), int(sys.argv[3]), int(sys.argv[4])
volume = np.fromfile(path, dtype=np.uint8).reshape(shape)
structure = ndi.generate_binary_structure(volume.ndim, connectivity)
walls, cpus, count = [], [], 0
for _ in range(repeats):
    wall, cpu = time.perf_counter(), time.process_time()
    labels, count = ndi.label(volume, structure)
    cpus.append(time.process_time() - cpu)
    walls.append(time.perf_counter() - wall)
    del labels
print(json.dumps({"scipy": scipy.__version__, "wall": statistics.median(walls), "cpu": statistics.median(cpus), "count": int(count)}))
