"""Coefficients of KernelMath's atan polynomial for |t| <= 1 (KernelMath.atanOnCircle).

atan(t) = t + t^3 A(t^2): A is the Chebyshev interpolant of degree 20 of
(atan(sqrt z)/sqrt z - 1)/z on z in [0, 1], computed by mpmath.chebyfit at 60 digits.
Prints the interpolation error and the coefficients, lowest degree first, as Java constants.
"""
import mpmath as mp

mp.mp.dps = 60


def f(z):
    if z == 0:
        return mp.mpf(-1) / 3
    s = mp.sqrt(z)
    return (mp.atan(s) / s - 1) / z


if __name__ == "__main__":
    poly, err = mp.chebyfit(f, [0, 1], 21, error=True)
    print("// interpolation error", mp.nstr(err, 5))
    for i, c in enumerate(reversed(poly)):
        print("private static final double A%d = %r;" % (i, float(c)))
