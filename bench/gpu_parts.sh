# What the GPU scripts (bench/gpu_check.sh, bench/gpu_video.sh) share; sourced after they set `log`.
# `runner NAME MODULE` writes a file that runs console script NAME from MODULE into $bin (made here), because fastcore's
# call_parse reads the command line only in a file run as a script, not in python -c.
bin=$(mktemp -d)

runner() {
    printf 'from %s import %s\n%s()\n' "$2" "$1" "$1" >"$bin/$1"
}

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
