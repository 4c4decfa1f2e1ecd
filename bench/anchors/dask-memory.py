"""Dask's figures for bench/memory-spill.ts (Debian's python3-distributed, run in the same benchmark).

usage:
  dask-memory.py spill DIRECTORY COUNT MIB KIND
      Spill throughput of distributed's SpillBuffer (zict; lz4 compression when it pays, as the
      worker uses it): COUNT values of MIB MiB (KIND "smooth" float64 or "noise" float64) written
      to DIRECTORY, then read back. Prints JSON {write_mb_s, read_mb_s, disk_bytes}.
  dask-memory.py dog INPUT.zarr OUTPUT.zarr MEMORY_LIMIT_BYTES TIMEOUT_SECONDS
      The DoG pipeline (from_zarr, squeeze, rechunk (64, 128, 128), map_overlap gaussian_filter
      sigma 1 and 2, depth 8, boundary nearest, subtract, to_zarr) on a LocalCluster of one
      worker process with one thread and this memory limit. Prints JSON {seconds, ok, error,
      peak_rss, restarted, versions}; a run still going after TIMEOUT_SECONDS is stopped and
      reported with the worker's status and memory (a paused worker never resumes by itself).
"""
import json
import os
import resource
import shutil
import sys
import time

import numpy as np


def spill(directory, count, mib, kind):
    from distributed.spill import SpillBuffer

    elements = mib * 2**20 // 8
    index = np.arange(elements)
    values = []
    for i in range(count):
        if kind == "smooth":
            values.append(np.round(np.sin((index + i) / 500) * 1000) + (index % 13))
        else:
            values.append(np.random.default_rng(i).random(elements))
    buffer = SpillBuffer(directory, target=0)  # every value goes straight to disk
    started = time.perf_counter()
    for i, value in enumerate(values):
        buffer[f"k{i}"] = value
    written = time.perf_counter() - started
    disk = sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(directory) for name in names)
    del values
    started = time.perf_counter()
    for i in range(count):
        _ = buffer[f"k{i}"]
        del buffer[f"k{i}"]  # keep memory flat: read back, then drop
    read = time.perf_counter() - started
    total = count * mib * 2**20 / 1e6
    print(json.dumps({"write_mb_s": total / written, "read_mb_s": total / read, "disk_bytes": disk}))


def worker_peak_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def dog(source, target, memory_limit, timeout):
    import dask
    import dask.array as da
    import distributed
    import scipy
    import scipy.ndimage as ndi
    from distributed import Client, LocalCluster

    data = da.from_zarr(source, component="0/0")
    volume = data.squeeze().rechunk((64, 128, 128))
    sharp = volume.map_overlap(ndi.gaussian_filter, sigma=1, order=0, mode="nearest", depth=8, boundary="nearest")
    blurred = volume.map_overlap(ndi.gaussian_filter, sigma=2, order=0, mode="nearest", depth=8, boundary="nearest")
    dog = sharp - blurred
    result = {"ok": False, "error": None, "versions": {"dask": dask.__version__, "distributed": distributed.__version__, "scipy": scipy.__version__}}
    with LocalCluster(n_workers=1, threads_per_worker=1, memory_limit=memory_limit, dashboard_address=None, processes=True) as cluster, Client(cluster) as client:
        pids = set(client.run(os.getpid).values())
        started = time.perf_counter()
        future = client.compute(dog.to_zarr(target, overwrite=True, compute=False))
        try:
            distributed.wait(future, timeout=timeout)
            future.result()
            result["ok"] = True
        except distributed.TimeoutError:
            workers = client.scheduler_info()["workers"].values()
            states = ", ".join(f"{w.get('status')} at {w['metrics']['memory'] / 2**20:.0f} MiB" for w in workers)
            result["error"] = f"did not finish in {timeout:.0f} s; worker {states}"
        except Exception as error:  # KilledWorker and friends: the figure is that it failed
            result["error"] = f"{type(error).__name__}: {error}"[:300]
        result["seconds"] = time.perf_counter() - started
        future.cancel()
        after = client.run(worker_peak_rss)
        result["peak_rss"] = max(after.values()) if after else None
        result["restarted"] = set(client.run(os.getpid).values()) != pids
    print(json.dumps(result))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "spill":
        directory = sys.argv[2]
        try:
            spill(directory, int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
        finally:
            shutil.rmtree(directory, ignore_errors=True)
    elif command == "dog":
        dog(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
    else:
        raise SystemExit(__doc__)
