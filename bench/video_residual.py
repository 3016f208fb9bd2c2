"""How the video benchmark's fill model was chosen: from scratch or correcting the blend, trained and gated how.

usage: python bench/video_residual.py [--epochs 8] [--only SETTING ...] [--seeds 0 1 2] [--views] [--publish FILE]

Trains the `cpu` preset's fill model (hid_S 16, batches of 4, one-cycle schedule) on the training part of bikes.mp4 for
a fixed number of epochs, so that the result does not depend on the machine's speed or load, once per setting, and
prints the validation MSE (0..255, the windows of the validation part that lie in one shot) after every epoch beside
the blend of the two neighbours. Only the validation part is used; the test part is never looked at. A setting
already trained in the work folder, with the same configuration and epochs, is scored without training it again.
With several `--seeds` (the weights' first values and the batches' order), each setting is trained once per seed and the
table gives the best validation MSE of each seed, their mean, and the mean PSNR: a choice between two settings is worth
something only where their means differ by more than the seeds spread. With --views, each chosen epoch is also scored as
the benchmark scores it (`video.fill_scores` on the validation part, both directions averaged), with one view and with
the test-time views `video.choose_views` picks for it: the mean over seeds of each.
"""

import argparse, shlex, sys
from dataclasses import asdict, replace
from pathlib import Path

import torch

from simvp_nb import train as TR
from simvp_nb import video as V
from simvp_nb.contract import config_class, config_of, model_from_config
from simvp_nb.devices import machine
from simvp_nb.sequences import Task, WindowSet

SETTINGS = {  # name: (corrects the blend?, learning rate, loss, augmentation, residual_gate)
    'from scratch, lr 3e-3': (False, 3e-3, 'mse', False, 0.0),
    'correcting the blend, lr 3e-3': (True, 3e-3, 'mse', False, 0.0),
    'correcting the blend, lr 1e-3': (True, 1e-3, 'mse', False, 0.0),
    'correcting the blend, lr 3e-4': (True, 3e-4, 'mse', False, 0.0),
    'correcting the blend, lr 1e-3, loss mse+mae': (True, 1e-3, 'mse+mae', False, 0.0),
    'correcting the blend, lr 1e-3, loss mae': (True, 1e-3, 'mae', False, 0.0),
    'correcting the blend, lr 1e-3, loss psnr': (True, 1e-3, 'psnr', False, 0.0),
    'correcting the blend, lr 1e-3, mirrored': (True, 1e-3, 'mse', 'mirror', 0.0),
    'correcting the blend, lr 1e-3, gate 0.03': (True, 1e-3, 'mse', False, 0.03),
    'correcting the blend, lr 1e-3, gate 0.06': (True, 1e-3, 'mse', False, 0.06),
    'correcting the blend, lr 1e-3, gate 0.1': (True, 1e-3, 'mse', False, 0.1),
    'correcting the blend, lr 1e-3, gate 0.15': (True, 1e-3, 'mse', False, 0.15),
    'correcting the blend, lr 1e-3, gate 0.25': (True, 1e-3, 'mse', False, 0.25),
    'correcting the blend, lr 1e-3, gate 0.1, loss psnr': (True, 1e-3, 'psnr', False, 0.1),
}


def windows(size):
    "Training and validation WindowSets of the fill task, the task, the training part, the validation part and its shots."
    s = V.read_video(V.video_file('bikes'), size=size)
    shots, bounds = V.shot_ids(s), V.time_bounds(s.T)
    parts, part_shots = V.split_in_time(s), [shots[:, b] for b in bounds]
    task = Task.parse(V.FILL_TASK)
    ws = [WindowSet(parts[i], task, V.window_rows(parts[i], task, part_shots[i]), device='cpu') for i in (0, 1)]
    return ws, task, parts[0], parts[1], part_shots[1]


