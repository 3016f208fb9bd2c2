"""Benchmark: SimVP at the paper configuration, one training step (forward, backward, Adam) and inference.

Baseline: `SimVP(cfg, fast=False)`, the straightforward NCHW formulation that OpenSTL runs. Candidate: `fast=True`,
the same weights (loaded from the baseline's state dict) and the same function. Both are timed in one process,
interleaved round by round (the order flips every round) after a warm-up, so noise from the shared machine hits
both; medians and the ratio fast/baseline are printed. Peak memory per training step: on CPU the peak RSS above the
RSS before the step (VmHWM after resetting it through /proc/self/clear_refs) and the bytes autograd saves for the
backward pass; on CUDA torch.cuda.max_memory_allocated above the memory in use before the step.

The device path is one code path: `make_train_step` (bf16 autocast, channels_last via fast=True, torch.compile with
CUDA graphs, fused Adam) is what a GPU run takes; on CPU the defaults are fp32 eager, and `--bf16` / `--compile MODE`
exercise the autocast and compile parts of the same path on CPU.

`--allocator both` (the default on CPU) also re-runs the comparison in a child process with glibc's allocator told to
keep freed memory (MALLOC_MMAP_MAX_=0, MALLOC_TRIM_THRESHOLD_=1e12): with the default allocator every activation over
32 MB is a fresh mmap whose pages are faulted in on first touch, which costs the NCHW baseline a lot on this machine.

The floor: the step's dense convolutions and matmuls (1x1 and 3x3 convs; depthwise ones excluded) are counted from
the model (forward, input gradient where one is needed, weight gradient) and divided by the matmul rate this
machine reaches in the same run on the translator's MLP shapes (the largest share of the step). No formulation of
this function that does these matmuls can take less time, so floor/baseline is the best ratio this machine allows.

Wall time is the figure; CPU time (process_time) is printed beside it. With `--threads 1` all work runs on the
calling thread and its CPU time hardly moves when other jobs share the machine, so that ratio is the robust one.

usage: python bench/bench_model.py [--rounds 5] [--batch 16] [--threads N] [--allocator default|tuned|both]
                                   [--bf16] [--compile MODE] [--device cpu|cuda] [--iters N] [--warmup N] [--publish FILE]

--publish FILE also writes the printout, under a line naming the command and the CPU, to FILE (e.g. results/bench-model-avx2.md).
"""
import argparse, datetime, os, resource, statistics, subprocess, sys, time
import torch
import torch.nn.functional as F
from simvp_nb.model import SimVP, SimVPConfig

TUNED_ENV = {'MALLOC_MMAP_MAX_': '0', 'MALLOC_TRIM_THRESHOLD_': '1000000000000'}

def make_train_step(model, opt, amp_dtype=None, compile_mode=None):
    "One training step (MSE loss, as the paper trains): autocast when amp_dtype, torch.compile when compile_mode."
    fwd = torch.compile(model, mode=compile_mode) if compile_mode else model
    def step(x, y):
        opt.zero_grad(set_to_none=True)
        with torch.autocast(x.device.type, dtype=amp_dtype or torch.float32, enabled=amp_dtype is not None):
            loss = F.mse_loss(fwd(x).float(), y)
        loss.backward()
        opt.step()
        return loss
    return step

def make_infer(model, amp_dtype=None, compile_mode=None):
    fwd = torch.compile(model, mode=compile_mode) if compile_mode else model
    @torch.no_grad()
    def infer(x):
        with torch.autocast(x.device.type, dtype=amp_dtype or torch.float32, enabled=amp_dtype is not None):
            return fwd(x)
    return infer

def sync(device):
    if device.type == 'cuda': torch.cuda.synchronize()

def rss_kb(field):
    for line in open('/proc/self/status'):
        if line.startswith(field + ':'): return int(line.split()[1])

