"""Generates src/test/resources/reference/activation-kernels.json: NNGP and NTK values of networks
with the activations (gelu, sin, cos, gaussian, exp, rbf, gabor, sign,
rectified monomials, monomials, Hermite polynomials, exp_normalized, sigmoid_like, and the
quadrature activations tanh, sigmoid, softplus, silu, elu, selu, mish and fn(...)), at random,
identical, anti-collinear, nearly collinear and nearly anti-collinear inputs, depths 1 and 2.

Independent of ntk4j's closed forms: every dual T = E[phi(u) phi(v)] and T' = E[phi'(u) phi'(v)]
is the Gaussian expectation itself, integrated numerically with mpmath (Gauss-Legendre panels,
split at every kink of phi or phi') at 32 significant digits, the inner expectation in closed form
where it has one and integrated by the same panels where it has none (tanh, sigmoid, softplus,
silu, mish, fn), from the textbook definition of phi and phi' (no dual formula is used). The 2-D expectation is written as nested 1-D integrals,
u = sqrt(a) z1 and v = (c/sqrt(a)) z1 + sqrt(D/a) z2 with D = ab - c^2 carried exactly from the
inputs (Lagrange's identity at 32 digits), so nearly collinear pairs keep their digits. The only
activation without a pointwise phi, exp_normalized (neural-tangents' ExpNormalized, a kernel-level
definition), is evaluated from that definition. Inputs are the exact binary64 values the Java test
passes. Run: python3 make_activation_reference.py > file (about an hour on one core), or a subset of
activations (and 'mixed') per process and merge the case lists.
"""
import json
import random
import sys
import mpmath as mp

mp.mp.dps = 32
PI = mp.pi
SQ2 = mp.sqrt(2)


def npdf(z):
    return mp.exp(-z * z / 2) / mp.sqrt(2 * PI)


def ncdf(z):
    return mp.erfc(-z / SQ2) / 2


class Act:
    """phi, phi' (None: zero almost everywhere), the points where either is not smooth, and
    optionally the Gaussian smoothings g(m, s) = E[phi(m + s z)], dg(m, s) = E[phi'(m + s z)]
    (z ~ N(0, 1)) in closed form: one-dimensional textbook Gaussian integrals, not the duals.
    Without them the inner expectation is integrated numerically as well."""

    def __init__(self, phi, dphi, kinks=(), smooth=None, dsmooth=None):
        self.phi, self.dphi, self.kinks = phi, dphi, list(kinks)
        self.smooth, self.dsmooth = smooth, dsmooth


def poly_smooth(coeffs):
    """E[p(m + s z)] for p = sum c_k x^k, by the binomial theorem and E[z^j] = (j-1)!!."""
    def g(m, s):
        out = mp.mpf(0)
        for k, ck in enumerate(coeffs):
            if ck == 0:
                continue
            for j in range(0, k + 1, 2):
                out += ck * mp.binomial(k, j) * m ** (k - j) * s ** j * mp.fac2(j - 1)
        return out
    return g


def poly_act(coeffs):
    coeffs = [mp.mpf(c) for c in coeffs]
    dco = [k * coeffs[k] for k in range(1, len(coeffs))] or [mp.mpf(0)]
    return Act(lambda x: mp.polyval(coeffs[::-1], x), lambda x: mp.polyval(dco[::-1], x),
               smooth=poly_smooth(coeffs), dsmooth=poly_smooth(dco))


def sin_act(a=1, b=1, c=0, cos=False):
    a, b, c = mp.mpf(a), mp.mpf(b), mp.mpf(c)
    # E[sin(b(m + s z) + c)] = sin(bm + c) exp(-b^2 s^2/2), the same for cos
    if cos:
        return Act(lambda x: a * mp.cos(b * x + c), lambda x: -a * b * mp.sin(b * x + c),
                   smooth=lambda m, s: a * mp.cos(b * m + c) * mp.exp(-b * b * s * s / 2),
                   dsmooth=lambda m, s: -a * b * mp.sin(b * m + c) * mp.exp(-b * b * s * s / 2))
    return Act(lambda x: a * mp.sin(b * x + c), lambda x: a * b * mp.cos(b * x + c),
               smooth=lambda m, s: a * mp.sin(b * m + c) * mp.exp(-b * b * s * s / 2),
               dsmooth=lambda m, s: a * b * mp.cos(b * m + c) * mp.exp(-b * b * s * s / 2))


