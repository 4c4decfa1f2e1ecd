"""Times scipy.ndimage zoom / affine_transform for bench/ndimage-interpolation.ts, one call per request.

Usage: /usr/bin/python3 scipy-interpolation.py '[{"fn": "zoom", "dtype": "float32", "shape": [128,128,128], "options": {...}}, ...]'
Builds each configuration's input once, prints {"ready": true, "scipy": version}, then for every
line "i" on stdin runs configuration i once and prints {"seconds": CPU seconds (time.process_time)}.
Requests come interleaved with tessera's runs, so both see the same load on a shared machine.
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.ndimage as ndi

configs = json.loads(sys.argv[1])
rng = np.random.default_rng(0)
inputs = {}
for config in configs:
    key = (config["dtype"], tuple(config["shape"]))
    if key not in inputs:
        if config["dtype"] == "uint16":
            inputs[key] = rng.integers(0, 65536, key[1], dtype=np.uint16)
        else:
            inputs[key] = (rng.random(key[1], dtype=np.float32) * 1000).astype(config["dtype"])


def run(config):
    x = inputs[(config["dtype"], tuple(config["shape"]))]
    o = dict(config["options"])
    if config["fn"] == "zoom":
        return ndi.zoom(x, o.pop("zoom"), **o)
    matrix = np.asarray(o.pop("matrix"), dtype=np.float64)
    return ndi.affine_transform(x, matrix, **o)


print(json.dumps({"ready": True, "scipy": scipy.__version__, "numpy": np.__version__}), flush=True)
for line in sys.stdin:
    config = configs[int(line)]
    start = time.process_time()
    run(config)
    print(json.dumps({"seconds": time.process_time() - start}), flush=True)
