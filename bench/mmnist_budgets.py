"""What more training time buys on Moving MNIST: runs of one model that differ in their time budget alone.

usage: python bench/mmnist_budgets.py RUN_DIR [RUN_DIR ...] [--publish FILE]

Reads finished `simvp_mmnist` runs of the same model, preset, seeds, digits and test set (made with different
`--budget_minutes`) and prints a row per run, shortest training first: the budget it was given, the time it trained, optimiser steps, epochs, the
model's MSE, SSIM and PSNR on the test set, and its MSE on the first and the last predicted frame; under it the blank
frame's MSE on that test set and half of it. --publish writes the printout to FILE under a header naming the command,
the runs' own commands and their machines, and the unrounded scores beside it (FILE with .json).
"""

import argparse, json, sys
from pathlib import Path

from simvp_nb.devices import describe_machine
from simvp_nb.train import load_checkpoint

SAME = ('benchmark', 'model', 'preset', 'seed', 'data_seed', 'digits', 'sequences', 'batch_size')  # all but the budget
BLANK = 'blank frame'


def read_run(run: Path, ap: argparse.ArgumentParser) -> tuple[dict, dict]:
    "A finished run's run.json, with the time budget its checkpoint records, and its results.json."
    if not all((run / f).is_file() for f in ('run.json', 'results.json', 'train/last.pt')):
        ap.error(f'{run}: not a finished simvp_mmnist run (no run.json, results.json or train/last.pt)')
    info = json.loads((run / 'run.json').read_text())
    if info.get('benchmark') != 'mmnist':
        ap.error(f'{run}: a {info.get("benchmark")!r} run, not a Moving MNIST one')
    budget = load_checkpoint(run / 'train' / 'last.pt')['train_config']['budget_minutes']
    return {**info, 'budget_minutes': budget}, json.loads((run / 'results.json').read_text())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('runs', nargs='+', help='finished simvp_mmnist run folders')
    ap.add_argument('--publish', help='write the printout to this Markdown file')
    a = ap.parse_args()
    if a.publish and not Path(a.publish).parent.is_dir():
        ap.error(f'no folder for --publish {a.publish}')
    runs = sorted((read_run(Path(r), ap) for r in a.runs), key=lambda r: r[0]['timing']['train (s)'])
    for k in SAME:
        if len({json.dumps(info[k], sort_keys=True) for info, _ in runs}) > 1:
            ap.error(f'the runs differ in {k}, not in their budget alone')
    rows = []
    for info, res in runs:
        model = res['rows'][0]  # the model's row comes first, then the yardsticks
        curve = res['curves'][model['method']]['mse']
        rows.append(
            dict(
                command=info['command'],
                budget_minutes=info['budget_minutes'],
                train_seconds=info['timing']['train (s)'],
                steps=info['steps'],
                epochs=info['epochs'],
                **{k: model[k] for k in ('mse', 'mae', 'ssim', 'psnr')},
                mse_first=curve[0],
                mse_last=curve[-1],
                blank_mse=next(row['mse'] for row in res['rows'] if row['method'] == BLANK),
            )
        )
    lines = [
        '| budget (min) | training (min) | steps | epochs | MSE | SSIM | PSNR (dB) | MSE frame 11 | MSE frame 20 |',
        '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ]
    for r in rows:
        lines.append(
            f"| {r['budget_minutes']:g} | {r['train_seconds'] / 60:.1f} | {r['steps']} | {r['epochs']} | {r['mse']:.2f} | {r['ssim']:.4f} "
            f"| {r['psnr']:.2f} | {r['mse_first']:.1f} | {r['mse_last']:.1f} |"
        )
    blank = rows[0]['blank_mse']  # one test set: the same for every run
    lines += ['', f'The blank frame scores MSE {blank:.2f} on this test set; half of it is {blank / 2:.2f}.']
    text = '\n'.join(lines) + '\n'
    print(text)
    if a.publish:
        command = ' '.join(['python', 'bench/mmnist_budgets.py'] + sys.argv[1:])
        made = '; '.join(f"`{info['command']}` on {describe_machine(info['machine'])}" for info, _ in runs)
        info = runs[0][0]
        head = (
            f"`{command}`: {len(runs)} runs of Moving MNIST's `{info['preset']}` preset ({info['model']}, seed "
            f"{info['seed']}, data seed {info['data_seed']}, {info['sequences']['n_test']:,} test sequences) that "
            f"differ in their training time alone. MSE: per-frame sums on [0, 1]. The runs: {made}.\n\n"
        )
        Path(a.publish).write_text(head + text)
        Path(a.publish).with_suffix('.json').write_text(json.dumps(rows, indent=1) + '\n')


if __name__ == '__main__':
    main()
