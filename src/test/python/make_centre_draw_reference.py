"""Reference draws for CentreDrawTest: ntk4j's k-means++ centre draw (CentreDraw.KPP) computed
independently with numpy (fashion_nystroem.kpp_java: the kernel by fashion_preprocess.kernel, the
random numbers by a copy of java.util.Random) on the shipped Fashion-MNIST slice.

usage: python3 src/test/python/make_centre_draw_reference.py > src/test/resources/reference/centre-draw.json
Cases: the first ROWS training images of examples/data/fashion-mnist, sqrt-sphere inputs, the
depth-2 ReLU network dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1), NTK or NNGP.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from fashion_nystroem import kpp_java  # noqa: E402
from fashion_preprocess import kernel  # noqa: E402
from fashion_sklearn import idx, sphere  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")


def main():
    x = idx(os.path.join(ROOT, "examples/data/fashion-mnist/train-images-idx3-ubyte.gz"))
    x = x.reshape(len(x), -1).astype(np.float64)
    cases = []
    for rows, m, seed, kind in [(300, 30, 7, "ntk"), (300, 120, 3, "ntk"), (500, 200, 11, "nngp")]:
        xs = sphere(np.sqrt(x[:rows]))
        drawn = kpp_java(xs, m, seed, lambda a, b: kernel(a, b, 2, "relu", 1.4, 0.1, kind))
        cases.append({"rows": rows, "centres": m, "seed": seed, "kind": kind, "indices": [int(i) for i in drawn]})
    json.dump({"network": "dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)", "preprocess": "sqrt-sphere",
               "rounds": 50, "cases": cases}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
