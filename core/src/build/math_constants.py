#!/usr/bin/env python3
"""Prints the constants of grad4j's math snippets (core/src/main/templates/.../Math.snippets) as Java hex literals.

Run: python3 core/src/build/math_constants.py   (needs python3-mpmath). The Taylor coefficients are 1/n!
correctly rounded; ln 2 and pi/2 are split into parts whose products with small integers are exact.
"""
from fractions import Fraction
from math import factorial
import mpmath

mpmath.mp.prec = 400


def hexd(x):
    return float(x).hex()


def split(value, bits):
    """value's leading `bits` significant bits, as a double, and the remainder."""
    m, e = mpmath.frexp(value)
    hi = mpmath.ldexp(mpmath.floor(mpmath.ldexp(m, bits)), e - bits)
    return hi, value - hi


ln2 = mpmath.log(2)
hi, lo = split(ln2, 53)
print("LN2_HI (53 bits) =", hexd(hi), " LN2_LO =", hexd(lo))
hi42, lo42 = split(ln2, 42)
print("LN2_HI42 (42 bits) =", hexd(hi42), " LN2_LO42 =", hexd(lo42))
print("LOG2E =", hexd(1 / ln2))
half_pi = mpmath.pi / 2
p1, rest = split(half_pi, 53)
p2, rest = split(rest, 53)
p3, rest = split(rest, 53)
print("PIO2_1 =", hexd(p1), " PIO2_2 =", hexd(p2), " PIO2_3 =", hexd(p3))
print("TWO_OVER_PI =", hexd(2 / mpmath.pi))
for n in range(2, 22):
    print("1/%d! =" % n, hexd(Fraction(1, factorial(n))))
for j in range(1, 12):
    print("2/%d =" % (2 * j + 1), hexd(Fraction(2, 2 * j + 1)))


# erf: erf(x) = x P(x^2) for |x| < 1, P a Chebyshev fit of erf(sqrt(z))/sqrt(z) on z in [0, 1]; above,
# erf(x) = 1 - exp(-x^2) erfcx(x) with erfcx(x) = exp(x^2) erfc(x) fitted in u = x - centre on three pieces.
def fit(f, a, b, degree):
    coefficients, error = mpmath.chebyfit(f, [a, b], degree + 1, error=True)
    return [hexd(c) for c in coefficients], error


def erf_over_x(z):
    if z == 0:
        return 2 / mpmath.sqrt(mpmath.pi)
    r = mpmath.sqrt(z)
    return mpmath.erf(r) / r


coefficients, error = fit(erf_over_x, 0, 1, 12)
print("ERF_SMALL (highest first), max error %s:" % mpmath.nstr(error, 3), ", ".join(coefficients))
for lo, hi in ((1, 2), (2, 3.5), (3.5, 6)):
    centre = mpmath.mpf(lo + hi) / 2
    half = mpmath.mpf(hi - lo) / 2
    # One degree for the three pieces, so that a SIMD lane selects its piece's coefficient at each Horner step.
    degree = 20
    coefficients, error = fit(lambda u: mpmath.erfc(centre + u) * mpmath.exp((centre + u) ** 2), -half, half, degree)
    value = mpmath.erfc(centre + half) * mpmath.exp((centre + half) ** 2)
    print("ERFCX [%s, %s] centre %s degree %d, relative error %s:" % (lo, hi, centre, degree,
          mpmath.nstr(error / value, 3)), ", ".join(coefficients))
