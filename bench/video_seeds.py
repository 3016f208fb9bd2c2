"""How much the video benchmark's scores move with the seed: runs of one clip that differ in their seed alone.

usage: python bench/video_seeds.py RUN_DIR [RUN_DIR ...] [--publish FILE]

Reads finished `simvp_video` runs of the same clip, size, split, preset, budget, flow and model settings, made with
different `--seed`s (the seed draws the weights' initialisation and the batches' order), and prints, per task, each
method's mean score over the runs with its lowest and highest beside it (`simvp_nb.video.seed_spread`). The
baselines learn nothing, so their range is nil; the model's range is what one seed's table cannot show. Then, per run,
the model's fill PSNR against the blend of the two neighbours. --publish writes the printout to FILE under a header
naming the command, the fill model's gate, the runs' own commands and their machines, and the unrounded scores beside
it (FILE with .json).
"""

import argparse, json, sys
from pathlib import Path

from simvp_nb import video as V
from simvp_nb.devices import describe_machine

BLEND = 'blend of neighbours'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('runs', nargs='+', help='finished simvp_video run folders')
    ap.add_argument('--publish', help='write the printout to this Markdown file')
    a = ap.parse_args()
    if a.publish and not Path(a.publish).parent.is_dir():
        ap.error(f'no folder for --publish {a.publish}')
    try:
        spread = V.seed_spread(a.runs)
    except ValueError as e:
        ap.error(str(e))
    infos = [json.loads((Path(r) / 'run.json').read_text()) for r in a.runs]
    lines = []
    for task, title in V.TASK_TITLES.items():
        lines += [f'#### {title}', '', V.spread_table(spread, task), '']
    lines += [
        '#### Fill, run by run',
        '',
        '| seed | views (chosen on validation) | SimVPv2 PSNR (dB) | blend PSNR (dB) | SimVPv2 - blend (dB) | steps |',
        '|---:|---|---:|---:|---:|---:|',
    ]
    for r, info in zip(a.runs, infos):
        fill = {
            row['method']: row['psnr']
            for row in json.loads((Path(r) / 'results.json').read_text())
            if row['task'] == 'fill'
        }
        lines.append(
            f"| {info['seed']} | {V.chosen_views(info['validation']['fill'])} | {fill['SimVPv2']:.2f} | {fill[BLEND]:.2f} | {fill['SimVPv2'] - fill[BLEND]:+.2f} "
            f"| {info['steps']['fill']} |"
        )
    text = '\n'.join(lines) + '\n'
    print(text)
    if a.publish:
        command = ' '.join(['python', 'bench/video_seeds.py'] + sys.argv[1:])
        made = '; '.join(
            f"`{info['command']}` on {describe_machine(info['machine'])}"
            + (f", scored again by `{info['rescored']}`" if 'rescored' in info else '')
            for info in infos
        )
        i, gate = infos[0], V.model_configs(a.runs[0])['fill']['residual_gate']  # seed_spread: the same in every run
        head = (
            f"`{command}`: {len(infos)} runs of the video benchmark on {i['clip']} at {i['resolution'][0]}x"
            f"{i['resolution'][1]}, preset `{i['preset']}`, {i['budget_minutes']:g} minutes a model, the fill model's "
            f"correction gated at scale {gate:g}, seeds "
            f"{', '.join(str(x['seed']) for x in infos)}. Each score: the mean over the runs, the lowest and the "
            f"highest in brackets. The runs: {made}."
        )
        Path(a.publish).write_text(head + '\n\n' + text)
        runs = [
            {k: info[k] for k in ('seed', 'command', 'rescored', 'steps', 'validation') if k in info} for info in infos
        ]
        Path(a.publish).with_suffix('.json').write_text(json.dumps(dict(runs=runs, spread=spread), indent=1) + '\n')


if __name__ == '__main__':
    main()
