#!/usr/bin/env bash
# The second GPU lease's checks, in one run:
#   1. the real-video benchmark at the paper's model size (`simvp_video --preset paper`, 2 minutes a model): does a
#      larger model, trained on a GPU, fill bikes.mp4's frames better than the blend of the neighbours?
#   2. the stored outputs of the `gpu`-flagged cells of nbs/02_model.ipynb and nbs/03_train.ipynb, from a GPU
#      (tools/refresh_outputs.py --flags gpu); only those cells' outputs are taken from the notebooks it writes.
# Each part has its own time limit, and the next one runs whatever happened. Everything goes to OUT/log.txt, the video
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
bin=$(mktemp -d)  # fastcore's call_parse reads the command line only in a file run as a script, not in python -c
printf 'from simvp_nb.cli import simvp_video\nsimvp_video()\n' >"$bin/simvp_video"

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
    video=(--preset tiny --budget_minutes 0.1 --height 24 --width 56 --flow ilk --device cpu)
else
    video=(--preset paper --budget_minutes 2 --device cuda)
fi
run=$(mktemp -d)
part "video bikes, ${video[1]} preset" 330 python3 "$bin/simvp_video" --out "$run/video-bikes-gpu" "${video[@]}"
tar -czf "$out/video.tar.gz" -C "$run" --exclude='*.pt' --exclude='*.mp4' video-bikes-gpu 2>>"$log"
rm -rf "$run"

[ "$dry" = --video ] && { rm -rf "$bin"; echo "=== done ($(date -u +%H:%M:%S) UTC)" | tee -a "$log"; exit 0; }
part "gpu cells with outputs" 200 python3 tools/refresh_outputs.py nbs/02_model.ipynb nbs/03_train.ipynb \
    --flags gpu --jobs 2
cp nbs/02_model.ipynb nbs/03_train.ipynb "$out/"
rm -rf "$bin"
echo "=== done ($(date -u +%H:%M:%S) UTC)" | tee -a "$log"
