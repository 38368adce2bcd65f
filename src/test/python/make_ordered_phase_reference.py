"""Generates src/test/resources/reference/ordered-phase-kernels.json: NNGP and NTK of deep
networks of the quadrature activations (sigmoid, softplus, tanh, silu, mish, elu) in their
ordered phase, where every pair's pre-activation correlation climbs towards 1 with depth
(sigmoid at the default W_std 1.4, b_std 0.1 reaches 0.9998 after four layers), so that the
engine's pairs pass from Mehler's series to the nearly collinear rules layer by layer.

The values come from make_activation_reference.kernels: every dual the Gaussian expectation of
phi itself at 32 digits (Gauss-Legendre panels, the inner expectation in closed form where it has
one), the determinant D carried exactly through the layers. Inputs are the exact binary64 values
the Java test passes (4 decimals, d = 4).

Run: python3 make_ordered_phase_reference.py [ACT ...] > file (about 10 minutes on one core;
a subset of activations per process, then merge the case lists).
"""
import json
import random
import sys

import mpmath as mp

import make_activation_reference as ar

NETS = [("sigmoid", 5, 1.4, 0.1), ("softplus", 6, 1.0, 0.5), ("tanh", 8, 1.0, 0.5), ("silu", 5, 1.4, 0.1),
        ("mish", 4, 1.0, 0.5), ("elu", 6, 1.0, 0.5)]
# networks at the defaults whose pairs need the Mehler tables to degree 127 (softplus, whose
# pre-activation variance grows to about 4.5), and nearly duplicate inputs (y = x + 0.001 u,
# u with entries in -3 ... 3) through three layers at the defaults
WIDE = [("softplus", 5, 1.4, 0.1)]
NEAR = [("tanh", 3, 1.4, 0.1), ("mish", 3, 1.4, 0.1), ("softplus", 3, 1.4, 0.1)]


def random_pair(rng, x):
    """y drawn as x was."""
    return [round(rng.gauss(0, 1), 4) for _ in range(4)]


def near_pair(rng, x):
    """y = x + 0.001 u, u with entries in -3 ... 3."""
    return [round(v + 0.001 * rng.randint(-3, 3), 4) for v in x]


# (networks, seed suffix, pairs per network, kind, how y is drawn)
GROUPS = [(NETS, "", 3, "ordered phase", random_pair), (WIDE, " wide", 2, "ordered phase, wide tables", random_pair),
          (NEAR, " near", 2, "nearly duplicate", near_pair)]


def add(cases, layers, x, y, kind):
    c = ar.case(layers, x, y, kind)
    # the output correlation K(x, y)/√(K(x, x)K(y, y)): how far into the ordered phase
    c["correlation"] = c["nngp"] / c["nngp_scale"]
    cases.append(c)
    print(len(cases), c["net"], c["correlation"], file=sys.stderr, flush=True)


def main():
    only = sys.argv[1:]
    cases = []
    for nets, seed, count, kind, pair in GROUPS:
        for act, depth, w, b in nets:
            if only and act not in only:
                continue
            rng = random.Random(act + seed)
            layers = ar.fc(act, depth, w, b)
            for _ in range(count):
                x = [round(rng.gauss(0, 1), 4) for _ in range(4)]
                add(cases, layers, x, pair(rng, x), kind)
    print(json.dumps({"description": __doc__.strip().split("\n\n")[0].replace("\n", " "),
                      "generator": "src/test/python/make_ordered_phase_reference.py (mpmath %s, %d digits)"
                      % (mp.__version__, mp.mp.dps),
                      "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
