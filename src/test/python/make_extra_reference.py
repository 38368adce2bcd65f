"""Generates src/test/resources/reference/extra-kernels.json: NNGP and NTK values for cases
the shared reference file does not cover (exactly collinear, anti-collinear, nearly collinear
and identical inputs, zero vectors, d = 1, depths up to 20, ABRelu/LeakyRelu/Abs, Erf(a,b,c),
identity, polynomial and mixed networks).

Independent of ntk4j's Java code: the textbook closed forms (docs/KERNEL-RECURSION.md §3-4, with the naive
arccos/arcsin formulas) evaluated with mpmath at 80 significant digits, so the cancellation
that double precision suffers near collinearity is irrelevant here. Inputs are taken as the
exact binary64 values the Java test passes. Run: python3 make_extra_reference.py > file.
"""
import json
import random
import mpmath as mp

mp.mp.dps = 80
PI = mp.pi


def abrelu(a, b):
    a, b = mp.mpf(a), mp.mpf(b)

    def rule(sxx, sxy, syy):
        norm = mp.sqrt(sxx * syy)
        if norm == 0:
            return mp.mpf(0), (a * a + b * b + 2 * a * b) / 4
        c = max(min(sxy / norm, mp.mpf(1)), mp.mpf(-1))
        th = mp.acos(c)
        j = norm / (2 * PI) * (mp.sin(th) + (PI - th) * c)
        jflip = norm / (2 * PI) * (mp.sin(th) - th * c)
        t = (a * a + b * b) * j - 2 * a * b * jflip
        tdot = ((a * a + b * b) * (PI - th) + 2 * a * b * th) / (2 * PI)
        return t, tdot
    return rule


def erf(a=1, b=1, c=0):
    a, b, c = mp.mpf(a), mp.mpf(b), mp.mpf(c)

    def rule(sxx, sxy, syy):
        b2 = b * b
        p = (1 + 2 * b2 * sxx) * (1 + 2 * b2 * syy)
        t = a * a * 2 / PI * mp.asin(2 * b2 * sxy / mp.sqrt(p)) + c * c
        # p − 4b⁴Σxy² with the products of the variances cancelled by hand (at variances near 1e40 the
        # subtraction left 0 at 60 digits)
        tdot = a * a * b2 * 4 / PI / mp.sqrt(1 + 2 * b2 * (sxx + syy) + 4 * b2 * b2 * (sxx * syy - sxy * sxy))
        return t, tdot
    return rule


def identity():
    return lambda sxx, sxy, syy: (sxy, mp.mpf(1))


