"""The scikit-learn peer of ntk4j's Fashion-MNIST run (docs/LEARNING.md, "Fashion-MNIST in full"):
Nystroem (RBF kernel, M components drawn from the training part) + RidgeClassifier, with the
same protocol as `ntk4j classify --solver falkon --test-data ...`: pixels standardised per
feature with the training part's mean and standard deviation (a constant pixel set to 0), or
with --preprocess sphere each image centred and scaled to norm sqrt(784) as ntk4j does (sqrt-sphere:
the square roots of the pixels, then the same), a
stratified validation split of the 60,000 training images (--validation, default 0.1; the same
images as ntk4j's split for the same --seed, by a copy of java.util.Random) to choose gamma and alpha, the chosen model refitted on all 60,000 images with the same components, the
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


class JavaRandom:
    """java.util.Random (the 48-bit LCG of its javadoc), enough for Collections.shuffle: the split
    below is then the very split of ntk4j's HoldoutSelection.split for the same --seed."""

    def __init__(self, seed):
        self.s = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)

    def next(self, bits):
        self.s = (self.s * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        v = self.s >> (48 - bits)
        return v - (1 << 32) if v >= 1 << 31 else v

    def next_int(self, bound):
        if bound & -bound == bound:
            return (bound * self.next(31)) >> 31
        while True:
            bits = self.next(31)
            val = bits % bound
            if bits - val + (bound - 1) < 1 << 31:  # no 32-bit overflow: accept
                return val


def java_split(y, fraction, seed):
    """ntk4j's stratified split: per class (in label order) the members in file order, shuffled by
    Collections.shuffle with one java.util.Random(seed); the first round(f*n_c) to validation."""
    rnd = JavaRandom(seed)
    val = np.zeros(len(y), bool)
    for c in sorted(set(y.tolist())):
        members = list(np.flatnonzero(y == c))
        for i in range(len(members), 1, -1):  # Collections.shuffle on a RandomAccess list
            j = rnd.next_int(i)
            members[i - 1], members[j] = members[j], members[i - 1]
        take = int(np.floor(fraction * len(members) + 0.5))  # Math.round
        val[members[:take]] = True
    return val


def sphere(x):
    """Each row centred by its own mean and scaled to norm sqrt(d) (ntk4j --preprocess sphere)."""
    c = x - x.mean(1, keepdims=True)
    n = np.linalg.norm(c, axis=1, keepdims=True)
    return np.where(n > 0, c * np.sqrt(x.shape[1]) / np.where(n > 0, n, 1), 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--components", type=int, default=5000)
    ap.add_argument("--validation", type=float, default=0.1)
    ap.add_argument("--gamma", default="0.5,1,2", help="gamma times 1/d (a mean square of 1 per feature after either preprocessing)")
    ap.add_argument("--alpha", default="1e-3,1e-2,1e-1")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--preprocess", default="standardise", choices=["standardise", "sphere", "sqrt-sphere"])
    a = ap.parse_args()
    t0 = time.time()
    x = idx(os.path.join(a.dir, "train-images-idx3-ubyte.gz")).reshape(60000, -1).astype(np.float64)
    y = idx(os.path.join(a.dir, "train-labels-idx1-ubyte.gz")).astype(int)
    xt = idx(os.path.join(a.dir, "t10k-images-idx3-ubyte.gz")).reshape(10000, -1).astype(np.float64)
    yt = idx(os.path.join(a.dir, "t10k-labels-idx1-ubyte.gz")).astype(int)
    val = java_split(y, a.validation, a.seed)
    tr = ~val
    if a.preprocess == "sphere":
        xs, xts = sphere(x), sphere(xt)
    elif a.preprocess == "sqrt-sphere":
        xs, xts = sphere(np.sqrt(x)), sphere(np.sqrt(xt))
    else:
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
                      "components": a.components, "preprocess": a.preprocess,
                      "validation_rows": int(val.sum()), "trials": trials, "seconds": time.time() - t0,
                      "sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}))


if __name__ == "__main__":
    main()
