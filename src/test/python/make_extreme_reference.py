"""Generates src/test/resources/reference/extreme-kernels.json: NNGP and NTK values at extreme
scales (input norms 1e-150 ... 1e150, W_std up to 1e100, b_std from 1e-150 to 1e150, depth up to
1000; ReLU family, erf, identity, polynomial), including the values that do not fit a double,
which ntk4j must refuse rather than print.

Independent of ntk4j's Java code: the naive closed forms of make_extra_reference.py (arccos and
arcsin formulas, no scale factoring) evaluated with mpmath, whose exponent range is unbounded. The
precision is raised until two evaluations (at P and 2P digits) agree to 1e-30, since the naive
forms cancel catastrophically at these scales (e.g. erf's (1+2Sxx)(1+2Syy) - 4Sxy^2 at Sxx = 1e500).
Values are written as decimal strings with 25 significant digits (JSON numbers cannot hold
1e400). Inputs are the exact binary64 values the Java test passes.
Run: python3 make_extreme_reference.py > ../resources/reference/extreme-kernels.json
"""
import json
import sys
import time
import random
import mpmath as mp
from make_extra_reference import ACTS, kernels, fc, spec


def parse(net):
    layers = []
    for tok in net.split():
        if tok.startswith("dense("):
            layers.append(("dense", tuple(float(v) for v in tok[6:-1].split(","))))
        else:
            layers.append(("act", tok))
    return layers


def exact(layers, x, y):
    """K, Theta and the Cauchy-Schwarz scales, at rising precision until stable."""
    prev = None
    dps = 50
    while True:
        try:
            with mp.workdps(dps):
                nngp, ntk = kernels(layers, x, y)
                kxx, txx = kernels(layers, x, x)
                kyy, tyy = kernels(layers, y, y)
                cur = (nngp, ntk, mp.sqrt(abs(kxx * kyy)), mp.sqrt(abs(txx * tyy)), kxx, kyy, txx, tyy)
        except ZeroDivisionError:  # a difference that cancelled to 0 at this precision
            cur = None
        if prev is not None and cur is not None:
            ok = True
            for a, b in zip(prev, cur):
                # values that are analytically 0 are judged against 1e-15 of the Cauchy-Schwarz scale
                scale = max(abs(b), mp.mpf("1e-15") * max(abs(c) for c in cur[2:4]))
                if scale != 0 and abs(a - b) > mp.mpf("1e-30") * scale:
                    ok = False
            if ok:
                return cur, dps
        if dps > 8000:
            raise RuntimeError("no convergence for %s" % spec(layers))
        prev = cur
        dps *= 2


def main():
    rng = random.Random(20261127)
    cases = []

    def add(layers, x, y, kind):
        t0 = time.time()
        (nngp, ntk, ks, ts, kxx, kyy, txx, tyy), dps = exact(layers, x, y)
        print("%5d %6.2fs %5d digits  %s | %s" % (len(cases), time.time() - t0, dps, kind, spec(layers)[:60]),
              file=sys.stderr)
        s = lambda v: mp.nstr(v, 25, min_fixed=1, max_fixed=0) if v != 0 else "0"
        cases.append({"net": spec(layers), "kind": kind, "x": x, "y": y, "nngp": s(nngp), "ntk": s(ntk),
                      "nngp_scale": s(ks), "ntk_scale": s(ts), "nngp_xx": s(kxx), "nngp_yy": s(kyy),
                      "ntk_xx": s(txx), "ntk_yy": s(tyy), "digits": dps})

    def vec(d, scale):
        return [round(rng.gauss(0, 1), 4) * scale for _ in range(d)]

    acts = list(ACTS)
    scales = [1e-150, 1e-100, 1e-30, 1.0, 1e30, 1e100, 1e150]
    nets = [(1.4, 0.1, 2), (1.4, 0.0, 3), (1e100, 0.0, 1), (1e100, 1e-150, 2), (1.2, 1e150, 2), (0.8, 1e-150, 3)]
    for act in acts:
        for scale in scales:
            for (w, b, depth) in nets:
                d = rng.choice([1, 2, 3, 5])
                x = vec(d, scale)
                layers = fc(act, depth, w, b)
                add(layers, x, vec(d, scale), "random")
                if (w, b, depth) in [(1.4, 0.1, 2), (1e100, 0.0, 1)]:
                    add(layers, x, list(x), "identical")
                    add(layers, x, [-3 * v for v in x], "anti-collinear x3")
                    add(layers, x, vec(d, 1.0), "norms 1 and %g" % scale)
    # deep networks (mpmath takes seconds per case here, so a few): each at one scale
    deep = [(2.0, 0.1, 600), (1.2, 0.05, 1000), (1.0, 0.0, 1000)]
    for n, act in enumerate(["relu", "abs", "leaky_relu(0.2)", "erf", "identity"]):
        for m, scale in enumerate((1e-150, 1e150)):
            w, b, depth = deep[(n + m) % 3]
            d = rng.choice([2, 3])
            x = vec(d, scale)
            layers = fc(act, depth, w, b)
            add(layers, x, vec(d, scale), "deep random")
            if act == "relu":
                add(layers, x, list(x), "deep identical")
    # examples at the CLI defaults (: depth 2, W_std 1.4, b_std 0.1)
    add(fc("relu", 2, 1.4, 0.0), [1e-100, 2e-100], [3e-100, -1e-100], "issue: tiny inputs")
    add(fc("relu", 2, 1.4, 0.0), [1e-80, 2e-80], [3e-80, -1e-80], "issue: tiny inputs 1e-80")
    add(fc("relu", 2, 1.4, 0.1), [1e100, 2e100], [3e100, -1e100], "issue: large inputs")
    add(fc("erf", 2, 1.4, 0.1), [1e150, 2e150], [3e150, -1e150], "issue: erf large inputs")
    add(fc("relu", 600, 2.0, 0.1), [1.0, 0.0], [1.0, 0.0], "issue: depth 600 W_std 2")
    add(fc("erf", 2, 1e100, 0.0), [1.0, 0.3], [0.2, -1.0], "issue: erf W_std 1e100")
    add(parse("dense(1e100,0) relu dense(1,0)"), [1.0, 0.3], [0.2, -1.0], "issue: dense(1e100,0)")
    add(parse("dense(1e100,0) relu dense(1e-100,0)"), [1e150, 3e149], [2e149, -1e150], "intermediate beyond a double")
    add(parse("dense(1e-100,0) erf dense(1e100,0.5) relu dense(1,0)"), [1e-150, 3e-151], [2e-151, -1e-150],
        "intermediate below a double")
    add(fc("relu", 2, 1.4, 0.0), [1e-160, 2e-160], [3e-160, -1e-160], "result below a double")
    add(fc("relu", 2, 1e100, 0.0), [1e150, 2e150], [3e150, -1e150], "result beyond a double")
    add(fc("relu", 1, 1.4, 0.1), [1e-200, 1.0], [1.0, 1e-200], "entries 200 decades apart")
    print(json.dumps({"description": __doc__.strip().split("\n\n")[0].replace("\n", " "),
                      "generator": "src/test/python/make_extreme_reference.py (mpmath %s, precision raised until"
                                   " stable; 'digits' per case)" % mp.__version__,
                      "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
