"""Times scipy.ndimage rank filters, morphology, EDT and labelling for bench/ndimage-kernels.ts.

Usage: /usr/bin/python3 scipy-ndimage.py CONFIG.json
CONFIG: {"inputs": {name: {"file", "dtype", "shape"}}, "runs": [{"kernel", "input", "options", "repeats"}]}
Runs one thread (scipy.ndimage is single-threaded). Prints one JSON line: for each run the median
CPU time (time.process_time) in seconds, plus the versions.
"""
import json
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.ndimage as ndi

config = json.load(open(sys.argv[1]))
inputs = {name: np.fromfile(i["file"], dtype=i["dtype"]).reshape(i["shape"]) for name, i in config["inputs"].items()}
CROSS = ndi.generate_binary_structure(3, 1)


def call(kernel, x, options):
    o = dict(options)
    if o.pop("footprint", None) == "cross":
        o["footprint"] = CROSS
    if kernel == "medianFilter":
        return ndi.median_filter(x, **o)
    if kernel == "maximumFilter":
        return ndi.maximum_filter(x, **o)
    if kernel == "minimumFilter":
        return ndi.minimum_filter(x, **o)
    if kernel == "rankFilter":
        return ndi.rank_filter(x, **o)
    if kernel == "percentileFilter":
        return ndi.percentile_filter(x, **o)
    if kernel == "greyErosion":
        return ndi.grey_erosion(x, **o)
    if kernel == "greyOpening":
        return ndi.grey_opening(x, **o)
    if kernel == "whiteTophat":
        return ndi.white_tophat(x, **o)
    if kernel == "binaryErosion":
        return ndi.binary_erosion(x, **o)
    if kernel == "binaryOpening":
        return ndi.binary_opening(x, **o)
    if kernel == "binaryFillHoles":
        return ndi.binary_fill_holes(x, **o)
    if kernel == "distanceTransformEdt":
        return ndi.distance_transform_edt(x, **o)
    if kernel == "label":
        return ndi.label(x, **o)
    if kernel == "meanPerLabel":
        labels = inputs[o["labels"]]
        return ndi.mean(x, labels, np.arange(1, int(labels.max()) + 1))
    raise ValueError(kernel)


seconds = []
for run in config["runs"]:
    x = inputs[run["input"]]
    times = []
    for _ in range(run["repeats"]):
        start = time.process_time()
        call(run["kernel"], x, run["options"])
        times.append(time.process_time() - start)
    seconds.append(statistics.median(times))
print(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__, "seconds": seconds}))
