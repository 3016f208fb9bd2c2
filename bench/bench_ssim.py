"""Batched SSIM (simvp_nb.metrics.ssim) vs a Python loop over skimage.metrics.structural_similarity.

usage: python bench/bench_ssim.py [--n 1000] [--threads 1,2] [--device cpu] [--repeats 5] [--no-compile] [--publish FILE]

Times SSIM on N frame pairs of 36x36 (uint8, half random noise and half digit-like frames from
simvp_nb.data when it is importable), prints both times, the speed ratio and the largest absolute
difference from skimage, for float32 (the default) and float64 computation, for each torch thread count
in --threads (default: 1, and all CPUs when there are more). Timings are the median of
--repeats runs after one warm-up; skimage is the median of up to 3 full loops (it has no warm-up cost
worth the name). One thread is the like-for-like comparison (skimage is single-threaded); all CPUs is what a user gets
by default, since the library leaves torch's thread setting alone. `ssim(..., compile=True)` is timed too: its first
call (which compiles) apart, then the same median of --repeats calls. --publish writes the printout to FILE.
"""
import argparse, datetime, os, platform, time
from pathlib import Path
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
    ap.add_argument('--threads', default=','.join(dict.fromkeys(['1', str(os.cpu_count() or 1)])), help='comma-separated torch thread counts')
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--repeats', type=int, default=5)
    ap.add_argument('--no-compile', action='store_true', help='skip the torch.compile timing')
    ap.add_argument('--publish', type=Path, help='also write the printout to this file')
    a = ap.parse_args()
    try: threads = [int(t) for t in a.threads.split(',')]
    except ValueError: ap.error(f'--threads must be comma-separated integers, got {a.threads!r}')
    if a.n < 1 or a.repeats < 1 or min(threads) < 1: ap.error('--n, --repeats and --threads must be >= 1')
    pred, true, kind = frames(a.n)
    sk_times = []
    for _ in range(min(3, a.repeats)):
        t0 = time.perf_counter()
        ref = np.array([structural_similarity(t, p, data_range=255) for p, t in zip(pred, true)])
        sk_times.append(time.perf_counter() - t0)
    t_sk = float(np.median(sk_times))
    P, T = torch.from_numpy(pred).to(a.device), torch.from_numpy(true).to(a.device)
    sync = torch.cuda.synchronize if P.is_cuda else (lambda: None)
    lines = [f'SSIM on {a.n} frames of 36x36 ({kind}); torch {torch.__version__}, device {a.device}, '
             f'{platform.processor() or platform.machine()} ({torch.backends.cpu.get_cpu_capability()}, {os.cpu_count()} CPUs), {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f}',
             f'  skimage loop (one thread)            : {t_sk * 1e3:8.1f} ms']
    say = lambda line: (lines.append(line), print(line, flush=True))
    print(lines[0]); print(lines[1])
    runs = [(torch.float32, False), (torch.float64, False)] + ([] if a.no_compile else [(torch.float32, True)])
    for n_threads, (dtype, compile) in ((n, r) for n in threads for r in runs):
        torch.set_num_threads(n_threads)
        t0 = time.perf_counter(); ours = ssim(P, T, dtype=dtype, compile=compile); sync(); first = time.perf_counter() - t0
        times = []
        for _ in range(a.repeats):
            t0 = time.perf_counter(); ssim(P, T, dtype=dtype, compile=compile); sync(); times.append(time.perf_counter() - t0)
        t = float(np.median(times))
        diff = np.abs(ours.cpu().numpy() - ref).max()
        name = f"{str(dtype)[6:]}{', compiled' if compile else ''}, {n_threads} thread{'s' if n_threads > 1 else ''}"
        say(f'  simvp_nb ({name:28s}): {t * 1e3:8.1f} ms   speed ratio {t_sk / t:6.1f}x   max |diff| {diff:.1e}'
            + (f'   (first call: {first:.1f} s)' if compile else ''))
    if a.publish:
        a.publish.write_text('```\n' + '\n'.join(lines) + '\n```\n'); print(f'wrote {a.publish}')

if __name__ == '__main__':
    main()