def upper_moments(t, n):
    """M_j = int_t^inf z^j npdf(z) dz for j = 0..n (M_j = t^(j-1) npdf(t) + (j-1) M_(j-2))."""
    m = [ncdf(-t), npdf(t)]
    for j in range(2, n + 1):
        m.append(t ** (j - 1) * npdf(t) + (j - 1) * m[j - 2])
    return m


def rect_smooth(n, m, s):
    """E[(m + s z)^n ; m + s z >= 0] from the moments of the truncated normal."""
    mom = upper_moments(-m / s, n)
    return mp.fsum(mp.binomial(n, j) * m ** (n - j) * s ** j * mom[j] for j in range(n + 1))


def rect_mono(n):
    if n == 0:
        return Act(lambda x: mp.mpf(1) if x >= 0 else mp.mpf(0), None, [0], smooth=lambda m, s: ncdf(m / s))
    return Act(lambda x: x ** n if x >= 0 else mp.mpf(0),
               lambda x: n * x ** (n - 1) if x >= 0 else mp.mpf(0), [0],
               smooth=lambda m, s: rect_smooth(n, m, s), dsmooth=lambda m, s: n * rect_smooth(n - 1, m, s))


def hermite(n):
    norm = mp.sqrt(mp.factorial(n))
    # probabilists' Hermite coefficients by He_(k+1) = x He_k - k He_(k-1)
    p0, p1 = [mp.mpf(1)], [mp.mpf(0), mp.mpf(1)]
    if n == 0:
        p1 = p0
    for k in range(1, n):
        nxt = [mp.mpf(0)] + p1
        for i, c in enumerate(p0):
            nxt[i] -= k * c
        p0, p1 = p1, nxt
    act = poly_act([c / norm for c in p1])
    if n == 0:
        act.dphi = None
    return act


def elu(alpha, scale=1):
    alpha, scale = mp.mpf(alpha), mp.mpf(scale)

    def neg_exp(m, s):  # E[exp(m + s z) ; m + s z < 0]
        return mp.exp(m + s * s / 2) * ncdf(-m / s - s)

    def g(m, s):
        return scale * (m * ncdf(m / s) + s * npdf(m / s) + alpha * (neg_exp(m, s) - ncdf(-m / s)))

    def dg(m, s):
        return scale * (ncdf(m / s) + alpha * neg_exp(m, s))
    return Act(lambda x: scale * (x if x > 0 else alpha * mp.expm1(x)),
               lambda x: scale * (1 if x > 0 else alpha * mp.exp(x)), [0], smooth=g, dsmooth=dg)


SELU_ALPHA = mp.mpf("1.6732632423543772848170429916717")
SELU_SCALE = mp.mpf("1.0507009873554804934193349852946")


def softplus(x):
    return mp.log1p(mp.exp(x)) if x < 30 else x + mp.log1p(mp.exp(-x))


def sigmoid(x):
    return 1 / (1 + mp.exp(-x))


def mish(x):
    return x * mp.tanh(softplus(x))


def dmish(x):
    sp = softplus(x)
    return mp.tanh(sp) + x * (1 - mp.tanh(sp) ** 2) * sigmoid(x)


def gelu_smooth(m, s):
    # E[(m + s z) Phi(m + s z)] = m Phi(m/r) + s^2 npdf(m/r)/r with r = sqrt(1 + s^2)
    r = mp.sqrt(1 + s * s)
    return m * ncdf(m / r) + s * s * npdf(m / r) / r


def gelu_dsmooth(m, s):
    # phi' = Phi(x) + x npdf(x); E[Phi] = Phi(m/r), E[x npdf(x)] = m npdf(m/r)/r^3
    r = mp.sqrt(1 + s * s)
    return ncdf(m / r) + m * npdf(m / r) / r ** 3


def gauss_mgf(alpha, beta, m, s):
    """E[exp(alpha (m + s z)^2 + beta (m + s z))] (alpha, beta may be complex), 1 - 2 alpha s^2 > 0."""
    q = 1 - 2 * alpha * s * s
    return mp.exp((alpha * m * m + beta * m + beta * beta * s * s / 2) / q) / mp.sqrt(q)


def gaussian_act(a, b):
    a, b = mp.mpf(a), mp.mpf(b)
    return Act(lambda x: a * mp.exp(b * x * x), lambda x: 2 * a * b * x * mp.exp(b * x * x),
               smooth=lambda m, s: a * gauss_mgf(b, 0, m, s),
               dsmooth=lambda m, s: 2 * a * b * mp.diff(lambda beta: gauss_mgf(b, beta, m, s), 0))


