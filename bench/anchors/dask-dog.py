"""Dask + scipy DoG anchor for bench/dog.ts: the course's pipeline on a LocalCluster of
2 workers x 1 thread (or the threaded scheduler), timed from submission to written output.
usage: dask-dog.py INPUT.zarr COMPONENT OUTPUT.zarr [distributed|threads]; prints JSON {seconds}"""
import json
import sys
import time

import dask
import dask.array as da
import scipy.ndimage as ndi


def pipeline(source, component, target):
    data = da.from_zarr(source, component=component)
    volume = data.squeeze().rechunk((32, 64, 64))
    sharp = volume.map_overlap(ndi.gaussian_filter, sigma=3, order=0, mode="nearest", depth=40, boundary="nearest")
    blurred = volume.map_overlap(ndi.gaussian_filter, sigma=10, order=0, mode="nearest", depth=40, boundary="nearest")
    (sharp - blurred).to_zarr(target, overwrite=True)


def main():
    source, component, target = sys.argv[1:4]
    mode = sys.argv[4] if len(sys.argv) > 4 else "distributed"
    if mode == "distributed":
        from distributed import Client, LocalCluster
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster):
            started = time.perf_counter()
            pipeline(source, component, target)
            seconds = time.perf_counter() - started
    else:
        with dask.config.set(scheduler="threads", num_workers=2):
            started = time.perf_counter()
            pipeline(source, component, target)
            seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds}))


if __name__ == "__main__":
    main()
