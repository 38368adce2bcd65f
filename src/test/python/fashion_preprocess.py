"""Ranks input preprocessing and networks for Fashion-MNIST on the TRAINING file only (the test
file is never read): exact kernel ridge regression (numpy/scipy Cholesky) of the infinite-width
NTK/NNGP of a fully connected network (NTK parameterisation, the recursion of numpy_gram.py) on a
subset of the training images, scored on other training images. Used to choose ntk4j's
`--preprocess` for docs/LEARNING.md §10; the ridge is relative to the mean kernel diagonal, as in
ntk4j.

usage: python3 fashion_preprocess.py [--train 5000] [--score 4000] [--seed 1] SPEC...
  SPEC = preprocess:depth:activation:w_std:b_std:kernel, e.g. sphere:2:relu:1.4:0.1:ntk
  preprocess: standardise (per pixel, statistics of the first 50,000 shuffled rows), scale (x/255),
  sphere (each image centred and scaled to norm sqrt(784), ntk4j's --preprocess sphere),
  l2 (norm sqrt(784), not centred), zsphere (standardise, then sphere), sqrtsphere (sqrt of
  the pixels, then sphere), powsphereP (pixels to the power P, then sphere), logsphere (log(1+x),
  then sphere), zcaE (regularised ZCA whitening of the sphere images, eps = E times
  the mean eigenvalue, as Lee et al. 2020, then scaled to norm sqrt(784))
  --flip adds each training image's left-right mirror image (augmentation)
Prints one line per SPEC: the validation accuracy at each ridge and the seconds.
"""
import argparse
import gzip
import struct
import time

import numpy as np
import scipy.linalg as sl


def idx(path):
    b = gzip.open(path).read()
    n = b[3]
    shape = struct.unpack(">" + "I" * n, b[4:4 + 4 * n])
    return np.frombuffer(b[4 + 4 * n:], np.uint8).reshape(shape)


def sphere(a):
    c = a - a.mean(1, keepdims=True)
    n = np.linalg.norm(c, axis=1, keepdims=True)
    return np.where(n > 0, c * np.sqrt(a.shape[1]) / np.where(n > 0, n, 1), 0)


def prep(kind, a, fit):
    if kind == "standardise":
        m, s = fit.mean(0), fit.std(0)
        return (a - m) * np.where(s > 0, 1 / np.where(s > 0, s, 1), 0)
    if kind == "scale":
        return a / 255
    if kind == "sphere":
        return sphere(a)
    if kind == "sqrtsphere":
        return sphere(np.sqrt(a))
    if kind.startswith("powsphere"):
        return sphere(a ** float(kind[9:]))
    if kind == "logsphere":
        return sphere(np.log1p(a))
    if kind == "l2":
        return a / np.linalg.norm(a, axis=1, keepdims=True) * np.sqrt(a.shape[1])
    if kind == "zsphere":
        return sphere(prep("standardise", a, fit))
    if kind.startswith("zca"):
        eps = float(kind[3:] or 0.1)
        f = sphere(fit)
        mu = f.mean(0)
        w, v = np.linalg.eigh((f - mu).T @ (f - mu) / len(f))
        w = np.maximum(w, 0)
        z = (sphere(a) - mu) @ (v @ np.diag(1 / np.sqrt(w + eps * w.mean())) @ v.T)
        return z / np.linalg.norm(z, axis=1, keepdims=True) * np.sqrt(a.shape[1])
    raise ValueError(kind)


def kernel(a, b, depth, act, w, bias, kind):
    """The NNGP/NTK between rows of a and b, with the diagonal of a's (numpy_gram.py's recursion)."""
    d = a.shape[1]
    k = a @ b.T / d
    ka, kb = (a * a).sum(1) / d, (b * b).sum(1) / d
    ntk, na = np.zeros_like(k), np.zeros_like(ka)
    for layer in range(depth + 1):
        k, ka, kb = w * w * k + bias * bias, w * w * ka + bias * bias, w * w * kb + bias * bias
        ntk, na = k + w * w * ntk, ka + w * w * na
        if layer == depth:
            break
        if act == "relu":
            norms = np.sqrt(np.outer(ka, kb))
            c = np.clip(k / norms, -1, 1)
            th = np.arccos(c)
            td, tda = (np.pi - th) / (2 * np.pi), 0.5
            k = norms / (2 * np.pi) * (np.sin(th) + (np.pi - th) * c)
            ka, kb = ka / 2, kb / 2
        else:  # erf
            pa, pb = 1 + 2 * ka, 1 + 2 * kb
            td = 4 / np.pi / np.sqrt(np.outer(pa, pb) - 4 * k ** 2)
            tda = 4 / np.pi / np.sqrt(pa * pa - 4 * ka ** 2)
            k = 2 / np.pi * np.arcsin(2 * k / np.sqrt(np.outer(pa, pb)))
            ka, kb = 2 / np.pi * np.arcsin(2 * ka / pa), 2 / np.pi * np.arcsin(2 * kb / pb)
        ntk, na = ntk * td, na * tda
    return (ntk, na) if kind == "ntk" else (k, ka)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--train", type=int, default=5000)
    ap.add_argument("--score", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ridges", default="1e-4,1e-3,1e-2,1e-1")
    ap.add_argument("--flip", action="store_true")
    ap.add_argument("specs", nargs="+")
    a = ap.parse_args()
    x = idx(a.dir + "/train-images-idx3-ubyte.gz").reshape(60000, -1).astype(float)
    y = idx(a.dir + "/train-labels-idx1-ubyte.gz").astype(int)
    perm = np.random.RandomState(a.seed).permutation(60000)
    tr, va, fit = perm[:a.train], perm[50000:50000 + a.score], perm[:50000]
    for spec in a.specs:
        pre, depth, act, w, bias, kind = spec.split(":")
        t = time.time()
        xa = x[tr]
        ya = y[tr]
        if a.flip:
            xa = np.vstack([xa, xa.reshape(-1, 28, 28)[:, :, ::-1].reshape(-1, 784)])
            ya = np.r_[ya, ya]
        pa, pv = prep(pre, xa, x[fit]), prep(pre, x[va], x[fit])
        k, diag = kernel(pa, pa, int(depth), act, float(w), float(bias), kind)
        kv, _ = kernel(pv, pa, int(depth), act, float(w), float(bias), kind)
        t1 = -np.ones((len(ya), 10))
        t1[np.arange(len(ya)), ya] = 1
        out = []
        for r in [float(v) for v in a.ridges.split(",")]:
            c = sl.cho_factor(k + r * diag.mean() * np.eye(len(ya)), lower=True)
            out.append(f"{r:g}={((kv @ sl.cho_solve(c, t1)).argmax(1) == y[va]).mean():.4f}")
        print(spec + (" flip" if a.flip else ""), " ".join(out), f"{time.time() - t:.0f}s", flush=True)


if __name__ == "__main__":
    main()
