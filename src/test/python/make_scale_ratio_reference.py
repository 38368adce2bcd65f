"""Generates src/test/resources/reference/scale-ratio-kernels.json: NNGP and NTK values for pairs
that the other reference files do not reach, where a smooth activation (GELU, sin) meets inputs of
very unequal norms, or different inputs that are exactly collinear (two zero rows, x and 2x),
followed by a layer whose rule reads the angle (the ReLU family) or saturates (erf). Each case was
found wrong by a randomised comparison of pair(x, y), pair(y, x), the Gram matrix and the
cross-Gram: GELU's NTK derivative lost digits to a cancellation at variances near 1e33, the
collinear defect D' of a smooth layer was ten times too large in one argument order, and a D' of 0
was taken for an underflow.

Independent of ntk4j's Java code: the closed forms written out with mpmath (GELU: Tsuchida et al.
2021 as published; sin: E[sin u sin v] = e^{-(a+b)/2} sinh c; the ReLU family and erf as in
make_extra_reference.py; rectified_monomial and sign as tabulated in docs/LAYERS.md; selu by 1-D
integrals of closed-form conditional expectations, see selu(); tanh only where one input's
variance given the other's is so large that tanh is a sign to 1e-18, see tanh()), no scale factoring and no collinear defect, the covariances
Sxx, Sxy, Syy carried as they are and D = Sxx Syy - Sxy^2 formed in the working precision. The
precision is raised until two evaluations (at P and 2P digits) agree to 1e-30 of the
Cauchy-Schwarz scale, as D cancels catastrophically for these pairs (for the zero rows it is 0).
Inputs are the exact binary64 values the Java test passes.
Run: python3 make_scale_ratio_reference.py > ../resources/reference/scale-ratio-kernels.json
"""
import json
import mpmath as mp
import make_extra_reference as extra
from make_extreme_reference import parse


def gelu(a, c, b):
    d = a * b - c * c
    delta = mp.sqrt(1 + a + b + d)
    psi = mp.atan2(c, delta)
    pa, pb = 1 + a, 1 + b
    t = c / 4 + ((c * c + a * b * delta ** 2) / (pa * pb * delta) + c * psi) / (2 * mp.pi)
    td = mp.mpf(1) / 4 + psi / (2 * mp.pi) + c / (2 * mp.pi * delta) * (1 / delta ** 2 + (1 - a * b) / (pa * pb) + 1)
    return t, td


def sin(a, c, b):
    e = mp.exp(-(a + b) / 2)
    return e * mp.sinh(c), e * mp.cosh(c)


def tanh(a, c, b):
    """tanh's (T, T'), for the diagonal by 1-D quadrature, otherwise only where the variance of one
    input given the other, s^2 = D/min(a, b), is above 1e18: then tanh(v) = sign(v) and
    sech^2(v) = 2 delta(v) to O(1/s^2), and the inner expectations are closed forms (a different
    algorithm from ntk4j's 2-D quadrature and Mehler series)."""
    def expect(f, sigma):
        cut = 10 / sigma if sigma > 10 else mp.mpf(1)
        return mp.quad(lambda z: mp.npdf(z) * f(sigma * z), [-mp.inf, -1, -cut, 0, cut, 1, mp.inf])
    if a == b == c:
        sigma = mp.sqrt(a)
        return 1 - expect(lambda v: mp.sech(v) ** 2, sigma), expect(lambda v: mp.sech(v) ** 4, sigma)
    small = min(a, b)
    s = mp.sqrt((a * b - c * c) / small)
    if not s > mp.mpf(10) ** 9:
        raise ValueError("tanh reference only for a conditional deviation above 1e9, got %s" % mp.nstr(s, 3))
    sa = mp.sqrt(small)
    m = c / sa
    t = mp.quad(lambda z: mp.npdf(z) * mp.tanh(sa * z) * mp.erf(m * z / (s * mp.sqrt(2))), [-mp.inf, -3, 0, 3, mp.inf])
    td = mp.quad(lambda z: mp.npdf(z) * mp.sech(sa * z) ** 2 * (2 / s) * mp.npdf(m * z / s), [-mp.inf, -3, 0, 3, mp.inf])
    return t, td


