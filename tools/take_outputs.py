"""Copy the stored outputs of flagged cells from a notebook run elsewhere (a GPU machine) into the repo's notebook.

usage: python tools/take_outputs.py FROM TO [--flag gpu]
  FROM  the notebook as the other machine wrote it (tools/refresh_outputs.py --flags gpu there)
  TO    the repo's notebook; only the outputs of cells carrying `#| FLAG` change, and only where the cell's source is
        the same in both, so an edited cell never gets another cell's output

Every other cell keeps its outputs, so the page shows one machine's run everywhere but in the flagged cells.
"""

import argparse, sys

from execnb.nbio import read_nb, write_nb
from nbdev.process import extract_directives


def flagged(cell, flag: str) -> bool:
    return cell.cell_type == 'code' and flag in (extract_directives(cell, remove=False) or {})


def take(src_path, dst_path, flag: str = 'gpu') -> int:
    "Copy `flag`-ged cells' outputs from `src_path` into `dst_path`; the number of cells copied."
    src, dst = read_nb(src_path), read_nb(dst_path)
    by_source = {c.source: c for c in src.cells if flagged(c, flag)}
    n = 0
    for cell in dst.cells:
        if flagged(cell, flag):
            if cell.source not in by_source:
                raise SystemExit(f"{dst_path}: a `{flag}` cell's source differs in {src_path}; run it there again")
            cell.outputs = by_source[cell.source].get('outputs', [])
            n += 1
    write_nb(dst, dst_path)
    return n


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('src')
    ap.add_argument('dst')
    ap.add_argument('--flag', default='gpu')
    a = ap.parse_args()
    print(f"{a.dst}: outputs of {take(a.src, a.dst, a.flag)} `{a.flag}` cell(s) taken from {a.src}")
    sys.exit(0)
