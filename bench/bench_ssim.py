"""Batched SSIM (simvp_nb.metrics.ssim) vs a Python loop over skimage.metrics.structural_similarity.

usage: python bench/bench_ssim.py [--n 1000] [--threads 1] [--device cpu] [--repeats 5]

Times SSIM on N frame pairs of 36x36 (uint8, half random noise and half digit-like frames from
simvp_nb.data when it is importable), prints both times, the speed ratio and the largest absolute
difference from skimage, for float32 (the default) and float64 computation. Timings are the median of
--repeats runs after one warm-up; skimage is timed on one full loop (it has no warm-up cost worth
the name). Torch is pinned to --threads threads (1 by default: skimage is single-threaded too, and the
shared development machine punishes OpenMP spinning).
"""
import argparse, time
import numpy as np
import torch
from skimage.metrics import structural_similarity
from simvp_nb.metrics import ssim


def frames(n: int, seed: int = 0):
    "n (pred, true) uint8 pairs of 36x36: random noise, plus data frames (frame 15 vs true frame 16) when available."
    rng = np.random.default_rng(seed)
    pred, true = rng.integers(0, 256, (2, n, 36, 36), dtype=np.uint8)
    try:
        from simvp_nb.data import make_releases
        rel = make_releases(seed=seed)['n6']
        k = min(n // 2, len(rel.frames))
        pred[:k], true[:k] = rel.frames[:k, 14], rel.targets[:k, 1]
        kind = f'{k} data frames + {n - k} random'
    except ImportError:
        kind = f'{n} random'
    return pred, true, kind


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n', type=int, default=1000)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--repeats', type=int, default=5)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    pred, true, kind = frames(a.n)
    t0 = time.perf_counter()
    ref = np.array([structural_similarity(t, p, data_range=255) for p, t in zip(pred, true)])
    t_sk = time.perf_counter() - t0
    P, T = torch.from_numpy(pred).to(a.device), torch.from_numpy(true).to(a.device)
    sync = torch.cuda.synchronize if P.is_cuda else (lambda: None)
    print(f'SSIM on {a.n} frames of 36x36 ({kind}); torch threads {a.threads}, device {a.device}')
    print(f'  skimage loop          : {t_sk * 1e3:8.1f} ms')
    for dtype in (torch.float32, torch.float64):
        ours = ssim(P, T, dtype=dtype); sync()
        times = []
        for _ in range(a.repeats):
            t0 = time.perf_counter(); ssim(P, T, dtype=dtype); sync(); times.append(time.perf_counter() - t0)
        t = float(np.median(times))
        diff = np.abs(ours.cpu().numpy() - ref).max()
        print(f'  simvp_nb ({str(dtype)[6:]:7s}) : {t * 1e3:8.1f} ms   speed ratio {t_sk / t:6.1f}x   '
              f'max |diff| {diff:.1e}')


if __name__ == '__main__':
    main()
