"""Dask distributed anchors for bench/engine.ts, measured on this machine in the same run.

Prints one JSON object: tiny-task throughput (client.map of N no-op tasks, LocalCluster of
2 workers x 1 thread), latency per task of a dependent chain, and worker-to-worker transfer
throughput of one large array. usage: dask-engine.py N CHAIN TRANSFER_MIB
"""
import json
import sys
import time

import numpy as np
from distributed import Client, LocalCluster, wait


def noop(x):
    return x


def inc(x):
    return x + 1


def make(nbytes):
    return np.ones(nbytes // 8, dtype="float64")


def size(a):
    return a.nbytes


def main():
    n, chain, mib = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        client.wait_for_workers(2)
        warm = client.map(noop, range(200), pure=False)
        client.gather(warm)
        started = time.perf_counter()
        futures = client.map(noop, range(n), pure=False)
        client.gather(futures)
        throughput = n / (time.perf_counter() - started)
        del futures, warm

        started = time.perf_counter()
        f = client.submit(inc, 0, pure=False)
        for _ in range(chain - 1):
            f = client.submit(inc, f, pure=False)
        f.result()
        chain_ms = (time.perf_counter() - started) * 1000 / chain
        del f

        a, b = list(client.scheduler_info()["workers"])
        produced = client.submit(make, mib * 2**20, workers=[a], pure=False)
        wait(produced)
        started = time.perf_counter()
        consumed = client.submit(size, produced, workers=[b], pure=False)
        consumed.result()
        transfer_gbps = mib * 2**20 / (time.perf_counter() - started) / 1e9
    print(json.dumps({"throughput": throughput, "chain_ms": chain_ms, "transfer_gbps": transfer_gbps}))


if __name__ == "__main__":
    main()
