"""Random networks and inputs with their NNGP and NTK from mpmath's closed forms: a search for
wrong kernels, not a fixed reference. Every case it writes is checked by
src/test/java/io/github/ntk4j/kernel/RandomReferenceCheck.java (pair, Gram matrix and
cross-Gram, both argument orders, to 1e-12 of the value, or of the Cauchy-Schwarz scale for a
value below 1e-12 of it); a case that fails is a candidate for reference/scale-ratio-kernels.json
once its cause is understood.

Networks: a Dense layer, then 1..depth blocks of an activation with a closed form (the ReLU family,
erf and erf(a,b,c), GELU, sin, sign, identity, rectified monomials) and a Dense layer, weights and
biases at random (a third of the biases 0). Inputs: d = 1..6, norms 1e-8..1e8 (or 1), and the
second input independent, a scaled copy, nearly collinear or nearly anti-collinear (1e-13..1e-2
apart), at another scale, zero, or the first input itself. The values are those of
make_scale_ratio_reference.exact (precision doubled until two evaluations agree to 1e-30); a case
whose evaluation takes more than 30 s is skipped.

This is how the wrong kernels listed in CHANGELOG (sin at large variance, erf(a,b,c) at tiny
variance, rectified_monomial(3) and erf near anti-collinear inputs) were found.

usage: python3 random_reference_cases.py SEED COUNT [--depth N] > cases.json
       mvn -o -q test-compile surefire:test -Dtest=RandomReferenceCheck -Dcases=cases.json
"""
import argparse
import json
import random
import signal
import sys

import mpmath as mp

import make_scale_ratio_reference as sr

ACTS = ["relu", "abrelu(-0.3,1.2)", "leaky_relu(0.1)", "abrelu(0.5,-2)", "erf", "erf(1.3,0.7,0.2)", "erf(0.5,3,-1)",
        "gelu", "sin", "sign", "identity", "rectified_monomial(0)", "rectified_monomial(1)", "rectified_monomial(2)",
        "rectified_monomial(3)"]


def dense(r):
    w = round(0.3 + 2.5 * r.random(), 3)
    b = 0.0 if r.random() < 0.35 else round(r.random() * (3 if r.random() < 0.2 else 1), 3)
    return "dense(%r,%r)" % (w, b)


def network(r, depth):
    toks = [dense(r)]
    for _ in range(r.randint(1, depth)):
        toks += [r.choice(ACTS), dense(r)]
    return " ".join(toks)


def inputs(r):
    d = r.randint(1, 6)
    s = 10.0 ** r.uniform(-8, 8) if r.random() < 0.5 else 1.0
    x = [r.gauss(0, 1) * s for _ in range(d)]
    kind = r.randrange(7)
    e = 10.0 ** r.uniform(-13, -2)
    if kind == 0:
        y, what = [r.gauss(0, 1) * s for _ in range(d)], "independent"
    elif kind == 1:
        a = 10.0 ** r.uniform(-10, 10) * r.choice([1, -1])
        y, what = [v * a for v in x], "scaled %.3g" % a
    elif kind == 2:
        y, what = [v * (1 + e * r.gauss(0, 1)) for v in x], "nearly collinear %.1e" % e
    elif kind == 3:
        a = 10.0 ** r.uniform(-6, 6)
        y, what = [v * a * (1 + e * r.gauss(0, 1)) for v in x], "nearly collinear %.1e, scaled %.3g" % (e, a)
    elif kind == 4:
        y, what = [-v * (1 + e * r.gauss(0, 1)) for v in x], "nearly anti-collinear %.1e" % e
    elif kind == 5:
        y, what = [r.gauss(0, 1) * 10.0 ** r.uniform(-10, 10) for _ in range(d)], "independent, other scale"
    else:
        y, what = ([0.0] * d, "zero") if r.random() < 0.5 else (list(x), "same")
        if r.random() < 0.5:
            x, y = y, x
    return x, y, what


class Timeout(Exception):
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("seed", type=int)
    ap.add_argument("count", type=int)
    ap.add_argument("--depth", type=int, default=4)
    args = ap.parse_args()

    def alarm(*_):
        raise Timeout()
    signal.signal(signal.SIGALRM, alarm)
    cases = []
    for t in range(args.count):
        seed = args.seed * 100000 + t
        r = random.Random(seed)
        net = network(r, args.depth)
        x, y, what = inputs(r)
        signal.alarm(30)
        try:
            (nngp, ntk, ns, ts), digits = sr.exact(net, x, y)
        except Timeout:
            print("skipped (over 30 s): " + net, file=sys.stderr)
            continue
        except (ValueError, ZeroDivisionError, RuntimeError) as ex:
            print("skipped (%s): %s" % (type(ex).__name__, net), file=sys.stderr)
            continue
        finally:
            signal.alarm(0)
        cases.append({"net": net, "kind": what, "seed": seed, "x": x, "y": y, "nngp": mp.nstr(nngp, 25),
                      "ntk": mp.nstr(ntk, 25), "nngp_scale": mp.nstr(ns, 25), "ntk_scale": mp.nstr(ts, 25),
                      "digits": digits})
    json.dump({"description": "random networks and inputs (random_reference_cases.py %d %d --depth %d)"
               % (args.seed, args.count, args.depth), "cases": cases}, sys.stdout, indent=1)
    print(file=sys.stdout)


if __name__ == "__main__":
    main()
