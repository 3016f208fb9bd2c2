"""Execute notebooks and store their outputs (figures, tables, printed examples), for the docs site.

usage: python tools/refresh_outputs.py [NOTEBOOK ...] [--flags "slow gpu"] [--jobs N]

Runs each notebook (default: every notebook in nbs/) top to bottom in its own folder, as nbdev_test does, and writes
the outputs back into it; cells behind test flags not given in --flags are not run and keep the outputs they have
(`--flags slow` runs and refreshes them too). The runs are made
reproducible: one torch thread per notebook (float sums then add up in the same order every time), progress bars off
(TQDM_DISABLE), matplotlib's Agg backend at a modest dpi with its PNG metadata fixed. nbdev_clean then strips execution
counts and metadata, so a rerun on the same machine changes no bytes where nothing changed. `--jobs 2` runs two
notebooks at a time, one per core. A notebook that fails is left unchanged and the command exits 1 after the others.
"""

import argparse, os, re, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault('MPLBACKEND', 'Agg')
os.environ.setdefault('OMP_NUM_THREADS', '1')
os.environ['TQDM_DISABLE'] = '1'

root = Path(__file__).resolve().parents[1]
FIGURE_DPI = 72  # inline figures: small files, still sharp at the notebooks' figure sizes
SETUP = f"""
%config InlineBackend.rc = {{'figure.dpi': {FIGURE_DPI}, 'savefig.dpi': {FIGURE_DPI}}}
%config InlineBackend.print_figure_kwargs = {{'bbox_inches': 'tight', 'metadata': {{'Software': None}}}}
%matplotlib inline
"""  # the backend's settings first: `%matplotlib inline` applies them when it starts


def skipped(cell, flags: set) -> bool:
    "Whether nbdev_test would skip `cell`: a test flag not asked for, or `#| eval: false`."
    from nbdev.process import extract_directives

    if cell.cell_type != 'code':
        return True
    direc = extract_directives(cell, remove=False) or {}
    if direc.get('eval:', [''])[0].lower() == 'false':
        return True
    return bool(({'slow', 'gpu'} - flags) & direc.keys())


ERASE_LINE = re.compile(r'\x1b\[2K\r?')  # what IPython's clear_output prints where no frontend can clear


def without_line_erasing(out):
    "`out` without terminal line erasing (None if nothing else is left): a static page cannot erase lines."
    if out.get('output_type') != 'stream':
        return out
    text = ERASE_LINE.sub('', ''.join(out['text']) if isinstance(out['text'], list) else out['text'])
    if not text:
        return None
    out['text'] = text
    return out


def refresh(path: Path, flags: set) -> bool:
    "Run the notebook at `path` and store its outputs; False (and the traceback on stderr) if a cell fails."
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    from fastcore.xtras import working_directory

    print(f'running {path.name}', flush=True)
    nb = read_nb(path)
    shell = CaptureShell(path)
    shell.run_cell(SETUP)
    try:
        with working_directory(path.parent):
            for cell in nb.cells:
                if cell.cell_type != 'code':
                    continue
                if skipped(cell, flags):
                    continue  # keeps the outputs of its last run with its flag: the site shows them
                cell.outputs = []
                shell.cell(cell)
                if shell.exc:
                    raise shell.exc
    except Exception:
        sys.stderr.write(shell.prettytb(fname=path) + '\n')
        return False
    for cell in nb.cells:
        if cell.cell_type == 'code':
            cell.outputs = [o for o in map(without_line_erasing, cell.outputs) if o is not None]
    write_nb(nb, path)
    subprocess.run(['nbdev_clean', '--fname', str(path)], cwd=root, check=True)
    return True


def refresh_in_subprocess(path: Path, flags: set) -> bool:
    "`refresh` in a fresh interpreter, so that no notebook sees another's state (nbdev_test runs each in its own too)."
    cmd = [sys.executable, __file__, str(path), '--flags', ' '.join(sorted(flags)), '--in_process']
    return subprocess.run(cmd).returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('notebooks', nargs='*')
    ap.add_argument('--flags', default='', help='test flags whose cells run too, e.g. "slow"')
    ap.add_argument('--jobs', type=int, default=1, help='notebooks run at a time')
    ap.add_argument('--in_process', action='store_true', help=argparse.SUPPRESS)
    a = ap.parse_args()
    paths = [Path(p).resolve() for p in a.notebooks] or sorted((root / 'nbs').glob('*.ipynb'))
    if missing := [str(p) for p in paths if not p.is_file()]:
        ap.error(f'no such notebooks: {missing}')
    if a.jobs < 1:
        ap.error(f'--jobs must be at least 1, got {a.jobs}')
    flags = set(a.flags.split())
    if a.in_process:
        sys.exit(0 if all(refresh(p, flags) for p in paths) else 1)
    with ThreadPoolExecutor(a.jobs) as pool:
        ok = list(pool.map(refresh_in_subprocess, paths, [flags] * len(paths)))
    if failed := [p.name for p, good in zip(paths, ok) if not good]:
        sys.exit(f'failed: {", ".join(failed)} (left unchanged)')


if __name__ == '__main__':
    main()
