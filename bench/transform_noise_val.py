"""How the transformation model's handling of noisier inputs was tuned: its validation error under the `noise` corruption, per setting.

usage: python bench/transform_noise_val.py CHECKPOINT [--shrink 0.25,0.5,0.75] [--smooth 0,0.7,1]
                                           [--temper 1,0.5,0.25,0] [--seed 1] [--publish FILE]

Loads a trained TransformModel checkpoint (e.g. runs/compare/transform/extrapolate/best.pt) and
scores it on its own validation windows (whole held-out n6 sequences, from the checkpoint's
`data_seed` and `val_frac`), clean and with the spec's `noise` corruption drawn from --seed. The
target is the frame after the inputs, never a removed frame, so no test frame enters the choice
(DATA_SPEC §3). Prints Markdown tables: MSE/10 and SSIM with the extra-noise handling off and with
the checkpoint's own settings, then the `noise` MSE/10 for every `shrink` x `noisy_smooth` x
`noisy_temper`. These settings only act on inputs noisier than the training inputs, so they need
no retraining and leave the clean scores unchanged.
"""
import argparse, dataclasses, sys
from pathlib import Path
import numpy as np
import torch
from simvp_nb import data as D, train as TR
from simvp_nb.metrics import frame_metrics


def floats(s: str) -> list[float]:
    try: v = [float(t) for t in s.split(',') if t.strip()]
    except ValueError: raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {s!r}") from None
    if not v or any(x < 0 for x in v): raise argparse.ArgumentTypeError(f"expected numbers >= 0, got {s!r}")
    return v


def validation_windows(ck: dict):
    "The checkpoint's validation windows (X (M,T,H,W), Y (M,1,H,W)) uint8."
    tc, mc = ck['train_config'], ck['model_config']
    rel = D.make_releases(tc['data_seed'])['n6']
    _, va = D.split_sequences(len(rel.frames), tc['val_frac'], seed=tc['data_seed'])
    return D.train_windows(rel.frames[va], mc['T'], 1)


def scores(model, X, Y):
    x = torch.from_numpy(X).float().div(255).unsqueeze(2)
    with torch.no_grad(): pred = torch.cat([model(x[i:i + 256])[:, 0, 0] for i in range(0, len(x), 256)])
    m = frame_metrics(pred.clamp(0, 1) * 255, torch.from_numpy(Y[:, 0]).float())
    return m['mse'].mean().item() / 10, m['ssim'].mean().item()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('checkpoint', type=Path)
    ap.add_argument('--shrink', type=floats, default=[0.25, 0.5, 0.75])
    ap.add_argument('--smooth', type=floats, default=[0, 0.7, 1])
    ap.add_argument('--temper', type=floats, default=[1, 0.5, 0.25, 0])
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--publish', type=Path)
    a = ap.parse_args(argv)
    if any(t > 1 for t in a.temper): ap.error(f"--temper values must be in [0, 1], got {a.temper}")
    try: ck = TR.load_checkpoint(a.checkpoint)
    except (FileNotFoundError, ValueError) as e: ap.error(str(e))
    if ck['model'] != 'transform': ap.error(f"{a.checkpoint} holds a {ck['model']!r} model, not 'transform'")
    model = TR.load_model(a.checkpoint)
    X, Y = validation_windows(ck)
    Xn = D.corrupt(X, 'noise', np.random.default_rng(a.seed))
    base = dataclasses.replace(model.config, extra_noise=True)
    own = f'shrink {base.shrink:g}, noisy_smooth {base.noisy_smooth:g}, noisy_temper {base.noisy_temper:g}'
    lines = [f'Validation windows of `{a.checkpoint}` ({len(X)} windows, both directions), frame after the inputs, '
             f'observed target; `noise` drawn with seed {a.seed}.', '',
             '| setting | clean MSE/10 | clean SSIM | noise MSE/10 | noise SSIM |', '|---|---:|---:|---:|---:|']
    for name, cfg in (('extra-noise handling off', dataclasses.replace(base, extra_noise=False)), (own, base)):
        model.config = cfg
        (mc, sc), (mn, sn) = scores(model, X, Y), scores(model, Xn, Y)
        lines.append(f'| {name} | {mc:.2f} | {sc:.3f} | {mn:.2f} | {sn:.3f} |')
        print(lines[-1], flush=True)
    lines += ['', '`noise` MSE/10 per setting (rows: `shrink`, `noisy_smooth`; columns: `noisy_temper`):', '',
              '| shrink | noisy_smooth | ' + ' | '.join(f'temper {t:g}' for t in a.temper) + ' |', '|---:|---:|' + '---:|' * len(a.temper)]
    for s in a.shrink:
        for sm in a.smooth:
            cells = []
            for t in a.temper:
                model.config = dataclasses.replace(base, shrink=s, noisy_smooth=sm, noisy_temper=t)
                cells.append(f'{scores(model, Xn, Y)[0]:.2f}')
            lines.append(f'| {s:g} | {sm:g} | ' + ' | '.join(cells) + ' |')
            print(lines[-1], flush=True)
    text = '\n'.join(lines) + '\n'
    print(text)
    if a.publish: a.publish.write_text(text); print(f'wrote {a.publish}')

if __name__ == '__main__':
    sys.exit(main())
