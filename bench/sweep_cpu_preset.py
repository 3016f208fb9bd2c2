"""How the `cpu` preset was chosen: train candidate SimVPv2 settings for the same short time, compare on validation.

usage: python bench/sweep_cpu_preset.py [--minutes 4] [--out runs/sweep] [--only NAME,NAME] [--publish FILE]

Each candidate trains on n6 (seed 0) for --minutes of this machine's time, then is scored on the
validation windows: whole held-out n6 sequences, the frame after the 4 inputs, 0..255 scale. No test
frame (frames 4 and 16) is used, so the choice does not peek at the test (DATA_SPEC §3). Prints a
Markdown table (also written to OUT/sweep.md) with parameters, optimiser steps reached, validation
MSE/10 and SSIM. Runs resume: rerunning skips finished candidates. Run it on an idle machine:
the step count each candidate reaches depends on it.
"""
import argparse, json, os, platform, sys, time
from pathlib import Path
import torch
from simvp_nb import data as D, train as TR
from simvp_nb.metrics import frame_metrics

BASE = dict(T=4, T_out=1, hid_S=32, hid_T=64, N_S=2, N_T=4, mlp_ratio=4.0, translator='gSTA')
CANDIDATES = {   # name: (model overrides, training overrides)
    'S32-T64-N4 lr1e-3':          ({}, dict(lr=1e-3)),
    'S32-T64-N4 lr3e-3':          ({}, dict(lr=3e-3)),
    'S32-T64-N4 lr3e-3 no-aug':   ({}, dict(lr=3e-3, augment=False)),
    'S32-T64-N4 lr3e-3 bs32':     ({}, dict(lr=3e-3, batch_size=32)),
    'S16-T128-N4 lr3e-3':         (dict(hid_S=16, hid_T=128), dict(lr=3e-3)),
    'S32-T128-N4 lr2e-3':         (dict(hid_T=128), dict(lr=2e-3)),
    'S32-T128-N4 NS4 lr3e-3':     (dict(hid_T=128, N_S=4), dict(lr=3e-3)),
}

def score(run_dir, val):
    "Validation MSE/10 and SSIM of the best checkpoint's first predicted frame."
    model = TR.load_model(Path(run_dir)/'best.pt').eval()
    ds = D.WindowDataset(*val, device='cpu')
    with torch.no_grad():
        pred = torch.cat([model(ds[torch.arange(i, min(i + 256, len(ds)))][0])[:, 0, 0] for i in range(0, len(ds), 256)]) * 255
    m = frame_metrics(pred, ds.Y[:, 0].float())
    return m['mse'].mean().item() / 10, m['ssim'].mean().item(), sum(p.numel() for p in model.parameters())

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--minutes', type=float, default=4.0)
    ap.add_argument('--out', default='runs/sweep')
    ap.add_argument('--only', default=None, help='comma-separated candidate names')
    ap.add_argument('--publish', default=None, help='also write the table to this file (e.g. results/cpu-preset-sweep.md)')
    a = ap.parse_args()
    names = a.only.split(',') if a.only else list(CANDIDATES)
    unknown = [n for n in names if n not in CANDIDATES]
    if unknown: raise SystemExit(f'unknown candidates {unknown}; choose from {list(CANDIDATES)}')
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    releases = D.make_releases(0)
    rows = []
    for name in names:
        mo, to = CANDIDATES[name]
        done = out/name.replace(' ', '_')/'score.json'
        if not done.exists():
            mc = {**BASE, **mo}
            tc = TR.TrainConfig(**{**TR.PRESETS['cpu']['train'], 'budget_minutes': a.minutes, **to})
            t0 = time.time()
            TR.train('simvp', mc, tc, done.parent, progress=False, releases=releases)
            _, val = TR.training_data(tc, 4, 1, releases)
            mse10, ssim, n_params = score(done.parent, val)
            ck = TR.load_checkpoint(done.parent/'last.pt')
            done.write_text(json.dumps(dict(name=name, params=n_params, steps=ck['steps_planned'], val_mse10=mse10,
                                            val_ssim=ssim, seconds=round(time.time() - t0, 1))))
        rows.append(json.loads(done.read_text()))
        r = rows[-1]; print(f"{r['name']:28s} params {r['params']:>9,d}  steps {r['steps']:5d}  val MSE/10 {r['val_mse10']:6.2f}  SSIM {r['val_ssim']:.4f}", flush=True)
    table = ['| candidate | params | steps | val MSE/10 | val SSIM |', '|---|---:|---:|---:|---:|']
    table += [f"| {r['name']} | {r['params']:,} | {r['steps']} | {r['val_mse10']:.2f} | {r['val_ssim']:.4f} |"
              for r in sorted(rows, key=lambda r: -r['val_ssim'])]
    cmd = 'python bench/sweep_cpu_preset.py ' + ' '.join(sys.argv[1:])
    header = (f"Produced by `{cmd.strip()}` on {platform.platform()} ({os.cpu_count()} CPUs, {torch.get_num_threads()} torch threads, "
              f"torch {torch.__version__}): each candidate trained for {a.minutes:g} minutes on n6, scored on the validation windows. "
              "Names: S = hid_S, T = hid_T, N = N_T, NS4 = N_S of 4 (else 2); all T=4 -> T_out=1, mlp_ratio 4, gSTA, one-cycle Adam, "
              "batch 16 and symmetry augmentation unless named. Steps are what each reached in the time.\n\n")
    (out/'sweep.md').write_text(header + '\n'.join(table) + '\n')
    if a.publish: Path(a.publish).write_text('# How the cpu preset was chosen\n\n' + header + '\n'.join(table) + '\n')
    print('\n'.join(table))

if __name__ == '__main__':
    main()