def scores(pred: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    "MSE (0..255) and mean per-frame PSNR (data_range 255, over the colour channels) of predictions on [0, 1]."
    mse = (pred.clamp(0, 1) - y).mul(255).square().mean((1, 2, 3, 4))
    return float(mse.mean()), float((10 * torch.log10(255**2 / mse)).mean())


def blend_scores(val: WindowSet) -> tuple[float, float]:
    "Validation MSE and PSNR of the mean of the frames at -1 and +1 (inputs 1 and 2)."
    x, y = val[torch.arange(len(val))]
    return scores(x[:, 1:3].mean(1, keepdim=True), y)


@torch.no_grad()
def model_scores(ckpt: Path, val: WindowSet) -> tuple[float, float]:
    "Validation MSE and PSNR of the checkpoint `fit` chose (its best epoch on validation MSE)."
    model = TR.load_model(ckpt, 'cpu').eval()
    x, y = val[torch.arange(len(val))]
    return scores(model(x), y)


def views_scores(ckpt: Path, val, val_shots) -> tuple[float, float]:
    "The benchmark's validation PSNR of the checkpoint with one view, and with the views `choose_views` picks."
    c = V.choose_views('fill', val, val_shots, TR.load_model(ckpt, 'cpu'), torch.device('cpu'))
    return c['one view (dB)'], c[f"{c['views']} (dB)"]


def plan(setting: str, epochs: int, task, train, seed: int = 0):
    "The model (untrained, seeded) and TrainConfig of `setting`."
    residual, lr, loss, augment, gate = SETTINGS[setting]
    name, mc, tc = V._plan(V.FILL_TASK, 'cpu', None, seed, 'cpu', 'bikes.mp4')
    mc = {k: v for k, v in mc.items() if not k.startswith('residual_')}
    if residual:
        mc['residual_inputs'] = task.nearest_inputs()
    if gate:
        mc.update(residual_gate=gate, residual_gate_window=TR.RESIDUAL_GATE_WINDOW)
    mc = TR.sized_config(name, mc, train, task)
    torch.manual_seed(seed)
    model = model_from_config(name, mc)
    return name, model, replace(tc, budget_minutes=None, epochs=epochs, lr=lr, loss=loss, augment=augment)


def run(setting: str, epochs: int, ws, task, train, out: Path, seed: int = 0) -> list[float]:
    "Validation MSE after each epoch of `setting`, trained in `out` unless a finished run of it is there."
    name, model, tc = plan(setting, epochs, task, train, seed)
    config = asdict(config_of(model))
    if (out / 'last.pt').is_file() and (out / 'best.pt').is_file():
        ck = TR.load_checkpoint(out / 'last.pt')
        saved = asdict(config_class(name)(**ck['model_config']))  # with the defaults of fields added since
        same = (ck['model'], saved, ck['train_config']) == (name, config, asdict(tc))
        if same and ck['epoch'] == epochs:
            return ck['history']['val_mse']
    return TR.fit(model, *ws, tc, out, name, config, resume=False, progress=False)['val_mse']


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--epochs', type=int, default=8)
    ap.add_argument('--size', type=int, nargs=2, default=(68, 160))
    ap.add_argument('--publish', help='write the table to this Markdown file')
    ap.add_argument('--only', nargs='+', choices=list(SETTINGS), metavar='SETTING', help='run these settings only')
    ap.add_argument('--seeds', type=int, nargs='+', default=[0], help='train each setting once per seed')
    ap.add_argument('--work', default='runs/video-residual', help='run folders of the pilots')
    ap.add_argument(
        '--views', action='store_true', help="also score each chosen epoch as the benchmark does, with views"
    )
    a = ap.parse_args()
    if a.epochs < 1:
        ap.error(f'--epochs must be at least 1, got {a.epochs}')
    if len(set(a.seeds)) != len(a.seeds) or min(a.seeds) < 0:
        ap.error(f'--seeds must be different whole numbers of at least 0, got {a.seeds}')
    ws, task, train, val, val_shots = windows(tuple(a.size))
    blend, blend_psnr = blend_scores(ws[1])
    rows = []
    for i, setting in enumerate(SETTINGS):
        if a.only and setting not in a.only:
            continue
        best, psnrs, views = [], [], []
        for seed in a.seeds:
            out = Path(a.work) / ('' if seed == 0 else f'seed{seed}') / str(i)  # seed 0 where the first rounds left it
            curve = run(setting, a.epochs, ws, task, train, out, seed)
            best.append(min(curve))
            psnrs.append(model_scores(out / 'best.pt', ws[1])[1])
            if a.views:
                views.append(views_scores(out / 'best.pt', val, val_shots))
        extra = ''.join(f' | {sum(v[k] for v in views) / len(views):.2f}' for k in (0, 1)) if a.views else ''
        if len(a.seeds) == 1:
            rows.append(
                f"| {setting} | {' | '.join(f'{v:.1f}' for v in curve)} | {best[0]:.1f} | {psnrs[0]:.2f}{extra} |"
            )
        else:
            mean_best, mean_psnr = sum(best) / len(best), sum(psnrs) / len(psnrs)
            rows.append(
                f"| {setting} | {' | '.join(f'{v:.1f}' for v in best)} | {mean_best:.1f} | {mean_psnr:.2f}{extra} |"
            )
        print(rows[-1], flush=True)
    m = machine()
    cmd = shlex.join(['python', 'bench/video_residual.py'] + sys.argv[1:])
    what = (
        'Validation MSE (0..255) after each epoch, the best, and the mean PSNR (dB, per frame) of the epoch chosen on '
        'validation MSE'
        if len(a.seeds) == 1
        else f"With seeds {', '.join(map(str, a.seeds))}: the best validation MSE (0..255) of each seed, their mean, "
        f'and the mean over seeds of the PSNR (dB, per frame) of the epoch each chose on validation MSE'
    )
    columns = [f'epoch {e + 1}' for e in range(a.epochs)] if len(a.seeds) == 1 else [f'seed {s}' for s in a.seeds]
    bench = ['benchmark PSNR, one view', 'benchmark PSNR, views'] if a.views else []
    if a.views:
        what += (
            '; then, as the benchmark scores the validation part (both directions averaged), the PSNR of the same '
            "epoch with one view and with the views `video.choose_views` picks for it"
        )
    text = '\n'.join(
        [
            f'`{cmd}` on {m["cpu"]}, {m["cpus"]} CPUs, torch {m["torch"]}: the fill model of the `cpu` preset, '
            f'{len(ws[0])} training and {len(ws[1])} validation windows of bikes.mp4 at {a.size[0]}x{a.size[1]}, '
            f'{a.epochs} epochs each. {what}; the blend of the two neighbours scores MSE {blend:.1f} and '
            f'PSNR {blend_psnr:.2f} dB.',
            '',
            f"| setting | {' | '.join(columns)} | {'best' if len(a.seeds) == 1 else 'mean'} | PSNR |"
            + ''.join(f' {b} |' for b in bench),
            f"|---|{'---:|' * (len(columns) + 2 + len(bench))}",
            *rows,
        ]
    )
    print(text)
    if a.publish:
        Path(a.publish).write_text(text + '\n')


if __name__ == '__main__':
    main()
