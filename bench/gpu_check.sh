#!/usr/bin/env bash
# The GPU checks in one run, for a machine lent for a few minutes:
#   1. the `gpu`-flagged cells of nbs/02_model.ipynb (with every unflagged cell);
#   2. one epoch of the Moving MNIST `gpu` preset (SimVP+gSTA-S, 10,000 sequences, bf16), scored on 1,000 test
#      sequences: `simvp_mmnist --preset gpu --epochs 1 --n_test 1000`;
#   3. the paper configuration's training step, bf16, channels_last, torch.compile (bench/bench_model.py);
#   4. the `gpu`-flagged cells of nbs/03_train.ipynb (a short compiled run);
#   5. the step time of the Moving MNIST presets (bench/bench_mmnist.py, eager, fp32 and bf16).
# The most wanted figures come first. Each part has its own time limit, and the next one runs whatever happened.
# Everything goes to OUT/log.txt, the tables to OUT/*.md and the epoch's run.json to OUT/mmnist-gpu-epoch.json.
#
# usage: bash bench/gpu_check.sh OUT [--dry]
#   --dry: the same commands, small, on this machine's CPU (preset tiny, a few steps, no compilation), to try the
#   script before spending GPU time on it.
set -u
out=${1:?usage: bash bench/gpu_check.sh OUT [--dry]}
dry=${2:-}
mkdir -p "$out"
log="$out/log.txt"
source "$(dirname "$0")/gpu_parts.sh"  # part, runner, $bin; runs the machine part
runner nbdev_test nbdev.test
runner simvp_mmnist simvp_nb.cli

if [ "$dry" = --dry ]; then
    preset=tiny n_test=16 device=cpu presets=cpu
    bench_model=(--device cpu --no-bf16 --rounds 1 --iters 1 --warmup 1 --batch 2 --allocator default)
else
    preset=gpu n_test=1000 device=cuda presets=cpu,gpu
    bench_model=(--device cuda --compile default --rounds 3 --iters 20 --warmup 3 --batch 16)
fi

part "cells nbs/02_model.ipynb" 90 python3 "$bin/nbdev_test" --path nbs/02_model.ipynb --flags gpu --do_print

run=$(mktemp -d)
part "mmnist $preset epoch" 170 python3 "$bin/simvp_mmnist" --out "$run/mmnist" --preset "$preset" --epochs 1 \
    --n_test "$n_test" --device "$device" --fresh
cp "$run/mmnist/run.json" "$out/mmnist-gpu-epoch.json" 2>/dev/null
rm -rf "$run"

part "paper config step" 170 python3 bench/bench_model.py "${bench_model[@]}" --publish "$out/bench-model-$device.md"
part "cells nbs/03_train.ipynb" 100 python3 "$bin/nbdev_test" --path nbs/03_train.ipynb --flags gpu --do_print
part "mmnist step times" 40 python3 bench/bench_mmnist.py --presets "$presets" --device "$device" --steps 5 --precisions fp32,bf16 \
    --publish "$out/bench-mmnist-$device.md"
rm -rf "$bin"
echo "=== done ($(date -u +%H:%M:%S) UTC)" | tee -a "$log"
