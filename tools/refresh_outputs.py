"""Execute notebooks and store their outputs (figures, tables, printed examples), for the docs site.

usage: python tools/refresh_outputs.py [NOTEBOOK ...] [--flags "slow gpu"]

Runs each notebook (default: every notebook in nbs/) top to bottom in its own folder, as nbdev_test does, and writes
the outputs back into it; cells behind test flags not given in --flags are left without outputs. Figures are drawn
with matplotlib's Agg backend at the notebooks' own sizes. A notebook that fails is left unchanged and the command
exits 1 after the others. nbdev_clean then strips execution counts and metadata, so a rerun on the same machine
changes no bytes where nothing changed.
"""
import argparse, os, subprocess, sys
from pathlib import Path

os.environ.setdefault('MPLBACKEND', 'Agg')
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory
from nbdev.process import extract_directives

root = Path(__file__).resolve().parents[1]


def skipped(cell, flags: set) -> bool:
    "Whether nbdev_test would skip `cell`: a test flag not asked for, or `#| eval: false`."
    if cell.cell_type != 'code': return True
    direc = extract_directives(cell, remove=False) or {}
    if direc.get('eval:', [''])[0].lower() == 'false': return True
    return bool(({'slow', 'gpu'} - flags) & direc.keys())


def refresh(path: Path, flags: set) -> bool:
    nb = read_nb(path)
    shell = CaptureShell(path)
    shell.run_cell('%matplotlib inline')   # figures become stored PNG outputs
    try:
        with working_directory(path.parent):
            for cell in nb.cells:
                if cell.cell_type != 'code': continue
                cell.outputs = []
                if skipped(cell, flags): continue
                shell.cell(cell)
                if shell.exc: raise shell.exc
    except Exception:
        sys.stderr.write(shell.prettytb(fname=path) + '\n')
        return False
    write_nb(nb, path)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('notebooks', nargs='*')
    ap.add_argument('--flags', default='', help='test flags whose cells run too, e.g. "slow"')
    a = ap.parse_args()
    paths = [Path(p).resolve() for p in a.notebooks] or sorted((root/'nbs').glob('*.ipynb'))
    if missing := [str(p) for p in paths if not p.is_file()]: ap.error(f'no such notebooks: {missing}')
    failed = [p.name for p in paths if not (print(f'running {p.name}', flush=True) or refresh(p, set(a.flags.split())))]
    subprocess.run(['nbdev_clean'], cwd=root, check=True)
    if failed: sys.exit(f'failed: {", ".join(failed)} (left unchanged)')


if __name__ == '__main__':
    main()
