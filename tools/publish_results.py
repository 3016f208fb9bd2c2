"""Copy a finished run's tables and chosen figures into results/ and the README.

usage: python tools/publish_results.py RUN_DIR NAME
  RUN_DIR  a folder written by `simvp_paper` (results.md, run.json, figures/), by `simvp_compare` (compare.md,
           compare.json), or by a benchmark command, `simvp_mmnist` or `simvp_video` (run.json names the benchmark)
  NAME     a short name, e.g. cpu-table2; files go to results/NAME.md and results/NAME_*.png

The README's block between `<!-- results:NAME:start -->` and `<!-- results:NAME:end -->` is replaced by
the run's command, machine, timing and its main table, so every number there comes from the run.
"""

import json, re, shutil, sys
from pathlib import Path

from simvp_nb.devices import describe_machine

root = Path(__file__).resolve().parents[1]


def short(command):
    "A recorded command line without the virtual environment's path to the script."
    for prog in ('simvp_paper', 'simvp_compare', 'simvp_mmnist', 'simvp_video'):
        if prog in command:
            return prog + ' ' + command.split(prog, 1)[-1].strip()
    return command


def replace_block(name, body):
    readme = (root / 'README.md').read_text()
    start, end = f'<!-- results:{name}:start -->', f'<!-- results:{name}:end -->'
    if start not in readme:
        raise SystemExit(f'README has no {start} marker')
    pre, rest = readme.split(start, 1)
    _, post = rest.split(end, 1)
    (root / 'README.md').write_text(pre + start + '\n' + body + end + post)


def publish_comparison(run, name):
    from simvp_nb.compare import compare_tables

    info = json.loads((run / 'compare.json').read_text())
    md = compare_tables(info)  # the tables as the current code renders them from compare.json
    (run / 'compare.md').write_text(md)
    dest = root / 'results'
    dest.mkdir(exist_ok=True)
    runs = {m: json.loads((run / m / 'run.json').read_text()) for m in info['models']}
    per_model = ', '.join(
        f"{m}: "
        + ('trained by this command' if r['command'].startswith('run_paper(') else f"`{short(r['command'])}`, reused")
        for m, r in runs.items()
    )
    header = (
        f"Produced by `{short(info['command'])}` (each model's training time and steps are in the cost table; "
        f"the runs it trained or reused: {per_model}).\n\n"
    )
    (dest / f'{name}.md').write_text(f'# {name}\n\n' + header + md)
    shutil.copy(
        run / 'compare.json', dest / f'{name}.json'
    )  # the raw rows, so later table layouts can be rendered from them
    figs = sorted(p.name for p in (run / 'figures').glob('side_by_side_*.png'))
    for f in figs:
        shutil.copy(run / 'figures' / f, dest / f'{name}_{f}')
    body = (
        header
        + md.replace('\n### ', '\n#### ')
        + '\n'
        + ' '.join(f'![{f}](results/{name}_{f})' for f in figs if 'median' in f)
        + '\n'
    )
    replace_block(name, body)
    print(f'published comparison {run} as {name}')


README_FIGURES = {'mmnist': ('curves.png', 'median.png'), 'video': ('fill_median.png', 'fill_strip.png')}


def publish_benchmark(run, name, info):
    "A benchmark run (Moving MNIST, real video): its tables under a header naming command, machine, steps and time."
    if info['benchmark'] == 'video':  # rendered again by the current code, the models read from their checkpoints
        from simvp_nb.video import model_configs, results_markdown

        rows = json.loads((run / 'results.json').read_text())
        (run / 'results.md').write_text(results_markdown(rows, {'models': model_configs(run), **info}))
    md = (run / 'results.md').read_text()
    dest = root / 'results'
    dest.mkdir(exist_ok=True)
    header = (
        f"Produced by `{short(info['command'])}` on {describe_machine(info['machine'], with_platform=True)}; "
        f"epochs trained: {info['epochs']}; optimiser steps: {info['steps']}; time: {info['timing']}.\n\n"
    )
    (dest / f'{name}.md').write_text(f'# {name}\n\n' + header + md)
    shutil.copy(run / 'results.json', dest / f'{name}.json')
    figs = sorted(p.name for p in (run / 'figures').glob('*.png'))
    for f in figs:
        shutil.copy(run / 'figures' / f, dest / f'{name}_{f}')
    shown = [f for f in README_FIGURES.get(info['benchmark'], ()) if f in figs]
    body = header + md.replace('\n### ', '\n#### ').replace('### ', '#### ', 1)
    body += '\n' + ' '.join(f'![{f}](results/{name}_{f})' for f in shown) + '\n'
    replace_block(name, body)
    print(f'published benchmark {run} as {name}')


def main(run_dir, name):
    run = Path(run_dir)
    if (run / 'compare.json').is_file():
        return publish_comparison(run, name)
    info = json.loads((run / 'run.json').read_text())
    md = (run / 'results.md').read_text()
    if 'benchmark' in info:
        return publish_benchmark(run, name, info)
    dest = root / 'results'
    dest.mkdir(exist_ok=True)
    m = info['machine']
    import torch

    steps = {t: torch.load(run / t / 'last.pt', weights_only=True).get('steps_planned') for t in info['epochs']}
    command = short(info['command'])
    if command.startswith('run_paper('):  # trained from Python (e.g. by simvp_compare): the equivalent command line
        command = (
            f"simvp_paper --preset {info['preset']} --model {info.get('model', 'simvp')} --table {info['table']} "
            f"--seed {info['seed']} --data_seed {info['data_seed']} --out {run_dir}"
        )
    header = (
        f"Produced by `{command}` on {describe_machine(m, with_platform=True)}; "
        f"epochs trained: {info['epochs']}; optimiser steps: {steps}; time: {info['timing']}.\n\n"
    )
    (dest / f'{name}.md').write_text(f'# {name}\n\n' + header + md)
    figs = []
    for f in ('n6_frame16_best.png', 'n6_frame16_worst.png', 'n3_frame4_best.png', 'n3_frame4_worst.png'):
        if (run / 'figures' / f).exists():
            shutil.copy(run / 'figures' / f, dest / f'{name}_{f}')
            figs.append(f'{name}_{f}')
    if (run / 'extrapolate' / 'loss.png').exists():
        shutil.copy(run / 'extrapolate' / 'loss.png', dest / f'{name}_loss.png')
    first = md.split('\n### ')[0] if md.startswith('### ') else md
    blocks = re.split(r'(?m)^### ', md)
    main_tables = [b for b in blocks if b.startswith('Frames 4+16')]
    body = header + '\n'.join('#### ' + b.strip() + '\n' for b in main_tables)
    if figs:
        body += '\n' + ' '.join(f'![{f}](results/{f})' for f in figs[:2]) + '\n'
    body += f'\nAll tables (frames 4 and 16 apart, true interpolation): [results/{name}.md](results/{name}.md)\n'
    replace_block(name, body)
    print(f'published {run} as {name}')


if __name__ == '__main__':
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