def saved_bytes(model, x, y):
    "Bytes of the activations autograd keeps for the backward pass of one training step (parameters excluded)."
    params = {p.untyped_storage().data_ptr() for p in model.parameters()}
    seen = {}
    def pack(t):
        s = t.untyped_storage()
        if s.data_ptr() not in params: seen[s.data_ptr()] = s.nbytes()
        return t
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        loss = F.mse_loss(model(x), y)
    loss.backward()
    model.zero_grad(set_to_none=True)
    return sum(seen.values())

def peak_step_memory(step, x, y, device):
    "Peak memory of one training step above what was in use before it (bytes), or None where it cannot be measured."
    if device.type == 'cuda':
        torch.cuda.synchronize(); before = torch.cuda.memory_allocated(); torch.cuda.reset_peak_memory_stats()
        step(x, y); torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated() - before
    try:
        import ctypes, gc
        gc.collect(); ctypes.CDLL('libc.so.6').malloc_trim(0)
        before = rss_kb('VmRSS')
        with open('/proc/self/clear_refs', 'w') as f: f.write('5')   # reset VmHWM (peak RSS) to the current RSS
        step(x, y)
        return (rss_kb('VmHWM') - before) * 1024
    except OSError: return None

def dense_flops(model, x):
    "FLOPs of one training step's dense convolutions (groups == 1, any kernel), counted with forward hooks."
    total = 0
    def hook(m, inp, out):
        nonlocal total
        fwd = 2 * out.numel() * m.in_channels * m.kernel_size[0] * m.kernel_size[1] // m.groups
        total += fwd * (3 if inp[0].requires_grad else 2)    # forward, weight gradient, input gradient if needed
    hooks = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, torch.nn.Conv2d) and m.groups == 1]
    model(x)                                                     # with autograd on: which inputs need a gradient
    for h in hooks: h.remove()
    return total

def matmul_rate(rows, width, hidden, device, dtype, reps=3):
    "FLOP/s of the MLP's matmuls (fc1 and fc2 forward, a weight gradient) on `rows` positions, best of `reps`."
    a, h = torch.randn(rows, width, device=device, dtype=dtype), torch.randn(rows, hidden, device=device, dtype=dtype)
    w1, w2 = torch.randn(hidden, width, device=device, dtype=dtype), torch.randn(width, hidden, device=device, dtype=dtype)
    work = lambda: (F.linear(a, w1), F.linear(h, w2), h.t() @ a)
    work(); best = float('inf')
    for _ in range(reps):
        sync(device); t = time.perf_counter(); work(); sync(device); best = min(best, time.perf_counter() - t)
    return 3 * 2 * rows * width * hidden / best

def fmt_s(ts): return f"median {statistics.median(ts):.3f} s (min {min(ts):.3f}, max {max(ts):.3f})"

