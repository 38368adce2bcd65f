"""Random networks with residual blocks, sums and products of branches, layer normalisation and
standard-parameterisation Dense layers (random widths), on the inputs of random_reference_cases.py
(nearly collinear and anti-collinear pairs, scaled copies, norms 1e-8...1e8, zero rows), with their
NNGP and NTK from make_structure_reference.kernels (the textbook rules in mpmath at 80 digits), in the
format that src/test/java/io/github/ntk4j/kernel/RandomReferenceCheck.java checks (pair(), Gram and
cross-Gram in either order, 1e-12).

It found abrelu's zero-pair rule missing a factor 2 per zero input in standard parameterisation
(CHANGELOG, Fixed).

usage: python3 random_structure_cases.py SEED COUNT [DEPTH] > cases.json
       mvn -o -q test-compile surefire:test -Dtest=RandomReferenceCheck -Dcases=cases.json
"""
import json
import random
import sys

import mpmath as mp

import make_structure_reference as st
import random_reference_cases as rr

mp.mp.dps = 80

ACTS = ["relu", "erf", "leaky_relu(0.2)", "abs", "abrelu(-0.5,2)", "erf(2,0.5,0.3)"]


def dense(r, std=False):
    w = round(0.3 + 2.0 * r.random(), 3)
    b = 0.0 if r.random() < 0.35 else round(r.random(), 3)
    return ("dense", w, b, "standard" if std else "ntk")


def block(r, depth, std):
    # a list of layers starting after a dense layer (Gaussian input) and ending with a dense layer
    out = []
    for _ in range(r.randint(1, depth)):
        kind = r.random()
        if kind < 0.5:
            out += [("act", r.choice(ACTS)), dense(r, std)]
        elif kind < 0.7:
            inner = [("act", r.choice(ACTS)), dense(r, std)]
            ws = [1, 1] if r.random() < 0.5 else [round(r.uniform(0.3, 1.2), 3), round(r.uniform(0.3, 1.2), 3)]
            out += [("sum", ws, [[], inner])]
            out += [dense(r, std)]
        elif kind < 0.85:
            out += [("layernorm",), ("act", r.choice(ACTS)), dense(r, std)]
        else:
            a = [("act", r.choice(ACTS)), dense(r, std)]
            b = [("act", r.choice(ACTS)), dense(r, std)]
            out += [("prod", [a, b]) if r.random() < 0.5 else ("sum", [1, 1], [a, b]), dense(r, std)]
    return out


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    cases = []
    for t in range(count):
        r = random.Random(seed * 100000 + t)
        std = r.random() < 0.25
        width = r.choice([16, 512]) if std else 0
        layers = [dense(r, std)] + block(r, int(sys.argv[3]) if len(sys.argv) > 3 else 4, std)
        x, y, what = rr.inputs(r)
        try:
            k, tt = st.kernels(layers, x, y, width)
            kxx, txx = st.kernels(layers, x, x, width)
            kyy, tyy = st.kernels(layers, y, y, width)
        except (ZeroDivisionError, ValueError) as e:
            print("skipped", e, file=sys.stderr); continue
        net = ("width(%d) " % width if width else "") + st.spec(layers)
        cases.append({"net": net, "kind": what, "x": x, "y": y, "nngp": mp.nstr(k, 25), "ntk": mp.nstr(tt, 25),
                      "nngp_scale": mp.nstr(mp.sqrt(abs(kxx * kyy)), 25), "ntk_scale": mp.nstr(mp.sqrt(abs(txx * tyy)), 25)})
    json.dump({"description": "random structures", "cases": cases}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