SELU_ALPHA = "1.6732632423543773"
SELU_LAMBDA = "1.0507009873554805"


def selu(a, c, b):
    """selu's (T, T'): for exactly collinear inputs of the same direction (c^2 = ab, c > 0: u and v
    are multiples of one standard normal z) as one-dimensional integrals split at the kink;
    otherwise E over u = sqrt(a) z of phi(u) times the closed-form Gaussian expectation of phi (or
    phi') of v given u, mean (c/sqrt(a)) z and deviation s = sqrt(D/a) (Gaussian integrals of x and
    e^x on a half line), the outer integral split at 0 and where the inner mean crosses the kink."""
    al, la = mp.mpf(SELU_ALPHA), mp.mpf(SELU_LAMBDA)
    f = lambda x: la * (x if x > 0 else al * mp.expm1(x))
    df = lambda x: la * (1 if x > 0 else al * mp.exp(x))
    sx, sy = mp.sqrt(a), mp.sqrt(b)
    d = a * b - c * c
    if d == 0 and c > 0:
        e = lambda g: mp.quad(lambda z: mp.npdf(z) * g(z), [-mp.inf, -1, 0, 1, mp.inf])
        return e(lambda z: f(sx * z) * f(sy * z)), e(lambda z: df(sx * z) * df(sy * z))
    m = c / sx
    s = mp.sqrt(d / a)

    def inner_f(mu):
        r = mu / s
        return la * (mu * mp.ncdf(r) + s * mp.npdf(r)) + la * al * (mp.exp(mu + s * s / 2) * mp.ncdf(-r - s) - mp.ncdf(-r))

    def inner_df(mu):
        r = mu / s
        return la * mp.ncdf(r) + la * al * mp.exp(mu + s * s / 2) * mp.ncdf(-r - s)
    w = s / abs(m)
    pts = sorted(set([-mp.inf, -8, -1, -100 * w, -10 * w, -w, 0, w, 10 * w, 100 * w, 1, 8, mp.inf]))
    t = mp.quad(lambda z: mp.npdf(z) * f(sx * z) * inner_f(m * z), pts)
    td = mp.quad(lambda z: mp.npdf(z) * df(sx * z) * inner_df(m * z), pts)
    return t, td


def rectified_monomial(n):
    """x^n for x > 0 (Cho and Saul 2009): T = (ab)^(n/2) J_n(theta)/(2 pi), T' = n^2 (ab)^((n-1)/2)
    J_(n-1)(theta)/(2 pi), J_n as tabulated in docs/LAYERS.md, theta = arccos at the working precision."""
    def j(k, th):
        s, c, de = mp.sin(th), mp.cos(th), mp.pi - th
        return [de, s + de * c, 3 * s * c + de * (1 + 2 * c * c), s * (4 + 11 * c * c) + de * c * (9 + 6 * c * c),
                s * c * (55 + 50 * c * c) + de * (9 + 72 * c * c + 24 * c ** 4)][k]

    def f(a, c, b):
        norm = mp.sqrt(a * b)
        if norm == 0:
            # a zero variance: u = 0, where x^n [x >= 0] is 1 for n = 0 and 0 otherwise (its
            # derivative likewise for n = 1), against E[[v >= 0]] = 1/2 (or 1 if v = 0 too)
            half = mp.mpf(1) if a == b else mp.mpf(0.5)
            return (half if n == 0 else mp.mpf(0)), (half if n == 1 else mp.mpf(0))
        th = mp.acos(max(min(c / norm, 1), -1))
        return norm ** n * j(n, th) / (2 * mp.pi), n * n * norm ** (n - 1) * j(n - 1, th) / (2 * mp.pi)
    return f