def moment(i, j, sxx, sxy, syy):
    s = mp.mpf(0)
    for k in range(i % 2, min(i, j) + 1, 2):
        if (j - k) % 2:
            continue
        w = mp.binomial(i, k) * mp.binomial(j, k) * mp.factorial(k) * mp.fac2(i - k - 1) * mp.fac2(j - k - 1)
        s += w * sxy ** k * sxx ** ((i - k) // 2) * syy ** ((j - k) // 2)
    return s


def poly(*cs):
    cs = [mp.mpf(c) for c in cs]

    def rule(sxx, sxy, syy):
        n = len(cs)
        t = sum(cs[i] * cs[j] * moment(i, j, sxx, sxy, syy) for i in range(n) for j in range(n))
        td = sum(i * j * cs[i] * cs[j] * moment(i - 1, j - 1, sxx, sxy, syy) for i in range(1, n) for j in range(1, n))
        return t, td
    return rule


ACTS = {
    "relu": abrelu(0, 1), "abs": abrelu(-1, 1), "leaky_relu(0.2)": abrelu(0.2, 1),
    "abrelu(-0.5,2)": abrelu(-0.5, 2), "erf": erf(), "erf(2,0.5,0.3)": erf(2, 0.5, 0.3),
    "identity": identity(), "poly(0.1,1,0,0.25)": poly(0.1, 1, 0, 0.25),
}


def kernels(layers, x, y, acts=None):
    """K and Theta through the layers; acts maps an activation token to its rule (default ACTS)."""
    acts = ACTS if acts is None else acts
    d = len(x)
    x = [mp.mpf(v) for v in x]
    y = [mp.mpf(v) for v in y]
    sxx = mp.fsum(v * v for v in x) / d
    syy = mp.fsum(v * v for v in y) / d
    sxy = mp.fsum(u * v for u, v in zip(x, y)) / d
    ntk = mp.mpf(0)
    for kind, arg in layers:
        if kind == "dense":
            w, b = (mp.mpf(v) for v in arg)
            sxx, syy, sxy = w * w * sxx + b * b, w * w * syy + b * b, w * w * sxy + b * b
            ntk = sxy + w * w * ntk
        else:
            rule = acts[arg]
            t, tdot = rule(sxx, sxy, syy)
            txx, _ = rule(sxx, sxx, sxx)
            tyy, _ = rule(syy, syy, syy)
            sxx, syy, sxy = txx, tyy, t
            ntk = ntk * tdot
    return sxy, ntk


def fc(act, depth, w, b):
    layers = []
    for _ in range(depth):
        layers += [("dense", (w, b)), ("act", act)]
    return layers + [("dense", (w, b))]


def spec(layers):
    out = []
    for kind, arg in layers:
        out.append("dense(%r,%r)" % arg if kind == "dense" else arg)
    return " ".join(out)


def main():
    rng = random.Random(20261126)
    cases = []

    def add(layers, x, y, kind):
        nngp, ntk = kernels(layers, x, y)
        kxx, txx = kernels(layers, x, x)
        kyy, tyy = kernels(layers, y, y)
        # Cauchy-Schwarz scale of each kernel: an error is judged relative to the value, or to
        # this scale where the value itself is (analytically) zero
        cases.append({"net": spec(layers), "kind": kind, "x": x, "y": y,
                      "nngp": float(nngp), "ntk": float(ntk),
                      "nngp_scale": float(mp.sqrt(abs(kxx * kyy))), "ntk_scale": float(mp.sqrt(abs(txx * tyy)))})

    def vec(d, scale=1.0):
        return [round(rng.gauss(0, scale), 4) for _ in range(d)]

    for act in ACTS:
        for depth in (1, 2, 3, 5, 10, 20):
            if act.startswith("poly") and depth > 3:
                continue  # polynomial kernels grow doubly exponentially with depth
            w = round(rng.uniform(0.6, 1.6), 3)
            b = rng.choice([0.0, round(rng.uniform(0.05, 0.5), 3)])
            if act.startswith("poly"):
                w = round(rng.uniform(0.5, 0.9), 3)
            d = rng.choice([1, 2, 3, 5, 8])
            x = vec(d)
            net = fc(act, depth, w, b)
            add(net, x, vec(d), "random")
            add(net, x, list(x), "identical")
            add(net, x, [2 * v for v in x], "collinear x2")
            add(net, x, [0.75 * v for v in x], "collinear x0.75")
            add(net, x, [-v for v in x], "anti-collinear")
            add(net, x, [-3 * v for v in x], "anti-collinear x3")
            add(net, x, [v + 1e-7 * rng.gauss(0, 1) for v in x], "nearly collinear 1e-7")
            add(net, x, [1.5 * v + 1e-5 * rng.gauss(0, 1) for v in x], "nearly collinear 1e-5")
            add(net, x, [-v + 1e-7 * rng.gauss(0, 1) for v in x], "nearly anti-collinear 1e-7")
            add(net, [1.0] + x[1:], [1.0 + 2.0 ** -40] + x[1:], "nearly identical 2^-40")
            if b == 0 and not act.startswith("erf") and not act.startswith("poly"):
                add(net, [0.0] * d, vec(d), "zero vector")
    for s in ("dense(1.3,0.2) erf dense(1.5,0.1) relu dense(1,0)",
              "dense(1.1,0) relu dense(0.9,0.3) abs dense(1.2,0.1) erf(2,0.5,0.3) dense(1,0.05)",
              "dense(1.4,0.1) dense(0.8,0.2) relu dense(1,0)"):
        layers = []
        for tok in s.split():
            if tok.startswith("dense("):
                layers.append(("dense", tuple(float(v) for v in tok[6:-1].split(","))))
            else:
                layers.append(("act", tok))
        for d in (1, 4):
            x = vec(d)
            add(layers, x, vec(d), "random")
            add(layers, x, list(x), "identical")
            add(layers, x, [-2 * v for v in x], "anti-collinear x2")
    print(json.dumps({"description": __doc__.strip().split("\n\n")[0].replace("\n", " "),
                      "generator": "src/test/python/make_extra_reference.py (mpmath %s, %d digits)" % (mp.__version__, mp.mp.dps),
                      "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
