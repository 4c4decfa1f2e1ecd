"""NumPy anchor for bench/reductions.ts's per-block kernels: CPU milliseconds per 500 x 500
float64 block (median over rounds) of generating it (Generator.random, as a new array and into
a reused one with out=) and of summing a + b.T.

usage: numpy-block-kernels.py SIDE BLOCKS ROUNDS
prints one JSON line: {"randomMs": ..., "randomIntoMs": ..., "addTransposedSumMs": ..., "numpy": version}."""
import json
import statistics
import sys
import time

import numpy as np


def per_block_ms(run, blocks):
    started = time.process_time()
    run()
    return (time.process_time() - started) * 1e3 / blocks


def main():
    side, blocks, rounds = (int(v) for v in sys.argv[1:4])
    generate, generate_into, fused = [], [], []
    reused = np.empty((side, side))
    for r in range(rounds):
        made = []
        generate.append(per_block_ms(lambda: made.extend(np.random.default_rng([r, b]).random((side, side)) for b in range(blocks)), blocks))
        generate_into.append(per_block_ms(lambda: [np.random.default_rng([r, b]).random(out=reused) for b in range(blocks)], blocks))
        fused.append(per_block_ms(lambda: [(made[b] + made[(b + 1) % blocks].T).sum() for b in range(blocks)], blocks))
    print(json.dumps({"randomMs": statistics.median(generate), "randomIntoMs": statistics.median(generate_into), "addTransposedSumMs": statistics.median(fused), "numpy": np.__version__}))


main()