def run(args, device):
    torch.manual_seed(0)
    cfg = SimVPConfig.paper()
    base = SimVP(cfg, fast=False).to(device)
    fast = SimVP(cfg, fast=True).to(device)
    fast.load_state_dict(base.state_dict())
    n_params = sum(p.numel() for p in base.parameters())
    x = torch.rand(args.batch, cfg.T, cfg.C, cfg.H, cfg.W, device=device)
    y = torch.rand(args.batch, cfg.T_out, cfg.C, cfg.H, cfg.W, device=device)
    amp = torch.bfloat16 if args.bf16 else None
    alloc = 'glibc kept freed memory (MALLOC_MMAP_MAX_=0)' if os.environ.get('MALLOC_MMAP_MAX_') == '0' else 'glibc default'
    print(f"SimVP paper config ({n_params:,} parameters), batch {args.batch}, {'bf16 autocast' if amp else 'fp32'}, "
          f"{device.type}{'' if device.type == 'cuda' else f', {torch.get_num_threads()} threads'}, "
          f"compile={args.compile or 'off'}, torch {torch.__version__}, {datetime.date.today()}, allocator: {alloc}")
    base.eval(); fast.eval()
    with torch.no_grad(): diff = (base(x) - fast(x)).abs().max().item()
    print(f"same weights, eval: max |fast - baseline| = {diff:.1e}")
    base.train(); fast.train()
    fused = {'fused': True} if device.type == 'cuda' else {}
    models = {'baseline': base, 'fast': fast}
    steps = {k: make_train_step(m, torch.optim.Adam(m.parameters(), 1e-3, **fused), amp, args.compile) for k, m in models.items()}
    infers = {k: make_infer(m, amp, args.compile) for k, m in models.items()}
    t0 = time.perf_counter()
    for k in models:                                        # warm-up (and compilation, when asked for)
        for _ in range(args.warmup): steps[k](x, y)
        models[k].eval()
        for _ in range(args.warmup): infers[k](x)
        models[k].train()
    sync(device)
    print(f"warm-up ({args.warmup} step(s) + {args.warmup} inference(s) each{', incl. compilation' if args.compile else ''}): {time.perf_counter() - t0:.1f} s")
    flops = dense_flops(base, x)
    H_, W_ = cfg.H // cfg.downsample, cfg.W // cfg.downsample
    mm_args = (args.batch * H_ * W_, cfg.hid_T, int(cfg.hid_T * cfg.mlp_ratio), device, amp or torch.float32)
    rates = []
    train = {k: [] for k in models}; cpu = {k: [] for k in models}; faults = {k: [] for k in models}; infer = {k: [] for k in models}
    n = args.iters                                           # steps per timing sample (many on a GPU)
    for r in range(args.rounds):
        for k in (list(models) if r % 2 == 0 else list(models)[::-1]):
            f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt; c0 = time.process_time(); sync(device); t = time.perf_counter()
            for _ in range(n): steps[k](x, y)
            sync(device)
            train[k].append((time.perf_counter() - t) / n); cpu[k].append((time.process_time() - c0) / n)
            faults[k].append((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0) / n)
            models[k].eval(); sync(device); t = time.perf_counter()
            for _ in range(n): infers[k](x)
            sync(device)
            infer[k].append((time.perf_counter() - t) / n); models[k].train()
        rates.append(matmul_rate(*mm_args))
    print(f"training step (forward, backward, Adam), {args.rounds} interleaved rounds of {n} step(s):")
    for k in models:
        print(f"  {k:8s} {fmt_s(train[k])}; {1 / statistics.median(train[k]):.2f} it/s; "
              f"CPU time median {statistics.median(cpu[k]):.2f} s; page faults/step median {statistics.median(faults[k]):,.0f}")
    print(f"  ratio fast/baseline (medians): {statistics.median(train['fast']) / statistics.median(train['baseline']):.3f}"
          f"   (speed-up {statistics.median(train['baseline']) / statistics.median(train['fast']):.2f}x); "
          f"CPU time ratio {statistics.median(cpu['fast']) / statistics.median(cpu['baseline']):.3f}")
    rate = statistics.median(rates)
    print(f"  floor: {flops / 1e9:.0f} GFLOP of dense convs and matmuls per step at {rate / 1e9:.0f} GFLOP/s "
          f"(this run's matmul rate on the MLP's shapes, median of rounds) = {flops / rate:.3f} s; "
          f"floor/baseline {flops / rate / statistics.median(train['baseline']):.3f}")
    print(f"inference (eval, no_grad), same rounds:")
    for k in models: print(f"  {k:8s} {fmt_s(infer[k])}")
    print(f"  ratio fast/baseline (medians): {statistics.median(infer['fast']) / statistics.median(infer['baseline']):.3f}")
    print("peak memory per training step:")
    for k in models:
        peak = peak_step_memory(steps[k], x, y, device)
        saved = saved_bytes(models[k], x, y) if not args.compile else None
        print(f"  {k:8s} {'CUDA max_memory_allocated' if device.type == 'cuda' else 'peak RSS'} above the step's start: "
              f"{'n/a' if peak is None else f'{peak / 2**20:.0f} MB'}; activations saved for backward: "
              f"{'n/a' if saved is None else f'{saved / 2**20:.0f} MB'}")

