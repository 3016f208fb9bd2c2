"""How the Moving MNIST `cpu` preset is chosen: candidate settings trained for the same minutes, scored on validation.

usage: python bench/sweep_mmnist_preset.py [--round 1] [--minutes 5] [--only NAME ...] [--work runs/mmnist-sweep]
                                          [--publish FILE]

Each candidate trains SimVPv2 on Moving MNIST drawn from the training digits (as `simvp_mmnist` does) for --minutes of
this machine's time, then its best checkpoint predicts frames 11-20 of the 1,000 validation sequences (training digits,
a stream of their own), scored as OpenSTL does: MSE per frame as a sum over the 64x64 pixels on [0, 1], averaged over
the 10 frames. The test digits are never used. Run it on an idle machine: the steps a candidate reaches depend on it.
A candidate already trained in the work folder with the same configuration is scored from there.

Round 1 chose the widths among settings at the old preset's training. Round 2 pits the chosen preset against a higher
peak rate and a wider translator; a candidate replaces the preset only if its MSE is lower by more than MARGIN.
"""

import argparse, json, sys, time
from dataclasses import asdict
from pathlib import Path

import torch

from simvp_nb import train as TR
from simvp_nb.contract import model_from_config
from simvp_nb.devices import machine
from simvp_nb.mmnist import mnist_splits, train_epoch, validation_set
from simvp_nb.mmnist_bench import SEQUENCES, mmnist_setup, model_frames, score_predictor
from simvp_nb.sequences import TASKS, WindowSet

BASE = dict(hid_S=16, hid_T=128, N_S=4, N_T=4, mlp_ratio=4.0)  # SimVP's sizes in the cpu preset before the sweep
TRAIN = dict(batch_size=4, lr=3e-3)  # its training
CANDIDATES = {  # name: (sizes over BASE, training over TRAIN)
    'S16-T128-N4 bs4 lr3e-3 (the preset before)': ({}, {}),
    'S16-T64-N4 bs4 lr3e-3': (dict(hid_T=64), {}),
    'S16-T128-N2 bs4 lr3e-3': (dict(N_T=2), {}),
    'S16-T128-N4 bs2 lr2e-3': ({}, dict(batch_size=2, lr=2e-3)),
    'S8-T128-N4 bs4 lr3e-3': (dict(hid_S=8), {}),
    'S8-T128-N2 bs4 lr3e-3': (dict(hid_S=8, N_T=2), {}),
    'S8-T128-N4 bs8 lr3e-3': (dict(hid_S=8), dict(batch_size=8)),
    'S8-T128-N2 bs4 lr6e-3': (dict(hid_S=8, N_T=2), dict(lr=6e-3)),
    'S8-T128-N2 bs4 lr1e-2': (dict(hid_S=8, N_T=2), dict(lr=1e-2)),
    'S8-T256-N2 bs4 lr3e-3': (dict(hid_S=8, hid_T=256, N_T=2), {}),
}
ROUNDS = {  # the candidates each round compares, the incumbent first
    1: list(CANDIDATES)[:7],
    2: ['S8-T128-N2 bs4 lr3e-3', 'S8-T128-N2 bs4 lr6e-3', 'S8-T128-N2 bs4 lr1e-2', 'S8-T256-N2 bs4 lr3e-3'],
}
# round 2 replaces the preset only for a larger gain: the steps one model reaches in the same minutes vary by several
# percent from run to run (its three runs of the same widths, whose rates do not change a step's cost), and so does
# the score
MARGIN = 0.01


