"""Generates src/test/resources/reference/gelu-duals.json: GELU's duals T = E[phi(u) phi(v)] and
T' = E[phi'(u) phi'(v)], phi(x) = x Phi(x), for (u, v) ~ N(0, [[a, c], [c, b]]) over the whole
domain: variances a, b from 1e-6 to 1e8 and correlations rho = c/sqrt(ab) of -1, 1, the values
within 1e-8 of them, and points between.

Independent of ntk4j's closed form: each dual is the Gaussian expectation itself, integrated
numerically with mpmath at 32 significant digits (Gauss-Legendre panels, geometric towards 0,
where phi(sqrt(a) z) turns over on a scale 1/sqrt(a) and a nearly collinear pair's inner
expectation has a boundary layer), written as nested 1-D integrals u = sqrt(a) z1,
v = (c/sqrt(a)) z1 + sqrt(D/a) z2 with D = ab - c^2 exact from the inputs, the inner one in closed
form from the textbook Gaussian smoothing E[(m + s z) Phi(m + s z)] (not the dual). As a check of
the integration, the script also evaluates the published closed form (Tsuchida et al. 2021) at
the same precision and stops if the two differ by more than 1e-20 relative to the Cauchy-Schwarz
scale. Inputs are the exact binary64 values the Java test passes (d is D rounded to a double).
Run: python3 make_gelu_dual_reference.py > src/test/resources/reference/gelu-duals.json
(about a minute).
"""
import json
import math
import mpmath as mp

# the standard normal density and distribution function at 32 digits (mp.mp.dps set there)
from make_activation_reference import PI, npdf, ncdf


def phi(x):
    return x * ncdf(x)


def dphi(x):
    return ncdf(x) + x * npdf(x)


def smooth(m, s):
    # E[(m + s z) Phi(m + s z)] = m Phi(m/r) + s^2 npdf(m/r)/r with r = sqrt(1 + s^2)
    r = mp.sqrt(1 + s * s)
    return m * ncdf(m / r) + s * s * npdf(m / r) / r


def dsmooth(m, s):
    # E[Phi(x) + x npdf(x)] = Phi(m/r) + m npdf(m/r)/r^3
    r = mp.sqrt(1 + s * s)
    return ncdf(m / r) + m * npdf(m / r) / r ** 3


_NODES = {}


def integrate(f):
    """Integral of f over [-12, 12] (the Gaussian weight beyond is below 1e-31) by 48-point
    Gauss-Legendre panels between -12, -4, 4, 12 and geometric panels towards 0 (down to 1e-12)."""
    key = mp.mp.prec
    if key not in _NODES:
        _NODES[key] = mp.calculus.quadrature.GaussLegendre(mp.mp).calc_nodes(5, mp.mp.prec)
    nodes = _NODES[key]
    edges = [mp.mpf(-12), mp.mpf(-4), mp.mpf(4), mp.mpf(12), mp.mpf(0)]
    for k in range(0, 13):
        edges += [mp.mpf(10) ** (-k), -mp.mpf(10) ** (-k)]
    edges = sorted(set(edges))
    total = mp.mpf(0)
    for lo, hi in zip(edges[:-1], edges[1:]):
        h = (hi - lo) / 2
        mid = (hi + lo) / 2
        total += h * mp.fsum(w * f(mid + h * x) for x, w in nodes)
    return total


def expect2(f, g, a, c, b, d):
    """E[f(u) f(v)] for (u, v) ~ N(0, [[a, c], [c, b]]), D = d exact, g(m, s) = E[f(m + s z)]."""
    sa = mp.sqrt(a)
    if d <= 0:  # collinear: v = (c/a) u
        r = c / a
        return integrate(lambda z: npdf(z) * f(sa * z) * f(r * sa * z))
    m = c / sa
    s = mp.sqrt(d / a)
    return integrate(lambda z1: npdf(z1) * f(sa * z1) * g(m * z1, s))


def closed(a, c, b, d):
    """The published closed form (T, T'), for the check only."""
    delta = mp.sqrt(1 + a + b + d)
    psi = mp.atan2(c, delta)
    pa, pb = 1 + a, 1 + b
    t = c / 4 + ((c * c + a * b * delta ** 2) / (pa * pb * delta) + c * psi) / (2 * PI)
    td = mp.mpf(1) / 4 + psi / (2 * PI) + c / (2 * PI * delta) * (1 / delta ** 2 + (1 - a * b) / (pa * pb) + 1)
    return t, td


def main():
    variances = [1e-6, 0.01, 0.5, 1.0, 3.0, 100.0, 1e4, 1e8]
    rhos = ["-1", "-0.99999999", "-0.97", "-0.5", "-0.001", "0", "0.3", "0.9", "0.99999999", "1"]
    cases = []
    diag = {}
    for a in variances:
        am = mp.mpf(a)
        diag[a] = (expect2(phi, smooth, am, am, am, mp.mpf(0)), expect2(dphi, dsmooth, am, am, am, mp.mpf(0)))
    for i, a in enumerate(variances):
        for b in variances[i:]:
            for rho in rhos:
                am, bm = mp.mpf(a), mp.mpf(b)
                c = float(mp.mpf(rho) * mp.sqrt(am * bm))
                cm = mp.mpf(c)
                dm = am * bm - cm * cm
                while dm < 0:  # c rounded above sqrt(ab): the next double towards 0
                    c = math.nextafter(c, 0.0)
                    cm = mp.mpf(c)
                    dm = am * bm - cm * cm
                assert dm >= 0
                t = expect2(phi, smooth, am, cm, bm, dm)
                td = expect2(dphi, dsmooth, am, cm, bm, dm)
                ts = mp.sqrt(diag[a][0] * diag[b][0])
                tds = mp.sqrt(diag[a][1] * diag[b][1])
                ct, ctd = closed(am, cm, bm, dm)
                if abs(ct - t) > 1e-20 * ts or abs(ctd - td) > 1e-20 * tds:
                    raise SystemExit("integration and closed form disagree at a=%r c=%r b=%r: %s %s %s %s"
                                     % (a, c, b, t, ct, td, ctd))
                cases.append({"a": a, "c": c, "b": b, "d": float(dm), "rho": rho, "t": float(t), "tdot": float(td),
                              "t_scale": float(ts), "tdot_scale": float(tds)})
    print(json.dumps({"description": __doc__.strip().split("\n\n")[0].replace("\n", " "),
                      "generator": "src/test/python/make_gelu_dual_reference.py (mpmath %s, %d digits)"
                      % (mp.__version__, mp.mp.dps),
                      "cases": cases}, indent=1))


main()