def gabor_smooth(m, s):
    return mp.im(gauss_mgf(-1, 1j, m, s))


SL = mp.mpf("2.4020563531719796")
ACTS = {
    "gelu": Act(lambda x: x * ncdf(x), lambda x: ncdf(x) + x * npdf(x), smooth=gelu_smooth, dsmooth=gelu_dsmooth),
    "sin": sin_act(),
    "sin(2,0.5,0.3)": sin_act(2, 0.5, 0.3),
    "cos": sin_act(cos=True),
    "cos(1.5,0.7,-0.2)": sin_act(1.5, 0.7, -0.2, cos=True),
    "gaussian": gaussian_act(1, -1),
    "gaussian(1.2,-0.4)": gaussian_act("1.2", "-0.4"),
    "exp(0.8,0.5)": Act(lambda x: mp.mpf("0.8") * mp.exp(x / 2), lambda x: mp.mpf("0.4") * mp.exp(x / 2),
                        smooth=lambda m, s: mp.mpf("0.8") * mp.exp(m / 2 + s * s / 8),
                        dsmooth=lambda m, s: mp.mpf("0.4") * mp.exp(m / 2 + s * s / 8)),
    "rbf": sin_act(SQ2, SQ2, PI / 4),
    "rbf(0.5)": sin_act(SQ2, 1, PI / 4),
    "gabor": Act(lambda x: mp.exp(-x * x) * mp.sin(x),
                 lambda x: mp.exp(-x * x) * (mp.cos(x) - 2 * x * mp.sin(x)),
                 smooth=gabor_smooth, dsmooth=lambda m, s: mp.diff(lambda mm: gabor_smooth(mm, s), m)),
    "sign": Act(lambda x: mp.sign(x), None, [0], smooth=lambda m, s: mp.erf(m / (s * SQ2))),
    "rectified_monomial(0)": rect_mono(0),
    "rectified_monomial(1)": rect_mono(1),
    "rectified_monomial(2)": rect_mono(2),
    "rectified_monomial(3)": rect_mono(3),
    "rectified_monomial(4)": rect_mono(4),
    "monomial(2)": poly_act([0, 0, 1]),
    "monomial(3)": poly_act([0, 0, 0, 1]),
    "hermite(2)": hermite(2),
    "hermite(3)": hermite(3),
    "hermite(4)": hermite(4),
    "sigmoid_like": Act(lambda x: mp.erf(x / SL) / 2 + mp.mpf("0.5"),
                        lambda x: mp.exp(-(x / SL) ** 2) / mp.sqrt(PI) / SL,
                        smooth=lambda m, s: mp.erf(m / mp.sqrt(SL * SL + 2 * s * s)) / 2 + mp.mpf("0.5"),
                        dsmooth=lambda m, s: mp.exp(-m * m / (SL * SL + 2 * s * s)) / mp.sqrt(PI)
                        / mp.sqrt(SL * SL + 2 * s * s)),
    "tanh": Act(mp.tanh, lambda x: 1 - mp.tanh(x) ** 2),
    "sigmoid": Act(sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "softplus": Act(softplus, sigmoid),
    "silu": Act(lambda x: x * sigmoid(x), lambda x: sigmoid(x) * (1 + x * (1 - sigmoid(x)))),
    "elu(0.5)": elu("0.5"),
    "elu": elu(1),
    "selu": elu(SELU_ALPHA, SELU_SCALE),
    "mish": Act(mish, dmish),
    'fn("x*Tanh(Log(1+Exp(x)))")': Act(mish, dmish),
    'fn("Sin(x)+x^2/4")': Act(lambda x: mp.sin(x) + x * x / 4, lambda x: mp.cos(x) + x / 2),
}
# numerically integrated twice over (no closed inner expectation): 1e-9 tests, fewer cases
NESTED = {k for k, v in ACTS.items() if v.smooth is None}


_NODES = {}


def integrate(f, pts, fine=False):
    """Integral of f over [-12, 12] (the Gaussian weight beyond is below 1e-31), by 48-point
    Gauss-Legendre panels between the breakpoints pts, -4 and 4, and with fine=True geometric
    panels towards every breakpoint (where a nearly collinear pair's inner expectation has a
    boundary layer)."""
    key = mp.mp.prec
    if key not in _NODES:
        _NODES[key] = mp.calculus.quadrature.GaussLegendre(mp.mp).calc_nodes(5, mp.mp.prec)
    nodes = _NODES[key]
    edges = set([mp.mpf(-12), mp.mpf(-4), mp.mpf(4), mp.mpf(12)])
    for p in pts:
        if -12 < p < 12:
            edges.add(p)
            for k in range(0, 10 if fine else 0):
                for sgn in (-1, 1):
                    q = p + sgn * mp.mpf(10) ** (-k)
                    if -12 < q < 12:
                        edges.add(q)
    edges = sorted(edges)
    total = mp.mpf(0)
    for lo, hi in zip(edges[:-1], edges[1:]):
        h = (hi - lo) / 2
        mid = (hi + lo) / 2
        total += h * mp.fsum(w * f(mid + h * x) for x, w in nodes)
    return total


def expect1(f, s):
    """E[f(s z)], z ~ N(0, 1), split at the kinks."""
    return integrate(lambda z: npdf(z) * f(s * z), [mp.mpf(0)])


def dual(act, f, g, a, c, b, d):
    """E[f(u) f(v)] for (u, v) ~ N(0, [[a, c], [c, b]]), d = ab - c^2 given exactly; g is the
    smoothing E[f(m + s z)] in closed form, or None."""
    if a == 0 or b == 0:
        return f(mp.mpf(0)) ** 2 if a == b else (f(mp.mpf(0)) * expect1(f, mp.sqrt(b if a == 0 else a)))
    sa = mp.sqrt(a)
    if d <= 0:  # exactly collinear: v = (c/a) u
        r = c / a
        return integrate(lambda z: npdf(z) * f(sa * z) * f(r * sa * z), [mp.mpf(0)])
    m = c / sa
    s = mp.sqrt(d / a)

    def inner(z1):
        mean = m * z1
        if g is not None:
            return g(mean, s)
        pts = sorted(set([(k - mean) / s for k in act.kinks]))
        return integrate(lambda z2: npdf(z2) * f(mean + s * z2), pts or [mp.mpf(0)])
    # the inner expectation as a function of z1 changes fastest near z1 = 0 when s is small
    outer = sorted(set([mp.mpf(0)] + [k / sa for k in act.kinks]))
    return integrate(lambda z1: npdf(z1) * f(sa * z1) * inner(z1), outer, fine=s < mp.mpf("1e-3") * abs(m))


def layer_act(name, a, c, b, d):
    """(T(a,c,b), T'(a,c,b), T(a,a,a), T(b,b,b), new D) at 32 digits: a closed form of the inner
    expectation where the activation has one, else the inner integral by the same Gauss-Legendre
    panels (2 s per dual for mish; a 40-digit evaluation agrees to 1e-33)."""
    if name.startswith("exp_normalized"):
        g = mp.mpf(name[15:-1]) if "(" in name else mp.mpf(1)
        shift = mp.mpf(-1)
        rab = mp.sqrt(a * b)
        t = rab * mp.exp(g * (c / rab + shift))
        td = g * mp.exp(g * (c / rab + shift))
        txx = a * mp.exp(g * (1 + shift))
        tyy = b * mp.exp(g * (1 + shift))
        return t, td, txx, tyy, txx * tyy - t * t
    act = ACTS[name]
    t = dual(act, act.phi, act.smooth, a, c, b, d)
    td = mp.mpf(0) if act.dphi is None else dual(act, act.dphi, act.dsmooth, a, c, b, d)
    txx = expect1(lambda x: act.phi(x) ** 2, mp.sqrt(a))
    tyy = txx if b == a else expect1(lambda x: act.phi(x) ** 2, mp.sqrt(b))
    return t, td, txx, tyy, txx * tyy - t * t


def kernels(layers, x, y):
    n = len(x)
    x = [mp.mpf(v) for v in x]
    y = [mp.mpf(v) for v in y]
    a = mp.fsum(v * v for v in x) / n
    b = mp.fsum(v * v for v in y) / n
    c = mp.fsum(u * v for u, v in zip(x, y)) / n
    d = mp.fsum((x[i] * y[j] - x[j] * y[i]) ** 2 for i in range(n) for j in range(i + 1, n)) / n ** 2
    ntk = mp.mpf(0)
    for kind, arg in layers:
        if kind == "dense":
            w, bs = (mp.mpf(v) for v in arg)
            e = a + b - 2 * c
            d = w ** 4 * d + w * w * bs * bs * e
            a, b, c = w * w * a + bs * bs, w * w * b + bs * bs, w * w * c + bs * bs
            ntk = c + w * w * ntk
        else:
            t, td, txx, tyy, d = layer_act(arg, a, c, b, d)
            a, b, c = txx, tyy, t
            ntk = ntk * td
    return c, ntk, a, b


def case(layers, x, y, kind):
    """One reference case: the network's NNGP and NTK of (x, y) and their Cauchy-Schwarz scales."""
    nngp, ntk, kxx, kyy = kernels(layers, x, y)
    _, txx, _, _ = kernels(layers, x, x)
    _, tyy, _, _ = kernels(layers, y, y)
    return {"net": spec(layers), "kind": kind, "x": x, "y": y, "nngp": float(nngp), "ntk": float(ntk),
            "nngp_scale": float(mp.sqrt(abs(kxx * kyy))), "ntk_scale": float(mp.sqrt(abs(txx * tyy)))}


def fc(act, depth, w, b):
    layers = []
    for _ in range(depth):
        layers += [("dense", (w, b)), ("act", act)]
    return layers + [("dense", (w, b))]


def spec(layers):
    return " ".join("dense(%r,%r)" % arg if kind == "dense" else arg for kind, arg in layers)


# exp and polynomial activations grow fast with depth and variance: smaller weights and depths
SCALE = {"exp(0.8,0.5)": (0.5, 0.9), "monomial(2)": (0.5, 0.9), "monomial(3)": (0.5, 0.9),
         "hermite(2)": (0.6, 1.0), "hermite(3)": (0.6, 1.0), "hermite(4)": (0.6, 1.0),
         "rectified_monomial(3)": (0.6, 1.1), "rectified_monomial(4)": (0.6, 1.0)}
MAX_DEPTH = {"monomial(2)": 2, "monomial(3)": 2, "hermite(4)": 2, "rectified_monomial(4)": 2,
             "rectified_monomial(3)": 2, "exp(0.8,0.5)": 2}


def main():
    only = sys.argv[1:]
    rng = random.Random(20261127)
    mixed = not only or "mixed" in only
    cases = []

    def add(layers, x, y, kind):
        cases.append(case(layers, x, y, kind))
        print(len(cases), cases[-1]["net"], kind, file=sys.stderr, flush=True)

    def vec(d, scale=1.0):
        return [round(rng.gauss(0, scale), 4) for _ in range(d)]

    names = list(ACTS) + ["exp_normalized", "exp_normalized(0.5)"]
    for act in names:
        rng = random.Random(act)  # each activation's cases independent of which others are generated
        if only and act not in only:
            continue
        for depth in (1, 2):
            if depth > MAX_DEPTH.get(act, 1 if act in NESTED else 2):
                continue
            lo, hi = SCALE.get(act, (0.6, 1.5))
            w = round(rng.uniform(lo, hi), 3)
            b = rng.choice([0.0, round(rng.uniform(0.05, 0.5), 3)])
            d = rng.choice([1, 2, 3, 5])
            x = vec(d)
            net = fc(act, depth, w, b)
            add(net, x, vec(d), "random")
            add(net, x, list(x), "identical")
            add(net, x, [v + 1e-7 * rng.gauss(0, 1) for v in x], "nearly collinear 1e-7")
            if act not in NESTED:
                add(net, x, [-v for v in x], "anti-collinear")
                add(net, x, [-v + 1e-7 * rng.gauss(0, 1) for v in x], "nearly anti-collinear 1e-7")
    rng = random.Random(20261127)
    if mixed:
        for s in ("dense(1.3,0.2) gelu dense(1.1,0.1) relu dense(1,0)",
                  "dense(1.2,0.1) tanh dense(1.4,0.2) sin dense(1,0)",
                  "dense(1.1,0) rbf dense(1.5,0.1) relu dense(1,0)"):
            layers = []
            for tok in s.split():
                if tok.startswith("dense("):
                    layers.append(("dense", tuple(float(v) for v in tok[6:-1].split(","))))
                else:
                    layers.append(("act", tok))
            x = vec(3)
            add(layers, x, vec(3), "random")
            add(layers, x, list(x), "identical")
            add(layers, x, [v + 1e-7 * rng.gauss(0, 1) for v in x], "nearly collinear 1e-7")
    print(json.dumps({"description": __doc__.strip().split("\n\n")[0].replace("\n", " "),
                      "generator": "src/test/python/make_activation_reference.py (mpmath %s, %d digits)"
                      % (mp.__version__, mp.mp.dps),
                      "cases": cases}, indent=1))


ACTS["relu"] = rect_mono(1)
if __name__ == "__main__":
    main()
