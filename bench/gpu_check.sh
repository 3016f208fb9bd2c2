#!/usr/bin/env bash
# The GPU checks in one run, for a machine lent for a few minutes:
#   1. the `gpu`-flagged cells of nbs/02_model.ipynb (with every unflagged cell);
#   2. one epoch of the Moving MNIST `gpu` preset (SimVP+gSTA-S, 10,000 sequences, bf16), scored on 1,000 test
#      sequences: `simvp_mmnist --preset gpu --epochs 1 --n_test 1000`;
#   3. the paper configuration's training step, bf16, channels_last, torch.compile (bench/bench_model.py);
#   4. the `gpu`-flagged cells of nbs/03_train.ipynb (a short compiled run);
#   5. the step time of the Moving MNIST presets (bench/bench_mmnist.py, fp32 eager).
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
bin=$(mktemp -d)  # fastcore's call_parse reads the command line only in a file run as a script, not in python -c
printf 'from nbdev.test import nbdev_test\nnbdev_test()\n' >"$bin/nbdev_test"
printf 'from simvp_nb.cli import simvp_mmnist\nsimvp_mmnist()\n' >"$bin/simvp_mmnist"

part() {  # part NAME SECONDS COMMAND...: run COMMAND under a time limit, its output into the log
    local name=$1 limit=$2 start=$SECONDS rc
    shift 2
    echo "=== $name ($(date -u +%H:%M:%S) UTC, limit ${limit} s): $*" | tee -a "$log"
    timeout "$limit" "$@" >>"$log" 2>&1
    rc=$?
    echo "=== $name: exit $rc after $((SECONDS - start)) s" | tee -a "$log"
}

part machine 30 bash -c 'nvidia-smi -L 2>/dev/null; nproc; python3 -c "import torch, sys; print(sys.version.split()[0],
    torch.__version__, torch.cuda.is_available() and torch.cuda.get_device_name())"'

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
part "mmnist step times" 40 python3 bench/bench_mmnist.py --presets "$presets" --device "$device" --steps 5 \
    --publish "$out/bench-mmnist-$device.md"
rm -rf "$bin"
echo "=== done ($(date -u +%H:%M:%S) UTC)" | tee -a "$log"
