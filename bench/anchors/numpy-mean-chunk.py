"""NumPy anchor for bench/thread-hand-off.ts: CPU microseconds per SIDE x SIDE float64 block of
the persisted mean's leaf task as Dask runs it (mean_chunk: the block's sum with keepdims), over
1 block (in cache) and rotating over 128 blocks (from memory); median over rounds.

usage: numpy-mean-chunk.py SIDE CALLS ROUNDS
prints one JSON line: {"cachedMicros": ..., "memoryMicros": ..., "numpy": version}."""
import json
import statistics
import sys
import time

import numpy as np


def micros_per_call(blocks, calls):
    for i in range(200):
        blocks[i % len(blocks)].sum(keepdims=True)
    started = time.process_time()
    for i in range(calls):
        blocks[i % len(blocks)].sum(keepdims=True)
    return (time.process_time() - started) * 1e6 / calls


def main():
    side, calls, rounds = (int(v) for v in sys.argv[1:4])
    rng = np.random.default_rng(0)
    cached = [rng.random((side, side))]
    memory = [rng.random((side, side)) for _ in range(128)]
    in_cache, from_memory = [], []
    for _ in range(rounds):
        in_cache.append(micros_per_call(cached, calls))
        from_memory.append(micros_per_call(memory, calls))
    print(json.dumps({"cachedMicros": statistics.median(in_cache), "memoryMicros": statistics.median(from_memory), "numpy": np.__version__}))


main()
