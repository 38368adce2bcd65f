"""Reference values for EluMomentsTest: E[phi(m + sZ)] and E[phi'(m + sZ)], Z standard normal,
for the ELU family phi(v) = scale*v (v > 0), scale*alpha*(exp(v) - 1) (v <= 0), by mpmath's
quadrature at 40 digits, split at the kink v = 0 (z = -m/s), at z = 0, at z = s and on a grid.

Cases: alpha 1 (elu), 0.5, 2 and selu's (alpha, scale); inner spreads s from 1e-10 to 30; means
from 0 (and within a few s of it, where the linear and exponential sides cancel) to +-60.
Writes src/test/resources/reference/elu-moments.json.
"""
import json
import mpmath as mp

mp.mp.dps = 40
SELU_ALPHA = mp.mpf('1.6732632423543772848170429916717')
SELU_SCALE = mp.mpf('1.0507009873554804934193349852946')


def moments(m, s, alpha, scale):
    m = mp.mpf(m)
    s = mp.mpf(s)
    pdf = lambda z: mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)
    def phi(v):
        return scale * (v if v > 0 else alpha * mp.expm1(v))
    def dphi(v):
        return scale * (1 if v > 0 else alpha * mp.exp(v))
    k = -m / s
    # break points: the kink, 0 (the Gaussian's peak), s (the peak of e^{sz}·pdf(z), the
    # exponential side's integrand) and a grid of step 4, so that every piece is smooth and
    # narrow enough for the tanh-sinh rule (with [-60, 0, 20, 60] alone it was 0.3 % off at
    # mean -600, s 30, against mpmath's ncdf: E[phi'] = Phi(a) + exp(m + s^2/2) Phi(-a - s))
    grid = [mp.mpf(z) for z in range(-60, 61, 4)]
    pts = sorted(set(grid + [mp.mpf(0), s] + ([k] if -60 < k < 60 else [])))
    f0, e0 = mp.quad(lambda z: phi(m + s * z) * pdf(z), pts, error=True)
    f1, e1 = mp.quad(lambda z: dphi(m + s * z) * pdf(z), pts, error=True)
    if e0 > mp.mpf('1e-25') * abs(f0) or e1 > mp.mpf('1e-25') * abs(f1):
        return None  # mpmath cannot vouch for these digits
    return f0, f1


cases = []
skipped = []
params = [(1, 1, 'elu'), (0.5, 1, 'elu(0.5)'), (2, 1, 'elu(2)'), (float(SELU_ALPHA), float(SELU_SCALE), 'selu')]
spreads = [1e-10, 1e-7, 1e-4, 0.01, 0.3, 1, 3, 30]
for alpha, scale, name in params:
    a = mp.mpf(alpha) if name != 'selu' else SELU_ALPHA
    sc = mp.mpf(scale) if name != 'selu' else SELU_SCALE
    for s in spreads:
        # means at multiples of s (the kink within a few inner standard deviations), then fixed ones
        means = [rel * s for rel in [0, 0.3, -0.3, 1, -1, 2.5, -2.5, 8, -8, 20, -20]]
        for m in means + [1e-3, -1e-3, 0.5, -0.5, 2, -2, 15, -15, 60, -60]:
            r = moments(m, s, a, sc)
            if r is None:
                skipped.append((name, m, s))
                continue
            f0, f1 = r
            cases.append({"activation": name, "mean": m, "s": s, "phi": mp.nstr(f0, 25), "dphi": mp.nstr(f1, 25)})

with open('src/test/resources/reference/elu-moments.json', 'w') as out:
    json.dump({"source": "src/test/python/make_elu_moments_reference.py (mpmath, 40 digits)", "cases": cases}, out, indent=0)
print(len(cases), "cases; left out (mpmath's error estimate too large):", skipped)
