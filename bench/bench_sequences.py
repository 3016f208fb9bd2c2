"""Benchmark: what the general data layer (sequences, index-table windows) costs against the paper's own path.

Measured in one run, interleaved, on an otherwise idle machine:
1. data preparation of the paper's experiment: the paper's own slicing (`data.split_sequences` then
   `data.train_windows`, windows copied out) against `release_sequences` + `sequence_data` (index tables over the
   release's frames); `train.training_data` itself now takes the second path and copies the windows out;
2. a training step of the `cpu` preset on a batch from `WindowDataset` against the same batch from `WindowSet`;
3. peak memory of building the training windows of 10,000 sequences of 20 frames of 64x64 (uint8), as index
   tables, against the frames' own size (tracemalloc sees numpy's and torch's CPU allocations);
4. peak memory of decoding a video with `read_video` against the decoded array's size.
usage: python bench/bench_sequences.py [--repeats 5] [--publish results/bench-sequences.md]
"""
import argparse, gc, statistics, tempfile, time, tracemalloc
from pathlib import Path
import numpy as np
import torch
from simvp_nb import data as D, train as TR
from simvp_nb.readers import read_video, write_sequences
from simvp_nb.sequences import Sequences, TASKS, WindowSet, window_index


def best_of(f, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter(); f(); times.append(time.perf_counter() - t0)
    return min(times)


def peak_bytes(f):
    "Peak traced allocation while `f` runs (beyond what was allocated before), and f's result."
    gc.collect(); tracemalloc.start(); tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    out = f()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--repeats', type=int, default=5)
    ap.add_argument('--publish', default=None, help='write the table to this Markdown file')
    args = ap.parse_args()
    torch.manual_seed(0)
    rel = D.make_releases(0)
    name, mc, tc = TR.preset('cpu', device='cpu')
    lines = [f"# The general data layer against the paper's path ({TR.pick_device('cpu')}, torch {torch.__version__}, "
             f"{torch.get_num_threads()} threads)", '', '| what | paper path | general layer | ratio (general / paper) |',
             '|---|---:|---:|---:|']

    def general():
        s = D.release_sequences(rel['n6'])
        return TR.sequence_data(tc, s, TR.task_of(tc.task, mc))
    def paper_slicing():
        tr, va = D.split_sequences(len(rel['n6']), tc.val_frac, seed=tc.data_seed)
        return D.train_windows(rel['n6'].frames[tr], mc['T'], mc['T_out']), D.train_windows(rel['n6'].frames[va], mc['T'], mc['T_out'])
    old = best_of(paper_slicing, args.repeats)
    new = best_of(general, args.repeats)
    lines.append(f"| data preparation, n6 windows (s, best of {args.repeats}) | {old:.4f} | {new:.4f} | {new / old:.2f} |")

    (Xt, Yt), _ = paper_slicing()
    train_ws, _ = general()
    ds = D.WindowDataset(Xt, Yt, device='cpu')
    model = TR.model_from_config(name, mc)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = torch.arange(tc.batch_size)
    def step(source):
        x, y = source[batch]
        loss = torch.nn.functional.mse_loss(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
    for source in (ds, train_ws): step(source)                       # warm up both
    t_old, t_new = [], []
    for _ in range(4 * args.repeats):                                # interleaved, so drifts hit both alike
        t_old.append(best_of(lambda: step(ds), 1)); t_new.append(best_of(lambda: step(train_ws), 1))
    mo, mn = statistics.median(t_old), statistics.median(t_new)
    lines.append(f"| training step, cpu preset, batch {tc.batch_size} (ms, median of {len(t_old)}) | {1e3 * mo:.1f} | "
                 f"{1e3 * mn:.1f} | {mn / mo:.2f} |")
    xo, yo = ds[batch]; xn, yn = train_ws[batch]
    assert torch.equal(xo, xn) and torch.equal(yo, yn), 'the two paths served different batches'

    frames = np.random.default_rng(0).integers(0, 256, (10_000, 20, 1, 64, 64), dtype=np.uint8)
    big = Sequences(frames, name='big')
    peak, ws = peak_bytes(lambda: WindowSet(big, TASKS['extrapolate'], device='cpu'))
    copied = len(ws) * 8 * 64 * 64                                   # what copying the windows out would take
    lines.append(f"| windows of 10,000 x 20 x 64x64 ({len(ws):,} windows): peak memory (MB) | {copied / 2**20:,.0f} "
                 f"(copied) | {peak / 2**20:,.1f} | {peak / copied:.4f} |")
    lines.append(f"| the same, peak memory against the frames' {frames.nbytes / 2**20:,.0f} MB | | | {peak / frames.nbytes:.4f} |")
    assert ws.frames.data_ptr() == frames.ctypes.data
    del ws, big, frames; gc.collect()

    with tempfile.TemporaryDirectory() as d:
        clip = np.random.default_rng(1).integers(0, 256, (1, 200, 3, 96, 128), dtype=np.uint8)
        path = write_sequences(Sequences(clip), Path(d) / 'clip.mkv')
        peak, v = peak_bytes(lambda: read_video(path))
        lines.append(f"| decoding a 200-frame 96x128 RGB video: peak memory against the decoded array | | "
                     f"{peak / 2**20:.1f} MB / {v.frames.nbytes / 2**20:.1f} MB | {peak / v.frames.nbytes:.2f} |")
    text = '\n'.join(lines)
    print(text)
    if args.publish: Path(args.publish).write_text(text + '\n')


if __name__ == '__main__':
    main()