def run(name: str, minutes: float, digits, val_set, work: Path) -> dict:
    "Train candidate `name` for `minutes` in `work` unless a finished run of it is there; its scores on `val_set`."
    sizes, training = CANDIDATES[name]
    model, mc, tc = mmnist_setup('cpu', **{**TRAIN, **training, 'budget_minutes': minutes})
    mc = {**mc, **BASE, **sizes}
    done = work / 'score.json'
    if done.is_file() and (work / 'last.pt').is_file():
        ck = TR.load_checkpoint(work / 'last.pt')
        if (ck['model'], ck['model_config'], ck['train_config']) == (model, mc, asdict(tc)):
            return json.loads(done.read_text())
    windows = lambda s: WindowSet(s, TASKS['mmnist'], device='cpu')
    fresh_epoch = lambda epoch: windows(train_epoch(digits, epoch, SEQUENCES['n_train'], tc.data_seed))
    torch.manual_seed(tc.seed)
    net = model_from_config(model, mc)
    t0 = time.time()
    TR.fit(net, fresh_epoch, windows(val_set), tc, work, model, mc, resume=False, progress=False)
    seconds = time.time() - t0
    best = TR.load_model(work / 'best.pt')
    s = score_predictor(model_frames(best, 'cpu'), val_set)
    steps = TR.load_checkpoint(work / 'last.pt')['steps_planned']
    score = dict(
        parameters=sum(p.numel() for p in best.parameters()),
        steps=steps,
        seconds=round(seconds, 1),
        mse=float(s['mse'].mean()),
        mse_11=float(s['mse'][:, 0].mean()),
        mse_20=float(s['mse'][:, -1].mean()),
        ssim=float(s['ssim'].mean()),
    )
    done.write_text(json.dumps(score, indent=1))
    return score


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--round', type=int, default=1, choices=list(ROUNDS), help='which candidates to compare')
    ap.add_argument('--minutes', type=float, default=5.0)
    ap.add_argument('--only', nargs='+', choices=list(CANDIDATES), metavar='NAME', help='run these candidates only')
    ap.add_argument('--work', default='runs/mmnist-sweep', help='a folder per candidate')
    ap.add_argument('--publish', help='write the table to this Markdown file')
    a = ap.parse_args()
    if not a.minutes > 0:
        ap.error(f'--minutes must be positive, got {a.minutes}')
    digits, _ = mnist_splits()
    val_set = validation_set(digits, SEQUENCES['n_val'])
    rows = []
    for i, name in enumerate(CANDIDATES):
        if name not in ROUNDS[a.round] or (a.only and name not in a.only):
            continue
        s = run(name, a.minutes, digits, val_set, Path(a.work) / f'{i}-{a.minutes:g}min')
        rows.append(
            f"| {name} | {s['parameters']:,} | {s['steps']} | {s['mse']:.1f} | {s['mse_11']:.1f} | {s['mse_20']:.1f} "
            f"| {s['ssim']:.4f} |"
        )
        print(rows[-1], flush=True)
    m = machine()
    cmd = ' '.join(['python', 'bench/sweep_mmnist_preset.py'] + sys.argv[1:])
    text = '\n'.join(
        [
            f'`{cmd}` on {m["cpu"]}, {m["cpus"]} CPUs, torch {m["torch"]}: each candidate trained for {a.minutes:g} '
            f'minutes on Moving MNIST from the bundled training digits, then scored on {val_set.N:,} validation '
            'sequences of the same digits (frames 11-20 from 1-10). MSE: per-frame sums on [0, 1], the mean over the '
            '10 frames, and frames 11 and 20 alone; SSIM with data_range 1. Names: S = hid_S, T = hid_T, N = N_T, '
            'bs = batch size, lr = the one-cycle peak; N_S 4 and mlp_ratio 4 throughout.'
            + (f' The preset first; another candidate replaces it only if its MSE is lower by more than {MARGIN:.0%}.'
               if a.round > 1 else ''),
            '',
            '| candidate | parameters | steps | MSE | MSE frame 11 | MSE frame 20 | SSIM |',
            '|---|---:|---:|---:|---:|---:|---:|',
            *rows,
        ]
    )
    print(text)
    if a.publish:
        Path(a.publish).write_text(text + '\n')


if __name__ == '__main__':
    main()
