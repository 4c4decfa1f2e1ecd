"""Whole-volume DoG with scipy on one thread (no chunks, no halos): the floor tessera is
compared against (divided by the cores). CPU time of the filters and the subtraction, best
of two (process time: what the machine's other load does not inflate much).
usage: scipy-dog.py INPUT.zarr COMPONENT; prints JSON {seconds}"""
import json
import sys
import time

import numpy as np
import scipy.ndimage as ndi
import zarr

volume = np.squeeze(zarr.open(sys.argv[1], mode="r")[sys.argv[2]][...])
best = float("inf")
for _ in range(2):
    started = time.process_time()
    ndi.gaussian_filter(volume, sigma=3, order=0, mode="nearest") - ndi.gaussian_filter(volume, sigma=10, order=0, mode="nearest")
    best = min(best, time.process_time() - started)
print(json.dumps({"seconds": best}))