def publish(path):
    "Run this benchmark without --publish in a child, echo its printout and write it to `path` under a header line."
    argv = [a for i, a in enumerate(sys.argv[1:]) if a != '--publish' and sys.argv[i] != '--publish' and not a.startswith('--publish=')]
    from simvp_nb.devices import describe_machine, machine
    header = (f"`python bench/bench_model.py {' '.join(argv)}` on {describe_machine(machine())}, "
              f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, load average before the run {os.getloadavg()[0]:.1f}:")
    proc = subprocess.Popen([sys.executable, sys.argv[0], *argv], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in proc.stdout: print(line, end='', flush=True); lines.append(line)
    if proc.wait() != 0: print(f'benchmark failed (exit {proc.returncode}); {path} not written'); return proc.returncode
    with open(path, 'w') as f: f.write(header + '\n\n```\n' + ''.join(lines) + '```\n')
    print(f'wrote {path}')
    return 0

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--warmup', type=int, default=None, help='warm-up steps per model (default: 1 on CPU, 5 on CUDA)')
    ap.add_argument('--iters', type=int, default=None, help='steps per timing sample (default: 1 on CPU, 50 on CUDA)')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--threads', type=int, default=None, help='torch CPU threads (default: torch\'s choice); with 1, CPU time is robust to other load')
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--bf16', action=argparse.BooleanOptionalAction, default=None, help='bf16 autocast (default: on for CUDA)')
    ap.add_argument('--compile', default=None, help="torch.compile mode, e.g. max-autotune (default on CUDA: max-autotune, with CUDA graphs)")
    ap.add_argument('--allocator', choices=['default', 'tuned', 'both'], default=None, help='CPU only; default: both')
    ap.add_argument('--publish', default=None, help='also write the printout to this file')
    args = ap.parse_args()
    for k in ('rounds', 'batch', 'threads', 'iters', 'warmup'):
        v = getattr(args, k)
        if v is not None and v < (0 if k == 'warmup' else 1): ap.error(f'--{k} must be {"0 or more" if k == "warmup" else "1 or more"}, got {v}')
    if args.publish and not os.path.isdir(os.path.dirname(os.path.abspath(args.publish))):
        ap.error(f'--publish {args.publish}: its folder does not exist')
    if args.publish: sys.exit(publish(args.publish))
    device = torch.device(args.device)
    if args.threads: torch.set_num_threads(args.threads)
    if device.type == 'cuda':
        torch.backends.cudnn.benchmark = True
        if args.bf16 is None: args.bf16 = True
        if args.compile is None: args.compile = 'max-autotune'
    args.warmup = args.warmup if args.warmup is not None else (5 if device.type == 'cuda' else 1)
    args.iters = args.iters if args.iters is not None else (50 if device.type == 'cuda' else 1)
    args.bf16 = bool(args.bf16)
    alloc = args.allocator or ('both' if device.type == 'cpu' else 'default')
    tuned_now = os.environ.get('MALLOC_MMAP_MAX_') == '0'
    if alloc == 'tuned' and not tuned_now:       # the allocator is set up at process start: re-run in a child
        sys.exit(subprocess.call([sys.executable, *sys.argv], env={**os.environ, **TUNED_ENV}))
    run(args, device)
    if alloc == 'both' and not tuned_now:
        print()
        sys.stdout.flush()
        argv = ['--rounds', str(args.rounds), '--warmup', str(args.warmup), '--iters', str(args.iters), '--batch', str(args.batch), '--device', args.device,
                *(['--threads', str(args.threads)] if args.threads else []),
                '--bf16' if args.bf16 else '--no-bf16', *(['--compile', args.compile] if args.compile else []), '--allocator', 'tuned']
        subprocess.call([sys.executable, sys.argv[0], *argv], env={**os.environ, **TUNED_ENV})

if __name__ == '__main__':
    main()
