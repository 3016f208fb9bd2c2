"""What the fill model's correction does on still frames, and what test-time variants of it would score.

usage: python bench/video_fill_variants.py [RUN_DIR]

Reads the fill model of a finished `simvp_video` run (default runs/video-bikes) and scores, on the validation and the
test part of the clip, as the benchmark scores them (`video.fill_scores`, both directions averaged): the blend of the
two neighbours, the model, the model averaged with its prediction of the left-right mirrored window, the model
averaged over the windows shifted by 0 or 1 pixel down and right (2x2 shifts; 4x4 shifts by 0-3 pixels, the encoder's
downsampling factor), each shifted back, and the blend plus half the model's correction. Then, on the test frames as
still as the easiest third of `bench/video_fill_by_frame.py` (the easiest third by the blend's PSNR), the correction's
RMS (0..255), the share of its energy in its largest 5% of pixels, and the MSE of the blend and of the model. An
analysis of a published run, for the notes: the variants are scored on the test part, so nothing may be chosen on
their test scores; only the validation columns could choose.
"""

import argparse
from pathlib import Path

import numpy as np
import torch

from simvp_nb import video as V
from video_fill_by_frame import BLEND, load_fill_run  # bench/, beside this script


def averaged(model, x, mirror: bool = False, shifts: int = 1) -> np.ndarray:
    "The model's prediction (M,C,H,W), both directions averaged, over the views `video.tta_views` makes."
    both_ways = sum(V.predict_frames(model, v, mirror=mirror, shifts=shifts) for v in (x, x[:, ::-1]))
    return both_ways[:, 0] / 2


def variants(scores, model) -> dict[str, np.ndarray]:
    "The predictions (M,C,H,W) of each variant, from the scores of `video.fill_scores`."
    blend, pred, x = scores['preds'][BLEND], scores['preds']['SimVPv2'], scores['inputs']
    return {
        BLEND: blend,
        'model': pred,
        'model and its mirror, averaged': averaged(model, x, mirror=True),
        'model over 2x2 shifts, averaged': averaged(model, x, shifts=2),
        'model over 4x4 shifts, averaged': averaged(model, x, shifts=4),
        'blend + half the correction': blend + (pred - blend) / 2,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('run_dir', nargs='?', default='runs/video-bikes')
    a = ap.parse_args()
    _, parts, shots, bounds, model = load_fill_run(Path(a.run_dir), ap)
    psnr, test = {}, None
    for name, k in (('validation', 1), ('test', 2)):
        scores = V.fill_scores(parts[k], shots[:, bounds[k]], model, 'tvl1', torch.device('cpu'))
        preds = variants(scores, model)
        psnr[name] = {m: V.video_metrics(p, scores['truth'])['psnr'] for m, p in preds.items()}
        test = (scores, preds)
    print('| prediction | validation PSNR (dB) | test PSNR (dB) |\n|---|---:|---:|')
    for m in psnr['test']:
        print(f"| {m} | {psnr['validation'][m].mean():.2f} | {psnr['test'][m].mean():.2f} |")
    scores, preds = test
    blend_psnr = psnr['test'][BLEND]
    still = np.array_split(np.argsort(blend_psnr), 3)[-1]
    truth = scores['truth'][still].astype(np.float64)
    corr = preds['model'][still] - preds[BLEND][still]
    energy = np.sort(np.square(corr).sum(1).reshape(len(still), -1), 1)
    top = energy[:, -energy.shape[1] // 20 :].sum(1) / energy.sum(1)
    mse = lambda p: np.square(np.clip(p, 0, 255) - truth).mean()
    print(
        f'\n{len(still)} still test frames (blend PSNR {blend_psnr[still].min():.1f}-{blend_psnr[still].max():.1f} dB): '
        f'correction RMS {np.sqrt(np.square(corr).mean()):.2f}, share of its energy in its largest 5% of pixels '
        f'{top.mean():.2f}; MSE blend {mse(preds[BLEND][still]):.2f}, model {mse(preds["model"][still]):.2f}'
    )


if __name__ == '__main__':
    main()
