"""Where the video benchmark's fill model gains and loses against the blend: PSNR by frame, in thirds of difficulty.

usage: python bench/video_fill_by_frame.py [RUN_DIR] [--publish FILE]

Reads the fill model of a finished `simvp_video` run (default runs/video-bikes), scores it and the blend of the two
neighbours on the same test frames as the benchmark (averaged over the views the run chose on validation), sorts the
frames by the blend's own PSNR and prints, for each third (hardest first), the blend's PSNR range and the mean PSNR the
model gains over it. Then, for the fill windows of each part of the clip (training, validation, test; one direction,
within one shot), how many there are and how many are as still as the easiest third: the blend's PSNR at least that
third's lowest. An analysis of a published run: nothing is chosen on it.
"""

import argparse, json, sys
from pathlib import Path

import numpy as np
import torch

from simvp_nb import train as TR
from simvp_nb import video as V
from simvp_nb.sequences import Task, window_arrays

BLEND = 'blend of neighbours'


def window_blend_psnr(part, part_shots) -> np.ndarray:
    "PSNR (dB, 0..255, colour) of the blend of the frames at -1 and +1 on each fill window of `part` within one shot."
    task = Task.parse(V.FILL_TASK)
    x, y = window_arrays(part, task, V.window_rows(part, task, part_shots, both_directions=False))
    mse = np.square(x[:, 1:3].astype(np.float64).mean(1) - y[:, 0]).mean((1, 2, 3))
    return 10 * np.log10(255**2 / mse)


def load_fill_run(run: Path, ap: argparse.ArgumentParser):
    "A finished `simvp_video` run's info, its clip's parts in time, their shot ids and bounds, and its fill model."
    if not (run / 'run.json').is_file() or not (run / 'fill' / 'best.pt').is_file():
        ap.error(f'{run}: not a finished simvp_video run (no run.json or fill/best.pt)')
    info = json.loads((run / 'run.json').read_text())
    s = V.read_video(V.video_file(info['clip']), size=tuple(info['resolution']))
    return info, V.split_in_time(s), V.shot_ids(s), V.time_bounds(s.T), TR.load_model(run / 'fill' / 'best.pt', 'cpu')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('run_dir', nargs='?', default='runs/video-bikes')
    ap.add_argument('--publish', help='write the table to this Markdown file')
    a = ap.parse_args()
    info, parts, shots, bounds, model = load_fill_run(Path(a.run_dir), ap)
    test, test_shots = parts[2], shots[:, bounds[2]]
    chosen = info.get('validation', {}).get('fill', {})  # as the run scored it
    views = dict(mirror=chosen.get('mirror', False), shifts=chosen.get('shifts', 1))
    view_name = V.chosen_views(chosen) if chosen else 'one view'
    metrics = V.fill_scores(test, test_shots, model, 'tvl1', torch.device('cpu'), **views)['metrics']
    model_psnr, blend_psnr = np.asarray(metrics['SimVPv2']['psnr']), np.asarray(metrics[BLEND]['psnr'])
    gain = model_psnr - blend_psnr
    rows = []
    for name, frames in zip(('hardest', 'middle', 'easiest'), np.array_split(np.argsort(blend_psnr), 3)):
        lo, hi = blend_psnr[frames].min(), blend_psnr[frames].max()
        rows.append(f'| {name} | {len(frames)} | {lo:.1f}-{hi:.1f} | {gain[frames].mean():+.2f} |')
    still = lo  # the easiest third's lowest blend PSNR
    part_rows = []
    for name, part, bound in zip(('training', 'validation', 'test'), parts, bounds):
        p = window_blend_psnr(part, shots[:, bound])
        part_rows.append(f'| {name} | {len(p)} | {np.median(p):.1f} | {(p >= still).sum()} |')
    text = '\n'.join(
        [
            f"`{' '.join(['python', 'bench/video_fill_by_frame.py'] + sys.argv[1:])}`: the fill model of "
            f"`{info['command']}` (its correction gated at scale {model.config.residual_gate:g})"
            f"{'' if view_name == 'one view' else f', {view_name} as the run chose,'} "
            f"against the blend of the two neighbours, on the {len(gain)} scored test frames, in "
            f'thirds by the blend\'s PSNR. The model is better on {(gain > 0).sum()} frames; mean PSNR '
            f'{model_psnr.mean():.2f} dB against {blend_psnr.mean():.2f} dB.',
            '',
            '| third | frames | blend PSNR (dB) | model - blend (dB) |',
            '|---|---:|---:|---:|',
            *rows,
            '',
            f"The fill windows of each part of the clip, and how many are as still as the easiest third (the blend's PSNR "
            f'at least {still:.1f} dB):',
            '',
            '| part | windows | median blend PSNR (dB) | as still |',
            '|---|---:|---:|---:|',
            *part_rows,
        ]
    )
    print(text)
    if a.publish:
        Path(a.publish).write_text(text + '\n')


if __name__ == '__main__':
    main()
