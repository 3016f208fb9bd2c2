"""Training-step time of the Moving MNIST presets on this machine, and what 200 epochs of each would take here.

usage: python bench/bench_mmnist.py [--presets cpu,gpu] [--batch 16] [--steps 3] [--device cpu] [--publish FILE]

For each preset of `simvp_nb.mmnist_bench.MMNIST_PRESETS`, builds SimVP at 64x64, 10 frames in and 10 out, and times
one training step (forward, MSE, backward, Adam) on a random batch with `simvp_nb.compare.train_step_seconds`: the
median of --steps steps after one warm-up step. Prints the parameters, seconds a step, and the hours that 200 epochs
of 10,000 sequences (OpenSTL's schedule) would take at that speed. Run it alone: another job on the cores slows it.
--publish writes the printout to FILE under a header naming the command and the machine.
"""
import argparse, sys
from pathlib import Path

import torch
from simvp_nb.compare import train_step_seconds
from simvp_nb.contract import model_from_config
from simvp_nb.devices import describe_machine, machine, pick_device
from simvp_nb.mmnist_bench import MMNIST_PRESETS, SEQUENCES, mmnist_setup


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--presets', default='cpu,gpu', help='comma-separated presets')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--steps', type=int, default=3)
    ap.add_argument('--device', default=None)
    ap.add_argument('--publish', default=None, help='write the printout to this file')
    a = ap.parse_args()
    presets = a.presets.split(',')
    if unknown := [p for p in presets if p not in MMNIST_PRESETS]: ap.error(f'unknown presets {unknown}')
    if a.batch < 1 or a.steps < 1: ap.error('--batch and --steps must be positive')
    if a.publish and not Path(a.publish).parent.is_dir(): ap.error(f'no folder for --publish {a.publish}')
    device = pick_device(a.device)
    lines = ['| preset | parameters | seconds a step (batch %d) | 200 epochs of %d sequences |' % (a.batch, SEQUENCES['n_train']),
             '|---|---:|---:|---:|']
    for p in presets:
        name, mc, _ = mmnist_setup(p)
        torch.manual_seed(0)
        model = model_from_config(name, mc)
        params = sum(t.numel() for t in model.parameters())
        sec = train_step_seconds(model, a.batch, a.steps, warmup=1, device=device)
        hours = sec * 200 * (SEQUENCES['n_train'] // a.batch) / 3600
        lines.append(f'| {p} | {params / 1e6:.2f}M | {sec:.2f} | {hours:,.0f} h |')
        print(lines[-1], flush=True)
    text = '\n'.join(lines) + '\n'
    print(text)
    if a.publish:
        command = 'python bench/bench_mmnist.py ' + ' '.join(sys.argv[1:])
        Path(a.publish).write_text(f'# Moving MNIST training steps\n\n`{command}` on {describe_machine(machine())}\n\n{text}')


if __name__ == '__main__':
    main()
