"""Times scipy.ndimage.gaussian_filter for bench/kernel.ts (Debian's scipy, one thread).

Usage: /usr/bin/python3 scipy-gaussian.py '[{"shape": [144,144,144], "dtype": "float32", "sigma": 3, "repeats": 5}, ...]'
Prints one JSON list: for each configuration the best CPU time (time.process_time) in seconds.
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.ndimage as ndi

configs = json.loads(sys.argv[1])
rng = np.random.default_rng(0)
results = []
for config in configs:
    shape = tuple(config["shape"])
    if config["dtype"] == "uint16":
        x = rng.integers(0, 65536, shape, dtype=np.uint16)
    else:
        x = (rng.random(shape, dtype=np.float32) * 1000).astype(config["dtype"])
    best = float("inf")
    for _ in range(config["repeats"]):
        start = time.process_time()
        ndi.gaussian_filter(x, config["sigma"], mode="nearest")
        best = min(best, time.process_time() - start)
    results.append(best)
    del x
print(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__, "seconds": results}))
