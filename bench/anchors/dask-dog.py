"""Dask + scipy DoG anchor for bench/dog.ts: the course's pipeline on a LocalCluster of
2 workers x 1 thread (or the threaded scheduler), timed from submission to written output.

The course's script passes no `boundary` to map_overlap (Dask 2022.12's default, "none"):
that is the anchor, BOUNDARY "as-written". BOUNDARY "nearest" adds boundary="nearest", the
same output with a ~20x larger graph (a second, labelled row, never the anchor).

usage: dask-dog.py INPUT.zarr COMPONENT OUTPUT.zarr [distributed|threads] [as-written|nearest]
prints JSON {seconds, cpu_seconds, tasks, peak_rss_per_worker} (cpu_seconds: this process,
which holds the client and the scheduler, plus the worker processes, during the run)"""
import json
import os
import sys
import time

import dask
import dask.array as da
import scipy.ndimage as ndi


def build(source, component, boundary):
    data = da.from_zarr(source, component=component)
    volume = data.squeeze().rechunk((32, 64, 64))
    if boundary == "as-written":
        sharp = volume.map_overlap(ndi.gaussian_filter, sigma=3, order=0, mode="nearest", depth=40)
        blurred = volume.map_overlap(ndi.gaussian_filter, sigma=10, order=0, mode="nearest", depth=40)
    elif boundary == "nearest":
        sharp = volume.map_overlap(ndi.gaussian_filter, sigma=3, order=0, mode="nearest", depth=40, boundary="nearest")
        blurred = volume.map_overlap(ndi.gaussian_filter, sigma=10, order=0, mode="nearest", depth=40, boundary="nearest")
    else:
        raise SystemExit(f"boundary must be as-written or nearest, got {boundary!r}")
    return sharp - blurred


def graph_tasks(dog, target):
    """Tasks of the graph to_zarr submits (after Dask's optimisation), counted outside the timing."""
    stored = dog.to_zarr(target, overwrite=True, compute=False)
    (optimized,) = dask.optimize(stored)
    return len(dict(optimized.__dask_graph__()))


def cpu_seconds(processes):
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except Exception:  # a process that ended: its time is lost either way
            pass
    return total


def peak_rss(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return float("nan")


def main():
    source, component, target = sys.argv[1:4]
    mode = sys.argv[4] if len(sys.argv) > 4 else "distributed"
    boundary = sys.argv[5] if len(sys.argv) > 5 else "as-written"
    tasks = graph_tasks(build(source, component, boundary), target)
    import psutil
    me = psutil.Process(os.getpid())
    if mode == "distributed":
        from distributed import Client, LocalCluster
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
            pids = list(client.run(os.getpid).values())
            processes = [me] + [psutil.Process(pid) for pid in pids]
            cpu = cpu_seconds(processes)
            started = time.perf_counter()
            build(source, component, boundary).to_zarr(target, overwrite=True)
            seconds = time.perf_counter() - started
            cpu = cpu_seconds(processes) - cpu
            peak = max(peak_rss(pid) for pid in pids)
    else:
        with dask.config.set(scheduler="threads", num_workers=2):
            cpu = cpu_seconds([me])
            started = time.perf_counter()
            build(source, component, boundary).to_zarr(target, overwrite=True)
            seconds = time.perf_counter() - started
            cpu = cpu_seconds([me]) - cpu
            peak = peak_rss(os.getpid())
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "tasks": tasks, "peak_rss_per_worker": peak}))


if __name__ == "__main__":
    main()