def sign(a, c, b):
    """sign: T = (2/pi) atan(c/sqrt(D)), T' = 0 (sign' = 0 almost everywhere, as neural-tangents)."""
    d = a * b - c * c
    if d <= 0:
        t = 0 if c == 0 else (1 if c > 0 else -1)  # a zero variance: sign(0) = 0
    else:
        t = 2 / mp.pi * mp.atan(c / mp.sqrt(d))
    return mp.mpf(t), mp.mpf(0)


def rule(name):
    """The (T, T') rule of an activation token, built at the current precision."""
    if name == "gelu":
        return gelu
    if name == "sin":
        return sin
    if name == "tanh":
        return tanh
    if name == "selu":
        return selu
    if name.startswith("rectified_monomial("):
        return rectified_monomial(int(name[19:-1]))
    if name == "sign":
        return sign
    if name == "identity":
        return lambda a, c, b: (c, mp.mpf(1))
    if name == "relu":
        return extra.abrelu(0, 1)
    if name.startswith("abrelu("):
        a, b = name[7:-1].split(",")
        return extra.abrelu(float(a), float(b))
    if name.startswith("leaky_relu("):
        return extra.abrelu(float(name[11:-1]), 1)
    if name == "erf":
        return extra.erf()
    if name.startswith("erf("):
        a, b, c = name[4:-1].split(",")
        return extra.erf(float(a), float(b), float(c))
    raise ValueError(name)


class Rules:
    """The rule of each activation token, for make_extra_reference.kernels."""

    def __getitem__(self, name):
        return rule(name)


def kernels(net, x, y):
    return extra.kernels(parse(net), x, y, Rules())


def exact(net, x, y):
    prev = None
    dps = 60
    while True:
        with mp.workdps(dps):
            nngp, ntk = kernels(net, x, y)
            kxx, txx = kernels(net, x, x)
            kyy, tyy = kernels(net, y, y)
            cur = (nngp, ntk, mp.sqrt(abs(kxx * kyy)), mp.sqrt(abs(txx * tyy)))
            if prev is not None and all(abs(p - q) <= mp.mpf("1e-30") * max(abs(q), cur[2 + i % 2])
                                        for i, (p, q) in enumerate(zip(prev[:2], cur[:2]))):
                return cur, dps
            prev = cur
        if dps > 4000:
            raise RuntimeError("no convergence for " + net)
        dps *= 2


NEAR_X = [-1.4322295906494114, 0.24394547439408978, 1.8587048025039032, 1.2905031375239315, 0.8878542946316081,
          -0.055975472383918645]
NEAR_Y = [-1.4322295928225481, 0.24394547405141945, 1.8587048033325368, 1.2905031371099343, 0.8878542961110065,
          -0.05597547245706269]

ANTI_X = [0.20411325345795223, 0.696264495872492, 0.7434922643117466, -0.703085720855368, 0.47300894851549025,
          -0.7213488627838663]
ANTI_Y = [-0.2041132534579972, -0.6962644958722318, -0.7434922643122955, 0.7030857208546246, -0.47300894851583297,
          0.7213488627838076]

ERF_ANTI_X = [1.0838900435186605, 0.915718206331632, 0.5554036696004818]
ERF_ANTI_Y = [-1.0839586021329448, -0.9156905930540468, -0.5554426068820841]

RM_ANTI_X = [0.32952635545456765, -0.24484149081526282, -1.3050487513693192]
RM_ANTI_Y = [-0.3526813612411853, 0.29204760754612474, 1.3174528384498334]


