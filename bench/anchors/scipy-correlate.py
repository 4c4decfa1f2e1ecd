"""Times scipy.ndimage's correlate, convolve, prewitt and laplace for bench/ndimage-correlate.ts.

Usage: /usr/bin/python3 scipy-correlate.py CONFIG.json
CONFIG: {"input": {"file", "dtype", "shape"}, "runs": [{"kernel", "weights", "options", "repeats"}]}
One thread (scipy.ndimage is single-threaded). Prints one JSON line: per run the median CPU time
(time.process_time) in seconds, plus the versions.
"""
import json
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.ndimage as ndi

config = json.load(open(sys.argv[1]))
spec = config["input"]
x = np.fromfile(spec["file"], dtype=spec["dtype"]).reshape(spec["shape"])
kernels = {"correlate": ndi.correlate, "convolve": ndi.convolve, "prewitt": ndi.prewitt, "laplace": ndi.laplace}

seconds = []
for run in config["runs"]:
    fn = kernels[run["kernel"]]
    args = [np.array(run["weights"], dtype=float)] if run["weights"] is not None else []
    times = []
    for _ in range(run["repeats"]):
        start = time.process_time()
        fn(x, *args, **run["options"])
        times.append(time.process_time() - start)
    seconds.append(statistics.median(times))
print(json.dumps({"seconds": seconds, "scipy": scipy.__version__, "numpy": np.__version__}))
