"""Dask anchors for bench/reductions.ts, on a LocalCluster of N worker processes x 1 thread.

usage:
  dask-reductions.py xxt SIDE CHUNK WORKERS ROUNDS [WARM]     sum of x + x.T over a random SIDE x SIDE
  dask-reductions.py persist-mean SIDE CHUNK WORKERS ROUNDS [WARM]   persist, then mean
(WARM: untimed rounds first, default 0)
  dask-reductions.py million N                          ones((N, N), chunks=1).sum()
prints one JSON line: seconds per round (and the persist time, or the million-block figures)."""
import json
import resource
import sys
import time

import dask
import dask.array as da
from distributed import Client, LocalCluster, wait


def cluster(workers, **extra):
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, **extra)


def xxt(side, chunk, workers, rounds, warm=0):
    with cluster(workers) as c, Client(c):
        for r in range(warm):
            x = da.random.RandomState(rounds + r).random_sample((side, side), chunks=chunk)
            (x + x.T).sum(split_every=16).compute()
        seconds = []
        for r in range(rounds):
            x = da.random.RandomState(r).random_sample((side, side), chunks=chunk)
            started = time.perf_counter()
            (x + x.T).sum(split_every=16).compute()
            seconds.append(time.perf_counter() - started)
    return {"seconds": seconds}


def persist_mean(side, chunk, workers, rounds, warm=0):
    with cluster(workers) as c, Client(c) as client:
        for r in range(warm):
            x = da.random.RandomState(rounds + r).random_sample((side, side), chunks=chunk).persist()
            x.mean(split_every=16).compute()
            del x
        seconds, persist = [], []
        for r in range(rounds):
            x = da.random.RandomState(r).random_sample((side, side), chunks=chunk)
            started = time.perf_counter()
            x = x.persist()
            wait(x)
            persist.append(time.perf_counter() - started)
            started = time.perf_counter()
            x.mean(split_every=16).compute()
            seconds.append(time.perf_counter() - started)
            del x
            client.run(lambda: None)
    return {"seconds": seconds, "persist": persist}


def million(n):
    with cluster(2) as c, Client(c) as client:
        started = time.perf_counter()
        total = da.ones((n, n), chunks=(1, 1)).sum(split_every=16)
        future = client.compute(total)
        submitted = time.perf_counter() - started
        value = future.result()
        seconds = time.perf_counter() - started
        assert value == n * n, value
        workers = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    return {
        "clientSeconds": submitted, "totalSeconds": seconds,
        "clientAndSchedulerPeakRss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "workerPeakRss": max(workers.values()),
    }


def main():
    mode = sys.argv[1]
    if mode == "xxt":
        print(json.dumps(xxt(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]) if len(sys.argv) > 6 else 0)))
    elif mode == "persist-mean":
        print(json.dumps(persist_mean(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]) if len(sys.argv) > 6 else 0)))
    elif mode == "million":
        print(json.dumps(million(int(sys.argv[2]))))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    with dask.config.set({"distributed.logging.distributed": "error"}):
        main()
