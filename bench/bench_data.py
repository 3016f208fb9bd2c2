"""Benchmark: generate the n6 + n3 releases (500 sequences) from the bundled digits; best of 3 runs.

Budget (from the data issue): well under 5 s on the 2-core development machine.
usage: python bench/bench_data.py [--repeats 3]
"""
import argparse, time
from simvp_nb.data import make_releases, load_mnist

BUDGET_S = 5.0

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--seed', type=int, default=0)
    args = ap.parse_args()
    load_mnist()                       # warm the file cache, not the code under test
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        rel = make_releases(seed=args.seed)
        times.append(time.perf_counter() - t0)
    n = sum(len(r) for r in rel.values())
    best = min(times)
    print(f"make_releases(seed={args.seed}): {n} sequences in {best:.3f} s (best of {args.repeats}; "
          f"all: {', '.join(f'{t:.3f}' for t in times)})")
    print(f"ratio to the {BUDGET_S:.0f} s budget: {best / BUDGET_S:.3f}")

if __name__ == '__main__':
    main()
