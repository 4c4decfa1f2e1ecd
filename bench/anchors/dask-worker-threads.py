"""Dask anchor for bench/worker-main-thread.ts: CPU of each worker process's main thread (the
event loop: messages, bookkeeping, transfers) and of the whole process, per task, on a
LocalCluster of N worker processes x 1 thread.

usage:
  dask-worker-threads.py persist-mean SIDE CHUNK WORKERS ROUNDS   mean of a persisted random SIDE x SIDE
  dask-worker-threads.py xxt SIDE CHUNK WORKERS ROUNDS            sum of x + x.T
prints one JSON line: tasks, main-thread and process CPU seconds of all workers, wall seconds per round."""
import json
import os
import sys
import time

import dask
import dask.array as da
from distributed import Client, LocalCluster, wait


def thread_cpu(path):
    with open(path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def cpu(pids):
    return sum(thread_cpu(f"/proc/{pid}/task/{pid}/stat") for pid in pids), sum(thread_cpu(f"/proc/{pid}/stat") for pid in pids)


def measure(mode, side, chunk, workers, rounds):
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as c, Client(c) as client:
        pids = list(client.run(os.getpid).values())
        x = da.random.RandomState(0).random_sample((side, side), chunks=chunk)
        if mode == "persist-mean":
            x = x.persist()
            wait(x)
            run = lambda: x.mean(split_every=16).compute()
        else:
            run = lambda: (x + x.T).sum(split_every=16).compute()
        run()  # warm-up
        walls = []
        # Tasks counted by the workers themselves (those they executed), whatever the task stream keeps.
        executed = lambda: sum(client.run(lambda dask_worker: dask_worker.state.executed_count).values())
        executed0 = executed()
        main0, process0 = cpu(pids)
        # The scheduler forgets a computed graph's tasks after compute() returns; a round started
        # before that reuses the previous round's partials still in memory (same keys): about
        # half of the persisted mean's tasks were skipped that way. Each round waits for it.
        held = lambda: client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))
        baseline = x.npartitions if mode == "persist-mean" else 0

        def settle():
            deadline = time.monotonic() + 30
            while held() > baseline:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the scheduler still holds {held()} tasks, expected {baseline}")
                time.sleep(0.01)

        settle()
        for _ in range(rounds):
            started = time.perf_counter()
            run()
            walls.append(time.perf_counter() - started)
            settle()
        main1, process1 = cpu(pids)
        return {"tasks": executed() - executed0, "mainSeconds": main1 - main0, "processSeconds": process1 - process0, "seconds": walls}


def main():
    mode = sys.argv[1]
    if mode not in ("persist-mean", "xxt"):
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(measure(mode, int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))))


if __name__ == "__main__":
    with dask.config.set({"distributed.logging.distributed": "error"}):
        main()
