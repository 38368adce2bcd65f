"""Where Gauss-Hermite rules of 8, 16, 32 and 64 nodes integrate E[f(mu + s Z)] (Z standard
normal) to rounding level, for f analytic in the strip |Im x| < 1 and no wider: f = 1/(1 + x^2)
(poles at +-i), and for tanh and sech^2 (poles at +-i pi/2). Reference: scipy's adaptive QUADPACK
(quad) over [-12, 12]. Prints the worst error over mu in [-4, 4] for each spread s; the limits in
io.github.ntk4j.net.InnerHermite are the largest s whose worst error is at rounding level for
f = 1/(1 + x^2) (relative).

    python3 src/test/python/inner_hermite_limits.py
"""
import numpy as np
from scipy import integrate

FUNCTIONS = {"1/(1+x^2)": lambda x: 1 / (1 + x * x), "tanh": np.tanh, "sech^2": lambda x: 1 / np.cosh(x) ** 2}


def reference(f, mu, s):
    g = lambda z: f(mu + s * z) * np.exp(-z * z / 2) / np.sqrt(2 * np.pi)
    return integrate.quad(g, -12, 12, epsabs=1e-17, epsrel=1e-15, limit=500)[0]


def main():
    for name, f in FUNCTIONS.items():
        for n in [8, 16, 32, 64]:
            x, w = np.polynomial.hermite.hermgauss(n)
            worst = []
            for s in [0.02, 0.05, 0.1, 0.12, 0.15, 0.2, 0.22, 0.3, 0.35, 0.4]:
                err = 0
                for mu in np.linspace(-4, 4, 33):
                    r = reference(f, mu, s)
                    a = np.sum(w * f(mu + s * np.sqrt(2) * x)) / np.sqrt(np.pi)
                    err = max(err, abs(a - r) / max(abs(r), 1e-300) if name != "tanh" else abs(a - r))
                worst.append("s=%g: %.1e" % (s, err))
            print("%-10s %2d nodes  %s" % (name, n, "  ".join(worst)))


if __name__ == "__main__":
    main()
