"""Whole-volume DoG with scipy on one thread, reading a raw little-endian uint16 dump of the
volume (for machines with numpy and scipy but no zarr-python: bench/dog-scaling.ts). Same
filters, timing and output as scipy-dog.py: CPU time of the filters and the subtraction, best
of two (or of REPEATS).
usage: scipy-dog-raw.py VOLUME.u16 Z Y X [REPEATS]; prints JSON {seconds}"""
import json
import sys
import time

import numpy as np
import scipy.ndimage as ndi

shape = tuple(int(n) for n in sys.argv[2:5])
volume = np.fromfile(sys.argv[1], dtype="<u2").reshape(shape)
best = float("inf")
for _ in range(int(sys.argv[5]) if len(sys.argv) > 5 else 2):
    started = time.process_time()
    ndi.gaussian_filter(volume, sigma=3, order=0, mode="nearest") - ndi.gaussian_filter(volume, sigma=10, order=0, mode="nearest")
    best = min(best, time.process_time() - started)
print(json.dumps({"seconds": best}))
