"""Generates src/test/resources/reference/largescale-kernels.json: the duals T = E[phi(u) phi(v)]
and T' = E[phi'(u) phi'(v)] of the quadrature activations (tanh, sigmoid, softplus, silu, mish,
elu, selu) and of gelu at large pre-activation scales (sigma = 1e2, 1e3, 1e6), where phi(sigma z)
turns within 1/sigma of z = 0, for the inputs the Java test passes through the network
"dense(1,0) ACT dense(1,0)": x = (sigma*sqrt2, 0), y = sigma*sqrt2*(rho, sqrt(1 - rho^2)) (exact
binary64 values), so Sxx = x.x/2, Sxy = x.y/2, Syy = y.y/2 and nngp = T, ntk = T + Sxy*T'.

Independent of ntk4j's rule (Gauss-Legendre panels graded away from 0): the expectation is
written as nested 1-D integrals, u = sqrt(a) z1, v = m z1 + s z2 with m = c/sqrt(a),
s = sqrt(D/a), D = ab - c^2 exactly from the binary64 inputs (fractions), the inner one in
x = v (Gaussian density of width s about m z1), each integrated by adaptive QUADPACK (scipy's
quad, Gauss-Kronrod 21, qagp with break points at x = 0, +-1, +-10, ... and the matching z1)
to a relative tolerance of 1e-13. Identical inputs (rho = 1) are the 1-D E[phi(u)^2].
Run: python3 make_largescale_reference.py > ../resources/reference/largescale-kernels.json
(a few minutes on one core).
"""
import json
import math
import sys
from fractions import Fraction
from scipy.integrate import quad

SQ2PI = math.sqrt(2 * math.pi)


def npdf(z):
    return math.exp(-0.5 * z * z) / SQ2PI


def sigmoid(x):
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def softplus(x):
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def ncdf(x):
    return 0.5 * math.erfc(-x / math.sqrt(2))


SELU_A = 1.6732632423543772848170429916717
SELU_S = 1.0507009873554804934193349852946


def dmish(x):
    t = math.tanh(softplus(x))
    return t + x * (1 - t * t) * sigmoid(x)


ACTS = {
    "tanh": (math.tanh, lambda x: 1 - math.tanh(x) ** 2),
    "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "softplus": (softplus, sigmoid),
    "silu": (lambda x: x * sigmoid(x), lambda x: sigmoid(x) * (1 + x * (1 - sigmoid(x)))),
    "mish": (lambda x: x * math.tanh(softplus(x)), dmish),
    "elu": (lambda x: x if x > 0 else math.expm1(x), lambda x: 1.0 if x > 0 else math.exp(x)),
    "selu": (lambda x: SELU_S * (x if x > 0 else SELU_A * math.expm1(x)),
             lambda x: SELU_S * (1.0 if x > 0 else SELU_A * math.exp(x))),
    "gelu": (lambda x: x * ncdf(x), lambda x: ncdf(x) + x * npdf(x)),
}


def breaks(lo, hi, centre, unit):
    """centre and centre +- unit*10^k inside (lo, hi)."""
    pts = []
    if lo < centre < hi:
        pts.append(centre)
    k = unit
    while k < hi - lo:
        for p in (centre - k, centre + k):
            if lo < p < hi:
                pts.append(p)
        k *= 10
    return sorted(pts)


def integral(f, lo, hi, pts):
    v, _ = quad(f, lo, hi, points=pts or None, epsabs=0, epsrel=1e-13, limit=2000)
    return v


def expectation(g, f, a, c, b, d):
    """E[g(u) f(v)] with Var u = a, Cov = c, Var v = b, D = ab - c^2 (exact)."""
    sa = math.sqrt(a)
    m = c / sa
    s = math.sqrt(d / a)
    R = 10.0
    if s == 0:
        h = lambda z: npdf(z) * g(sa * z) * f(m * z)
    else:
        def inner(z):
            mu = m * z
            lo, hi = mu - R * s, mu + R * s
            return integral(lambda x: npdf((x - mu) / s) / s * f(x), lo, hi, breaks(lo, hi, 0.0, 1.0))
        h = lambda z: npdf(z) * g(sa * z) * inner(z)
    scale = max(sa, abs(m))
    return integral(h, -R, R, breaks(-R, R, 0.0, 1.0 / scale))


def main():
    names = sys.argv[1:] or list(ACTS)
    cases = []
    for name in names:
        phi, dphi = ACTS[name]
        for sigma in (1e2, 1e3, 1e6):
            for rho in (1.0, 0.0, 0.6, -0.8, 0.99):
                r = sigma * math.sqrt(2)
                x = [r, 0.0]
                y = [r * rho, r * math.sqrt(1 - rho * rho)]
                fx = [Fraction(v) for v in x]
                fy = [Fraction(v) for v in y]
                A = (fx[0] ** 2 + fx[1] ** 2) / 2
                B = (fy[0] ** 2 + fy[1] ** 2) / 2
                C = (fx[0] * fy[0] + fx[1] * fy[1]) / 2
                a, b, c, d = float(A), float(B), float(C), float(A * B - C * C)
                if rho == 1.0:
                    y = x
                    a = b = c = float(A)
                    d = 0.0
                t = expectation(phi, phi, a, c, b, d)
                td = expectation(dphi, dphi, a, c, b, d)
                cases.append({"activation": name, "sigma": sigma, "rho": rho, "x": x, "y": y,
                              "sxx": a, "sxy": c, "syy": b, "t": t, "tdot": td, "nngp": t, "ntk": t + c * td})
                print(name, sigma, rho, t, td, file=sys.stderr, flush=True)
    json.dump({"generator": "src/test/python/make_largescale_reference.py", "cases": cases}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
