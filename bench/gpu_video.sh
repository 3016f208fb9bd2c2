#!/usr/bin/env bash
# The second GPU lease's checks, in one run:
#   1. the real-video benchmark at the paper's model size (`simvp_video --preset paper`, 2 minutes a model): does a
#      larger model, trained on a GPU, fill bikes.mp4's frames better than the blend of the neighbours?
#   2. the stored outputs of the `gpu`-flagged cells of nbs/02_model.ipynb and nbs/03_train.ipynb, from a GPU
#      (tools/refresh_outputs.py --flags gpu); tools/take_outputs.py then takes only those cells' outputs from the
#      notebooks it writes to OUT. The repo's notebooks are left as they were.
# Each part has its own time limit (the video part 400 s: 2 x 2 minutes of training, then scoring with up to 16
# test-time views), and the next one runs whatever happened. Everything goes to OUT/log.txt, the video
# run (tables, run.json, figures; no checkpoints) to OUT/video.tar.gz and the two notebooks to OUT/.
#
# usage: bash bench/gpu_video.sh OUT [--dry | --video]
#   --dry: the same commands, small, on this machine's CPU (preset tiny, small frames), to try the script first;
#   --video: part 1 alone.
set -u
out=${1:?usage: bash bench/gpu_video.sh OUT [--dry | --video]}
dry=${2:-}
mkdir -p "$out"
log="$out/log.txt"
source "$(dirname "$0")/gpu_parts.sh"  # part, runner, $bin; runs the machine part
runner simvp_video simvp_nb.cli

if [ "$dry" = --dry ]; then
    video=(--preset tiny --budget_minutes 0.1 --height 24 --width 56 --flow ilk --device cpu)
else
    video=(--preset paper --budget_minutes 2 --device cuda)
fi
run=$(mktemp -d)
part "video bikes, ${video[1]} preset" 400 python3 "$bin/simvp_video" --out "$run/video-bikes-gpu" "${video[@]}"
tar -czf "$out/video.tar.gz" -C "$run" --exclude='*.pt' --exclude='*.mp4' video-bikes-gpu 2>>"$log"
rm -rf "$run"

[ "$dry" = --video ] && { rm -rf "$bin"; echo "=== done ($(date -u +%H:%M:%S) UTC)" | tee -a "$log"; exit 0; }
keep=$(mktemp -d)  # the notebooks are run in place (their folder is part of their paths), then put back
cp nbs/02_model.ipynb nbs/03_train.ipynb "$keep/"
part "gpu cells with outputs" 200 python3 tools/refresh_outputs.py nbs/02_model.ipynb nbs/03_train.ipynb \
    --flags gpu --jobs 2
cp nbs/02_model.ipynb nbs/03_train.ipynb "$out/"
cp "$keep"/*.ipynb nbs/
rm -rf "$keep"
rm -rf "$bin"
echo "=== done ($(date -u +%H:%M:%S) UTC)" | tee -a "$log"