def main():
    big = [2.0662619126584352E16]
    small = [2.5229913969839595E7]
    gelu_in = "dense(1.694,0.743) gelu "
    cases = []
    specs = [
        # one norm 1e9 times the other: GELU's variances 1.2e33 and 1.8e15
        (gelu_in + "dense(1,0)", big, small, "norms 2e16 and 2.5e7"),
        (gelu_in + "dense(0.954,0) relu dense(1,0)", big, small, "norms 2e16 and 2.5e7"),
        (gelu_in + "dense(0.954,0) abrelu(-0.3,1.2) dense(1,0)", big, small, "norms 2e16 and 2.5e7"),
        (gelu_in + "dense(1,0) erf dense(1,0)", big, small, "norms 2e16 and 2.5e7"),
        (gelu_in + "dense(0.954,0) abrelu(-0.3,1.2) dense(2.493,0.338) erf(1.3,0.7,0.2) dense(2.149,0)", big, small,
         "norms 2e16 and 2.5e7"),
        # tanh with one input's norm 1e14 times the other's: the 2-D quadrature's inner rule met tanh'
        # spike when the smaller variance was the outer variable (2.8e-4 off in that order)
        ("dense(1.281,0) tanh dense(1,0)", [0.3598511640793225, -0.21591074542098815],
         [-1.2346602983206473E14, -9.646392951288738E12], "norms 0.42 and 1.2e14"),
        ("dense(1.281,0) tanh dense(0.866,0.217) identity dense(1.175,0) erf dense(1.957,0.198)",
         [0.3598511640793225, -0.21591074542098815], [-1.2346602983206473E14, -9.646392951288738E12],
         "norms 0.42 and 1.2e14"),
        ("dense(2.233,0) tanh dense(1.288,0.773)",
         [1.807446683262593, -1.9245438921559392, -0.12660470924307798, 0.6696761169347814, -1.8175581767761955],
         [8.300786758547414E9, -5.407335197586654E9, 8.253882315121427E9, 2.224834243072882E9, -8.77811411361436E9],
         "norms 3.3 and 1.5e10"),
        # GELU at moderate variances (3800), nearly collinear: Simpson's rule in c across the turn of Tdot
        # where D ~ 1 + Sxx + Syy left 6.4e-8 in the NTK after a ReLU
        ("dense(1,0) gelu dense(1,0) relu dense(1,0)", [100.0, 30.0, -20.0], [100.0, 30.0, -17.0], "sin^2 = 8e-4"),
        ("dense(1,0) gelu dense(1,0) relu dense(1,0)", [100.0, 30.0, -20.0], [100.0, 30.0, -19.7], "sin^2 = 8e-6"),
        # rectified_monomial(n >= 2) formed D' by subtraction: lost at sin^2 = 5e-19 (a sign layer after it gave 1)
        ("dense(1.469,0) rectified_monomial(2) dense(1,0) sign dense(1,0)", NEAR_X, NEAR_Y, "nearly collinear 1e-9"),
        ("dense(1.469,0) erf(1.3,0.7,0.2) dense(1.365,0) rectified_monomial(2) dense(1,0) sign dense(1,0)", NEAR_X, NEAR_Y,
         "nearly collinear 1e-9"),
        ("dense(1.469,0) rectified_monomial(3) dense(1,0) sign dense(1,0)", NEAR_X, NEAR_Y, "nearly collinear 1e-9"),
        ("dense(1.2,0.1) rectified_monomial(4) dense(1,0) relu dense(1,0)", NEAR_X, NEAR_Y, "nearly collinear 1e-9"),
        # different inputs, exactly collinear
        ("dense(1,0.83) relu dense(2.443,0) sin dense(2.181,0) relu dense(1,0)", [0.0] * 5, [0.0] * 5, "two zero rows"),
        ("dense(0.618,0.83) abrelu(-0.3,1.2) dense(2.443,0) sin dense(2.181,0) leaky_relu(0.1) dense(0.641,0.928) "
         "erf(1.3,0.7,0.2) dense(1.39,0.515)", [0.0] * 5, [0.0] * 5, "two zero rows"),
        ("dense(1.3,0) gelu dense(1,0) relu dense(1,0)", [0.8, -0.3, 1.1], [1.6, -0.6, 2.2], "collinear x2"),
        # selu (a kink at 0): two zero rows and x, 2x went through D' by subtraction
        ("dense(1.284,0.665) selu dense(1.209,0.371) relu dense(1,0)", [0.0], [0.0], "two zero rows"),
        ("dense(1.3,0) selu dense(1,0) relu dense(1,0)", [0.8, -0.3, 1.1], [1.6, -0.6, 2.2], "collinear x2"),
        ("dense(1.3,0.2) selu dense(1,0) relu dense(1,0)", [0.8, -0.3, 1.1], [0.8, -0.3, 1.1000001], "1e-7 apart"),
        ("dense(1.3,0.2) selu dense(1,0) relu dense(1,0)", [0.8, -0.3, 1.1], [0.8, -0.3, 1.1000000001], "1e-9 apart"),
        ("dense(1.3,0) gelu dense(1,0) relu dense(1,0)", [0.8e3, -0.3e3, 1.1e3], [0.8e-2, -0.3e-2, 1.1e-2],
         "collinear x1e-5"),
        ("dense(1.3,0) gelu dense(1,0) erf dense(1,0)", [0.8e6, -0.3e6, 1.1e6], [0.8e-1, -0.3e-1, 1.1e-1],
         "collinear x1e-7"),
        # found by a randomised comparison with these closed forms (random networks and data):
        # sin at pre-activation variances 1e6 and 1e13 formed S -/+ 2 Sxy by subtraction (4e-10 in K;
        # anti-collinear, 6e-4 two layers on)
        ("dense(1.661,0.654) sin dense(0.458,0.112)", [453.0217935473211, 1669.7561472878256],
         [453.02196198241245, 1669.7563011877319], "nearly collinear 2e-7, norm 1700"),
        ("dense(1.554,0.754) sin dense(0.828,0.145) leaky_relu(0.1) dense(1.561,0.413) sign dense(2.719,0.748)",
         [585522.4864641395, -3622450.3118992723], [-585522.4864635888, 3622450.311909023],
         "nearly anti-collinear 1e-12, norm 4e6"),
        # erf(a,b,c) at variances near 1e-14: tau_y - tau_x of two taus 1 - O(1e-14) lost the angle
        ("dense(1.758,0) erf(1.3,0.7,0.2) dense(2.7,0) rectified_monomial(2) dense(0.757,0) rectified_monomial(0) "
         "dense(1.924,0)", [2.6609349424793954e-08, 1.0090582780064246e-08],
         [7.436551518473345e-07, -3.7559246938231573e-10], "norms 2.8e-8 and 7.4e-7"),
        # rectified_monomial(3) nearly anti-collinear: 1 - cos as sin^2/(1 + cos) divided by rounding
        ("dense(0.427,0) rectified_monomial(3) dense(2.046,0.621) rectified_monomial(2) dense(1.012,0.99)", ANTI_X, ANTI_Y,
         "nearly anti-collinear 2e-12"),
        ("dense(0.427,0) rectified_monomial(3) dense(2.046,0.621) sign dense(1,0)", ANTI_X, ANTI_Y,
         "nearly anti-collinear 2e-12"),
        # erf (odd) nearly anti-collinear: 1 + cos theta' by subtraction, then a step layer (T = (pi - theta)/(2 pi))
        ("dense(1.682,0) erf dense(1.2,0) rectified_monomial(0) dense(1,0)", ERF_ANTI_X, ERF_ANTI_Y,
         "nearly anti-collinear 4e-5"),
        ("dense(1.682,0) erf dense(1.2,0) rectified_monomial(0) dense(2.766,0) relu dense(0.972,0)", ERF_ANTI_X,
         ERF_ANTI_Y, "nearly anti-collinear 4e-5"),
        # sin at standard deviations near 1,000: CollinearDefect's quadrature of G and H could not follow
        # sin(sigma z) (2.5e-4 in the sign layer's K)
        ("dense(1.365,0.67) sin dense(1.696,0.429) sign dense(1,0)", [-41.596060214258415, 1012.0356132220754],
         [-41.595619748559585, 1012.0425281350338], "nearly collinear 8e-6, norm 1,000"),
        # sign of nearly orthogonal inputs: T = (2/pi)(pi/2 - theta) as a difference of two angles near pi/2
        ("dense(1,0) sign dense(1,0)", [1.0, 0.0], [1e-8, 1.0], "nearly orthogonal 1e-8"),
        ("dense(1.1,0) rectified_monomial(2) dense(1,0) sign dense(1,0)", RM_ANTI_X, RM_ANTI_Y,
         "nearly anti-collinear 0.05"),
        # GELU of inputs of large norm on the anti-collinear side: T/4 + T psi/(2 pi) cancelled (3e-10 at norm 100,
        # the wrong sign at 4e5)
        ("dense(1.2,0) gelu dense(1,0)", [-78.49353784015642, -113.83433665031757, 9.546082324696265],
         [78.4935492463244, 113.8342973927711, -9.546081731327572], "nearly anti-collinear 1e-6, norm 140"),
        ("dense(1.2,0) gelu dense(1,0) relu dense(1,0)", [-14196.971246015251, -1714.1711102961037, -14737.9648415838],
         [14196.97127583802, 1714.1697757015654, 14737.967993830622], "nearly anti-collinear 1e-6, norm 2e4"),
        ("dense(1.2,0) gelu dense(1,0)", [-92669.90494728525, 370181.5451445365, 103328.64707158378],
         [92669.81170885378, -370181.7538323842, -103328.56316603946], "nearly anti-collinear 1e-6, norm 4e5"),
        # a saturated erf after an erf that left the pair nearly anti-collinear: refused before (rough angle)
        ("dense(1,0) erf dense(30,0) erf dense(1,0)", [0.8, -0.3, 1.1], [-0.8000000008000001, 0.3, -1.1],
         "nearly anti-collinear 1e-9"),
        ("dense(3,0) erf dense(100,0) erf dense(1,0) sign dense(1,0)", [0.8, -0.3, 1.1], [-0.8000000008000001, 0.3, -1.1],
         "nearly anti-collinear 1e-9"),
        # variances beyond about 1e+-154, where the product of two overflows or underflows although each
        # fits: the covariance rules took Sxy and D at the actual variances (sign 6.8 and a step layer
        # 3.7e4 times off at 1e160, a sign layer after ReLU 30 times at 1e-300), rectified_monomial(3)
        # formed D' = T(x,x)T(y,y) - T^2 (a ReLU layer after it 3 % off at 1e100), GELU's
        # Sxx Syy delta^2 and (1 + Sxx)(1 + Syy) overflowed (107 % at 1e80, 29 % at 1e2 and 1e160),
        # T(x,x)T(y,y) underflowed in CollinearDefect (a step layer after GELU 5.5e-8 at 1e-160), and
        # erf's 1 - cos theta' lost its digits to a product below the double range (100 % at 1e-160)
        # and to the output norms far apart (100 % at 1e-2 and 1e-300; 2.9e-8 found at random)
        ("dense(1,0) sign dense(1,0) relu dense(1,0)", [1.414213562373095e+80, 0.0],
         [-9.899494936611666e+79, 1.0099504938362078e+80], "variances 1e160, cos -0.7"),
        ("dense(1,0) rectified_monomial(0) dense(1,0) sign dense(1,0)", [1.414213562373095e+80, 0.0],
         [-1.4142135609588816e+80, 6.324555230901438e+75], "variances 1e160, cos -(1 - 1e-9)"),
        ("dense(1,0) relu dense(1,0) sign dense(1,0)", [1.4142135623730952e-150, 0.0],
         [-9.899494936611666e-151, 1.0099504938362079e-150], "variances 1e-300, cos -0.7"),
        ("dense(1,0) rectified_monomial(3) dense(1,0) relu dense(1,0)", [1.4142135623730952e+50, 0.0],
         [4.2426406871192857e+49, 1.3490737563232044e+50], "variances 1e100, cos 0.3"),
        ("dense(1,0) gelu dense(1,0)", [1.414213562373095e+40, 0.0], [4.242640687119285e+39, 1.3490737563232041e+40],
         "variances 1e80, cos 0.3"),
        ("dense(1,0) gelu dense(1,0) relu dense(1,0)", [1.4142135623730952e+50, 0.0],
         [1.4142135609588818e+50, 6.324555230901438e+45], "variances 1e100, cos 1 - 1e-9"),
        ("dense(1,0) gelu dense(1,0)", [14.142135623730951, 0.0], [1.4142135609588816e+80, 6.324555230901438e+75],
         "variances 1e2 and 1e160, cos 1 - 1e-9"),
        ("dense(1,0) gelu dense(1,0) rectified_monomial(0) dense(1,0)", [1.414213562373095e-80, 0.0],
         [-1.4142135609588816e-80, 6.324555230901438e-85], "variances 1e-160, cos -(1 - 1e-9)"),
        ("dense(1,0) erf dense(1,0) relu dense(1,0)", [1.414213562373095e-80, 0.0],
         [-1.4142135609588816e-80, 6.324555230901438e-85], "variances 1e-160, cos -(1 - 1e-9)"),
        ("dense(1,0) erf dense(1,0) relu dense(1,0)", [1.414213562373095e-80, 0.0],
         [1.4142135609588816e-80, 6.324555230901438e-85], "variances 1e-160, cos 1 - 1e-9"),
        ("dense(1,0) erf dense(1,0) sign dense(1,0)", [0.14142135623730953, 0.0],
         [1.4142135609588818e-150, 6.3245552309014385e-155], "variances 1e-2 and 1e-300, cos 1 - 1e-9"),
        ("dense(0.372,0.0) erf dense(2.034,0.0) rectified_monomial(1) dense(1.738,0.0) sign dense(2.047,0.276) "
         "abrelu(0.5,-2) dense(1.463,0.32)",
         [0.0004479267534856745, 8.112303472575678e-05, -0.00030432443385817705, 0.0003340504118300671,
          -0.0006001307144397265, 0.00014716000572235027],
         [5.125555264660666e-08, 9.276528106059599e-09, -3.4808499879138586e-08, 3.8155120250771494e-08,
          -6.861214995701924e-08, 1.6839450576129865e-08], "nearly collinear 6e-4, scaled 1.1e-4"),
        # CollinearDefect's gap integral in one 6-point panel, where GELU's T' turns inside the interval
        # (D falling through 1 + Sxx + Syy): 2.2e-10 in the sign layer; the second found at random
        ("dense(1,0) gelu dense(1,0) sign dense(1,0)", [1414.213562373095, 0.0], [14141287095.593529, 154917010.04086027],
         "variances 1e6 and 1e20, 6e-5 from collinear"),
        ("dense(1.472,0.928) leaky_relu(0.1) dense(2.35,0.851) gelu dense(2.398,0.206) rectified_monomial(2) "
         "dense(0.47,0.0) sign dense(0.384,0.0)", [-92.39244970781093, 2.3909841532227536],
         [-6750263153.174725, 174687133.8552652], "scaled 7.3e7"),
    ]
    for net, x, y, kind in specs:
        (nngp, ntk, ns, ts), dps = exact(net, x, y)
        cases.append({"net": net, "kind": kind, "x": x, "y": y,
                      "nngp": mp.nstr(nngp, 25), "ntk": mp.nstr(ntk, 25),
                      "nngp_scale": mp.nstr(ns, 25), "ntk_scale": mp.nstr(ts, 25), "digits": dps})
    print(json.dumps({"description": __doc__.strip().split("\n\n")[0].replace("\n", " "),
                      "generator": "src/test/python/make_scale_ratio_reference.py (mpmath %s)" % mp.__version__,
                      "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
