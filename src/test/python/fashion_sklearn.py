"""The scikit-learn peer of ntk4j's Fashion-MNIST run (docs/LEARNING.md, "Fashion-MNIST in full"):
Nystroem (RBF kernel, M components drawn from the training part) + RidgeClassifier, with the
same protocol as `ntk4j classify --solver falkon --test-data ...`: pixels standardised per
feature with the training part's mean and standard deviation (a constant pixel set to 0), a
stratified validation split of the 60,000 training images (--validation, default 0.1) to choose
gamma and alpha, the chosen model refitted on all 60,000 images with the same components, the
score on the 10,000 test images, which play no part in the choice.

Run as a whole process, alternating with ntk4j, under /usr/bin/time -v (time and peak memory):
  /usr/bin/time -v python3 src/test/python/fashion_sklearn.py --components 5000
Prints one JSON line: test_accuracy, validation_accuracy, chosen gamma/alpha, seconds, versions.
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import scipy
import sklearn
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import RidgeClassifier


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data[4 + 4 * dims:], np.uint8).reshape(shape)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--components", type=int, default=5000)
    ap.add_argument("--validation", type=float, default=0.1)
    ap.add_argument("--gamma", default="0.5,1,2", help="gamma times 1/(d * var), var = 1 after standardising")
    ap.add_argument("--alpha", default="1e-3,1e-2,1e-1")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    t0 = time.time()
    x = idx(os.path.join(a.dir, "train-images-idx3-ubyte.gz")).reshape(60000, -1).astype(np.float64)
    y = idx(os.path.join(a.dir, "train-labels-idx1-ubyte.gz")).astype(int)
    xt = idx(os.path.join(a.dir, "t10k-images-idx3-ubyte.gz")).reshape(10000, -1).astype(np.float64)
    yt = idx(os.path.join(a.dir, "t10k-labels-idx1-ubyte.gz")).astype(int)
    rng = np.random.RandomState(a.seed)
    val = np.zeros(len(y), bool)
    for c in range(10):
        members = np.flatnonzero(y == c)
        rng.shuffle(members)
        val[members[:int(round(a.validation * len(members)))]] = True
    tr = ~val
    mean = x[tr].mean(0)
    sd = x[tr].std(0)
    inv = np.where(sd > 0, 1 / np.where(sd > 0, sd, 1), 0)
    xs = (x - mean) * inv
    xts = (xt - mean) * inv
    d = x.shape[1]
    best = None
    trials = []
    for g in [float(v) for v in a.gamma.split(",")]:
        ny = Nystroem(kernel="rbf", gamma=g / d, n_components=a.components, random_state=a.seed).fit(xs[tr])
        ftr = ny.transform(xs[tr])
        fval = ny.transform(xs[val])
        for al in [float(v) for v in a.alpha.split(",")]:
            acc = RidgeClassifier(alpha=al).fit(ftr, y[tr]).score(fval, y[val])
            trials.append({"gamma": g / d, "alpha": al, "validation_accuracy": acc})
            if best is None or acc > best[0]:
                best = (acc, g, al, ny)
        del ftr, fval
    acc, g, al, ny = best
    clf = RidgeClassifier(alpha=al).fit(ny.transform(xs), y)
    test = clf.score(ny.transform(xts), yt)
    print(json.dumps({"test_accuracy": test, "validation_accuracy": acc, "gamma": g / d, "alpha": al,
                      "components": a.components, "trials": trials, "seconds": time.time() - t0,
                      "sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}))


if __name__ == "__main__":
    main()
