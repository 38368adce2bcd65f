"""Every activation with a closed form between two Dense layers (then, as a probe of the output
angle, nothing, a ReLU or a sign layer) at input variances far out in the double range, equal or
apart (1e+-60 ... 1e+-300), for collinear-ish, anti-collinear-ish and moderate angles, with the
NNGP and NTK from mpmath's closed forms (make_scale_ratio_reference.exact). The cases are for
src/test/java/io/github/ntk4j/kernel/RandomReferenceCheck.java, which checks pair(), the Gram
matrix and the cross-Gram in either order to 1e-12 and lists refusals apart (a value whose
reference does not fit a double must be refused).

Where the product of two variances leaves the double range although each fits, this found sign,
the rectified monomials, GELU and erf wrong (CHANGELOG, Fixed).

usage: python3 scale_sweep_cases.py > cases.json
       mvn -o -q test-compile surefire:test -Dtest=RandomReferenceCheck -Dcases=cases.json
"""
import json
import math
import sys

import mpmath as mp

import make_scale_ratio_reference as sr

ACTS = ["relu", "abrelu(0.5,-2)", "erf", "erf(1.3,0.7,0.2)", "gelu", "sin", "sign", "identity",
        "rectified_monomial(0)", "rectified_monomial(1)", "rectified_monomial(2)", "rectified_monomial(3)"]
TAILS = ["", " relu dense(1,0)", " sign dense(1,0)"]
# decimal exponents of the two inputs' variances after the first dense(1,0) layer
VARIANCES = [(60, 60), (80, 80), (100, 100), (150, 150), (160, 160), (200, 200), (300, 300), (2, 160), (2, 300),
             (-300, -300), (-160, -160), (-2, -300), (200, -200)]
COSINES = [0.3, -0.7, 1 - 1e-9, -(1 - 1e-9)]


def pair(ex, ey, cos):
    """Two inputs in d = 2 whose variances after dense(1,0) are 10^ex and 10^ey, at angle arccos(cos)."""
    sin = math.sqrt(max(0.0, 1 - cos * cos))
    x = [math.sqrt(2) * 10.0 ** (ex / 2), 0.0]
    y = [math.sqrt(2) * 10.0 ** (ey / 2) * cos, math.sqrt(2) * 10.0 ** (ey / 2) * sin]
    return x, y


def main():
    cases = []
    for act in ACTS:
        for ex, ey in VARIANCES:
            for cos in COSINES:
                for tail in TAILS:
                    net = "dense(1,0) %s dense(1,0)%s" % (act, tail)
                    x, y = pair(ex, ey, cos)
                    (k, t, ks, ts), digits = sr.exact(net, x, y)
                    if not all(mp.isfinite(v) for v in (k, t, ks, ts)):
                        continue
                    cases.append({"net": net, "kind": "variances 1e%d and 1e%d, cos %r" % (ex, ey, cos), "x": x, "y": y,
                                  "nngp": mp.nstr(k, 25), "ntk": mp.nstr(t, 25), "nngp_scale": mp.nstr(ks, 25),
                                  "ntk_scale": mp.nstr(ts, 25), "digits": digits})
    json.dump({"description": "scale sweep (scale_sweep_cases.py)", "cases": cases}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
