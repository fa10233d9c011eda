#!/usr/bin/env python3
"""Prints the constants of grad4j's math snippets (core/src/main/templates/.../Math.snippets) as Java hex literals.

Run: /usr/bin/python3 core/src/build/math_constants.py   (needs python3-mpmath). The Taylor coefficients are 1/n!
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


# Fits that replace Taylor polynomials (same form, lower degree; Chebyshev fits, close to minimax). Printed highest
# coefficient first, as Math.snippets' Horner steps use them; the relative error of the function they serve is
# measured with the double coefficients.
def horner(coefficients, x):
    p = mpmath.mpf(coefficients[0])
    for k in coefficients[1:]:
        p = p * x + mpmath.mpf(k)
    return p


def report(name, coefficients, value, exact, a, b, points=600):
    worst = max(abs(value(a + (b - a) * mpmath.mpf(i) / points, coefficients)
                    / exact(a + (b - a) * mpmath.mpf(i) / points) - 1)
                for i in range(points + 1) if exact(a + (b - a) * mpmath.mpf(i) / points) != 0)
    print("%s, relative error 2^%s:" % (name, mpmath.nstr(mpmath.log(worst, 2), 4)),
          ", ".join(float(c).hex() for c in coefficients))


def chebyshev(f, a, b, degree):
    return [float(c) for c in mpmath.chebyfit(f, [a, b], degree + 1)]


# float64 exp and expm1: exp(r) = 1 + r + r^2 Q(r), |r| <= ln2/2, Q of degree 10 (the Taylor form needed 11).
half_ln2 = ln2 / 2
q_exp = lambda r: mpmath.mpf(1) / 2 if r == 0 else (mpmath.exp(r) - 1 - r) / r ** 2
report("EXP_Q degree 10", chebyshev(q_exp, -half_ln2, half_ln2, 10),
       lambda r, c: 1 + r + r * r * horner(c, r), mpmath.exp, -half_ln2, half_ln2)
# exp alone takes degree 9 (2^-55.8: its maximum error stays below 1 ulp); expm1, which tanh builds on, keeps 10.
report("EXP_Q degree 9", chebyshev(q_exp, -half_ln2, half_ln2, 9),
       lambda r, c: 1 + r + r * r * horner(c, r), mpmath.exp, -half_ln2, half_ln2)
# float64 log: log(1 + f) = f - f^2/2 + s (f^2/2 + z G(z)), s = f / (2 + f), z = s^2 <= 0.0295: G of degree 7 (the
# atanh series needed 10).
z_max = ((mpmath.sqrt(2) - 1) / (mpmath.sqrt(2) + 1)) ** 2
g_log = lambda z: mpmath.mpf(2) / 3 if z == 0 else (mpmath.log((1 + mpmath.sqrt(z)) / (1 - mpmath.sqrt(z)))
                                                     - 2 * mpmath.sqrt(z)) / mpmath.sqrt(z) ** 3
report("LOG_G degree 7", chebyshev(g_log, 0, z_max, 7),
       lambda z, c: 2 * mpmath.sqrt(z) + mpmath.sqrt(z) ** 3 * horner(c, z),
       lambda z: mpmath.log((1 + mpmath.sqrt(z)) / (1 - mpmath.sqrt(z))), 0, z_max)
# float64 sin and cos on |r| <= pi/4: sin r = r + r^3 S(r^2), cos r = 1 + r^2 C(r^2), S and C of degree 6 (the
# Taylor forms needed 8 and 9).
quarter_pi_squared = (mpmath.pi / 4) ** 2
s_sin = lambda z: -mpmath.mpf(1) / 6 if z == 0 else (mpmath.sin(mpmath.sqrt(z)) - mpmath.sqrt(z)) / mpmath.sqrt(z) ** 3
c_cos = lambda z: -mpmath.mpf(1) / 2 if z == 0 else (mpmath.cos(mpmath.sqrt(z)) - 1) / z
report("SIN_S degree 6", chebyshev(s_sin, 0, quarter_pi_squared, 6),
       lambda z, c: mpmath.sqrt(z) + mpmath.sqrt(z) ** 3 * horner(c, z), lambda z: mpmath.sin(mpmath.sqrt(z)),
       0, quarter_pi_squared)
report("COS_C degree 6", chebyshev(c_cos, 0, quarter_pi_squared, 6),
       lambda z, c: 1 + z * horner(c, z), lambda z: mpmath.cos(mpmath.sqrt(z)), 0, quarter_pi_squared)
# float32 pow in double lanes: log2 m = s P(s^2), s = (m - 1) / (m + 1), P of degree 4; 2^r = 1 + r Q(r), |r| <= 1/2,
# Q of degree 5 (2^-27.6 relative: at most 0.09 of a float ulp on top of the final rounding; degree 6 gave 2^-33.1).
p_log2 = lambda z: 2 / ln2 if z == 0 else (mpmath.log((1 + mpmath.sqrt(z)) / (1 - mpmath.sqrt(z)))
                                           / ln2 / mpmath.sqrt(z))
report("POWF_LOG2_P degree 4", chebyshev(p_log2, 0, z_max, 4),
       lambda z, c: mpmath.sqrt(z) * horner(c, z),
       lambda z: mpmath.log((1 + mpmath.sqrt(z)) / (1 - mpmath.sqrt(z))) / ln2, 0, z_max)
q_exp2 = lambda r: ln2 if r == 0 else (mpmath.power(2, r) - 1) / r
report("POWF_EXP2_Q degree 5", chebyshev(q_exp2, -0.5, 0.5, 5),
       lambda r, c: 1 + r * horner(c, r), lambda r: mpmath.power(2, r), mpmath.mpf(-0.5), mpmath.mpf(0.5))
# float32 exp in float lanes: exp(r) = 1 + r P(r), |r| <= ln2/2, one Horner chain of degree 7 in all (P of degree 6,
# coefficients rounded to float; 2^-29.6 relative). Degree 6 (2^-26.5) left float32 exp at 0.95 ulp, too close to 1.
import struct


def to_float(x):
    return struct.unpack('f', struct.pack('f', float(x)))[0]


p_exp = lambda r: mpmath.mpf(1) if r == 0 else (mpmath.exp(r) - 1) / r
expf_p = [to_float(c) for c in chebyshev(p_exp, -half_ln2, half_ln2, 6)]
report("EXPF_P degree 6 (float)", expf_p, lambda r, c: 1 + r * horner(c, r), mpmath.exp, -half_ln2, half_ln2)


# float32 pow's log2 with an 8-entry table (no division): x = 2^e m, the subinterval i of m is bits 49-51 of
# bits(x) - bits(sqrt(1/2)) (m in [sqrt(1/2), sqrt(2)), eight pieces of equal width in the bits), c_i the middle
# of piece i (1 exactly for the piece holding 1, so that log2 of a power of two stays exact), INV_C = 1/c_i rounded,
# LOG2_C = -log2(INV_C) rounded; r = fma(m, INV_C, -1) and log2 x = e + LOG2_C + r P(r), P of degree 5 fitted to
# log2(1 + r) / r over every piece's range of r. Printed as MathTables' POWF_INV_C, POWF_LOG2_C and the P fit.
def from_bits(b):
    return struct.unpack('<d', struct.pack('<Q', b))[0]


OFF = 0x3fe6a09e667f3bcd
inv_c, log2_c, r_lo, r_hi = [], [], 0, 0
for i in range(8):
    a = from_bits(OFF + (i << 49))
    b = from_bits(OFF + ((i + 1) << 49) - 1)
    if b < a:   # the piece's end crossed into the next binade: m = 2 b, bits below the exponent step
        b = 2 * b
    a_m = mpmath.mpf(a) if a >= mpmath.sqrt(0.5) else 2 * mpmath.mpf(a)
    centre = mpmath.mpf(1) if a_m <= 1 <= b else (a_m + mpmath.mpf(b)) / 2
    inv = float(1 / centre)
    inv_c.append(inv)
    log2_c.append(float(-mpmath.log(mpmath.mpf(inv), 2)))
    r_lo = min(r_lo, a_m * mpmath.mpf(inv) - 1)
    r_hi = max(r_hi, mpmath.mpf(b) * mpmath.mpf(inv) - 1)
print("POWF_INV_C =", ", ".join(v.hex() for v in inv_c))
print("POWF_LOG2_C =", ", ".join(v.hex() for v in log2_c))
print("POWF_LOG2 r in [%s, %s]" % (mpmath.nstr(r_lo, 5), mpmath.nstr(r_hi, 5)))
p_log2r = lambda r: 1 / ln2 if r == 0 else mpmath.log(1 + r, 2) / r
report("POWF_LOG2_TABLE_P degree 5", chebyshev(p_log2r, r_lo, r_hi, 5),
       lambda r, c: r * horner(c, r), lambda r: mpmath.log(1 + r, 2), r_lo, r_hi)
report("POWF_LOG2_TABLE_P degree 6", chebyshev(p_log2r, r_lo, r_hi, 6),
       lambda r, c: r * horner(c, r), lambda r: mpmath.log(1 + r, 2), r_lo, r_hi)
