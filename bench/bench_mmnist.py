"""Training-step time of the Moving MNIST presets on this machine, and what 200 epochs of each would take here.

usage: python bench/bench_mmnist.py [--presets cpu,gpu] [--precisions fp32,bf16] [--batch 16] [--steps 3] [--device cpu]
                                   [--publish FILE]

For each preset of `simvp_nb.mmnist_bench.MMNIST_PRESETS`, builds SimVP at 64x64, 10 frames in and 10 out, and times
one training step (forward, MSE, backward, Adam) on a random batch with `simvp_nb.compare.train_step_seconds`: the
median of --steps steps after one warm-up step. Prints the parameters, seconds a step, and the hours that 200 epochs
of 10,000 sequences (OpenSTL's schedule) would take at that speed. --precisions times each preset in full precision
(fp32) and under autocast in bfloat16 (bf16) or float16 (fp16), and prints each one's speed-up over fp32. Run it
alone: another job on the cores slows it.
--publish writes the printout to FILE under a header naming the command and the machine.
"""

import argparse, sys
from pathlib import Path

import torch
from simvp_nb.compare import train_step_seconds
from simvp_nb.contract import model_from_config
from simvp_nb.devices import describe_machine, machine, pick_device
from simvp_nb.mmnist_bench import MMNIST_PRESETS, SEQUENCES, mmnist_setup

PRECISIONS = {'fp32': None, 'bf16': torch.bfloat16, 'fp16': torch.float16}  # autocast's dtype; None: none


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--presets', default='cpu,gpu', help='comma-separated presets')
    ap.add_argument('--precisions', default='fp32', help='comma-separated: fp32, bf16, fp16')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--steps', type=int, default=3)
    ap.add_argument('--device', default=None)
    ap.add_argument('--publish', default=None, help='write the printout to this file')
    a = ap.parse_args()
    presets, precisions = a.presets.split(','), a.precisions.split(',')
    if bad := [p for p in precisions if p not in PRECISIONS]:
        ap.error(f'unknown precisions {bad}; choose from {list(PRECISIONS)}')
    precisions = sorted(set(precisions), key=list(PRECISIONS).index)  # fp32 first: the others' speed-up is over it
    if unknown := [p for p in presets if p not in MMNIST_PRESETS]:
        ap.error(f'unknown presets {unknown}')
    if a.batch < 1 or a.steps < 1:
        ap.error('--batch and --steps must be positive')
    if a.publish and not Path(a.publish).parent.is_dir():
        ap.error(f'no folder for --publish {a.publish}')
    device = pick_device(a.device)
    lines = [
        '| preset | precision | parameters | seconds a step (batch %d) | speed-up over fp32 | 200 epochs of %d sequences |'
        % (a.batch, SEQUENCES['n_train']),
        '|---|---|---:|---:|---:|---:|',
    ]
    for p in presets:
        name, mc, _ = mmnist_setup(p)
        torch.manual_seed(0)
        model = model_from_config(name, mc)
        params = sum(t.numel() for t in model.parameters())
        fp32 = None
        for precision in precisions:
            sec = train_step_seconds(model, a.batch, a.steps, warmup=1, device=device, dtype=PRECISIONS[precision])
            fp32 = sec if precision == 'fp32' else fp32
            ratio = f'{fp32 / sec:.2f}x' if fp32 else ''
            hours = sec * 200 * (SEQUENCES['n_train'] // a.batch) / 3600
            lines.append(f'| {p} | {precision} | {params / 1e6:.2f}M | {sec:.3f} | {ratio} | {hours:,.0f} h |')
            print(lines[-1], flush=True)
    text = '\n'.join(lines) + '\n'
    print(text)
    if a.publish:
        command = 'python bench/bench_mmnist.py ' + ' '.join(sys.argv[1:])
        Path(a.publish).write_text(
            f'# Moving MNIST training steps\n\n`{command}` on {describe_machine(machine())}\n\n{text}'
        )


if __name__ == '__main__':
    main()
