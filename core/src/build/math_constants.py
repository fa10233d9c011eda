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
def short_reciprocal(first, last, max_q):
    """The table's 1/c for the piece [first, last]: 1 where the piece holds 1, else k / 2^q with the smallest worst
    |m/c - 1| over the piece among q <= max_q whose product m (k / 2^q) - 1 is exact (worst below 2^-q, or 2^(1-q)
    above 1). Returns (worst, 1/c)."""
    if first <= 1 <= last:
        return max(1 - first, last - 1), mpmath.mpf(1)
    below_one = last < 1
    best = None
    centre = (first + last) / 2
    for q in range(1, max_q + 1):
        for k in range(int(mpmath.floor(2 ** q / centre)) - 1, int(mpmath.floor(2 ** q / centre)) + 3):
            inv = mpmath.mpf(k) / 2 ** q
            worst = max(abs(first * inv - 1), abs(last * inv - 1))
            if worst < (mpmath.mpf(2) ** -q if below_one else mpmath.mpf(2) ** (1 - q)):
                if best is None or worst < best[0]:
                    best = (worst, inv)
    return best


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


# float64 pow for |y| <= 32 (powTableLog, powTableExp), no division: x = 2^e m, m in [OFF, 2 OFF) cut into eight
# pieces by bits 49-51 of bits(x) - bits(OFF); OFF puts 1 in the middle of piece 4 (m in [1 - 1/24, 1 + 1/24]:
# 2/3 of the piece's bit patterns below 1, where they are twice as dense). INV_C = K 2^-q with q as large as keeps
# r = m INV_C - 1 exact for every m of the piece (|r| < 2^-q below 1, 2^(1-q) above: the integer M K - 2^(52+q)
# fits 53 bits), 1 for piece 4; LOG_C = -log(INV_C) as HI (a multiple of 2^-42, so e LN2_HI + HI is exact) + LO.
# log1p(r) = r - r^2/2 + r^3 P(r), P fitted on the union of the pieces' ranges of r.
POW_OFF = 0x3ff0000000000000 - (14 << 49) // 3
assert POW_OFF == 0x3fe6aaaaaaaaaaab, hex(POW_OFF)
ln2_hi42 = mpmath.mpf(float.fromhex('0x1.62e42fefa3800p-1'))
assert ln2_hi42 * 2 ** 42 == int(ln2_hi42 * 2 ** 42)
pow_inv_c, pow_log_c_hi, pow_log_c_lo, r_min, r_max = [], [], [], mpmath.mpf(0), mpmath.mpf(0)
for i in range(8):
    first = from_bits(POW_OFF + (i << 49))
    last = from_bits(POW_OFF + ((i + 1) << 49) - 1)
    first = mpmath.mpf(first) if first >= 0.7 else 2 * mpmath.mpf(first)
    last = mpmath.mpf(last) if last >= 0.7 else 2 * mpmath.mpf(last)
    worst, inv = short_reciprocal(first, last, 13)
    r_min = min(r_min, first * inv - 1)
    r_max = max(r_max, last * inv - 1)
    log_c = -mpmath.log(inv)
    hi = mpmath.floor(log_c * 2 ** 42 + mpmath.mpf(0.5)) / 2 ** 42
    pow_inv_c.append(float(inv))
    pow_log_c_hi.append(float(hi))
    pow_log_c_lo.append(float(log_c - hi))
    assert mpmath.mpf(float(inv)) == inv and mpmath.mpf(float(hi)) == hi
    # Fast2Sum(e LN2_HI + HI, r) needs |HI| >= |r| when e = 0 (or HI = 0)
    assert hi == 0 or abs(hi) >= worst, (i, hi, worst)
print("POW_INV_C =", ", ".join(v.hex() for v in pow_inv_c))
print("POW_LOG_C_HI =", ", ".join(v.hex() for v in pow_log_c_hi))
print("POW_LOG_C_LO =", ", ".join(v.hex() for v in pow_log_c_lo))
print("POW log: r in [%s, %s]" % (mpmath.nstr(r_min, 6), mpmath.nstr(r_max, 6)))
p_log1p = lambda r: mpmath.mpf(1) / 3 if r == 0 else (mpmath.log1p(r) - r + r * r / 2) / r ** 3
for degree in (8, 9, 10, 11):
    coefficients = chebyshev(p_log1p, r_min, r_max, degree)
    worst = max(abs(r ** 3 * horner(coefficients, r) - (mpmath.log1p(r) - r + r * r / 2))
                for r in (r_min + (r_max - r_min) * mpmath.mpf(j) / 2000 for j in range(2001)))
    print("POW_LOG1P_P degree %d, absolute error 2^%s:" % (degree, mpmath.nstr(mpmath.log(worst, 2), 4)),
          ", ".join(float(c).hex() for c in coefficients))
# exp: t = k ln2/8 + r, k = rint(t 8/ln2), |r| <= ln2/16 (plus the low part of t); 2^(k/8) = 2^(k>>3) 2^(j/8),
# j = k & 7: EXP_T_BITS[j] = bits(2^(j/8) rounded) - (j << 49), so that adding k << 49 gives the bits of 2^(k/8)'s
# rounded value (MathTables.POW_EXP_T holds the doubles with these bits); EXP_TAIL[j] = (2^(j/8) - rounded) /
# rounded. LN2/8 split into 39 bits (|k| < 2^13: k HI exact) + LO.
ln2_8_hi, ln2_8_lo = split(ln2 / 8, 39)
print("LN2_8_HI (39 bits) =", hexd(ln2_8_hi), " LN2_8_LO =", hexd(ln2_8_lo), " 8/LN2 =", hexd(8 / ln2))
exp_t_bits, exp_tail = [], []
for j in range(8):
    v = mpmath.power(2, mpmath.mpf(j) / 8)
    rounded = float(v)
    exp_t_bits.append(struct.unpack('<Q', struct.pack('<d', rounded))[0] - (j << 49))
    exp_tail.append(float((v - mpmath.mpf(rounded)) / mpmath.mpf(rounded)))
print("POW_EXP_T (the doubles with bits EXP_T_BITS) =", ", ".join(from_bits(b).hex() for b in exp_t_bits))
print("POW_EXP_TAIL =", ", ".join(v.hex() for v in exp_tail))
# The log's low part is not folded into its high part: t's low part y wLl, up to 32 |r^3 P(r)| < 0.0027, widens r.
r_exp = ln2 / 16 + mpmath.mpf(0.0027)
for degree in (5, 6):
    report("POW_EXP_Q degree %d" % degree, chebyshev(q_exp, -r_exp, r_exp, degree),
           lambda r, c: 1 + r + r * r * horner(c, r), mpmath.exp, -r_exp, r_exp)


# float32 pow in float lanes for |y| <= 32 (powfTable): x = 2^e m, m in [sqrt(1/2), sqrt(2)) from the bits
# (T = bits(x) - 0x3f3504f3, e = T >> 23), cut into sixteen pieces by bits 19-22 of T (one float register each at
# 512 bits). POWF16_INV_C = K 2^-q with q as large as keeps r = m INV_C - 1 exact in float for every m of the piece
# (the integer M K - 2^(23+q), resp. 2^(24+q) below 1, fits 24 bits), 1 for the piece holding 1, so that powers of
# two stay exact. POWF16_LOG2_C = -log2(INV_C) as HI (a multiple of 2^-16, so that e + HI is exact) + LO (float).
# log2(1 + r) = r K_HI (as an exact pair by fma) + r (K_LO + r P(r)), K = 1/ln 2 split at float precision.
def to_float_exact(x):
    f = to_float(x)
    assert mpmath.mpf(f) == x, x
    return f


def float_bits(f):
    return struct.unpack('<I', struct.pack('<f', f))[0]


def from_float_bits(b):
    return struct.unpack('<f', struct.pack('<I', b))[0]


F_OFF = 0x3f3504f3
f_inv_c, f_log2_hi, f_log2_lo, fr_min, fr_max = [], [], [], mpmath.mpf(0), mpmath.mpf(0)
for i in range(16):
    first = mpmath.mpf(from_float_bits(F_OFF + (i << 19)))
    last = mpmath.mpf(from_float_bits(F_OFF + ((i + 1) << 19) - 1))
    first = first if first >= 0.7 else 2 * first
    last = last if last >= 0.7 else 2 * last
    worst, inv = short_reciprocal(first, last, 9)
    fr_min = min(fr_min, first * inv - 1)
    fr_max = max(fr_max, last * inv - 1)
    log2_c = -mpmath.log(inv, 2)
    hi = mpmath.floor(log2_c * 2 ** 16 + mpmath.mpf(0.5)) / 2 ** 16
    f_inv_c.append(to_float_exact(inv))
    f_log2_hi.append(to_float_exact(hi))
    f_log2_lo.append(to_float(log2_c - hi))
    # Fast2Sum(e + HI, r K_HI) needs |HI| >= |r K_HI| when e = 0 (or HI = 0)
    assert hi == 0 or abs(hi) >= worst / ln2 * 1.001, (i, hi, worst)
print("POWF16_INV_C =", ", ".join(v.hex() for v in f_inv_c))
print("POWF16_LOG2_C_HI =", ", ".join(v.hex() for v in f_log2_hi))
print("POWF16_LOG2_C_LO =", ", ".join(v.hex() for v in f_log2_lo))
print("POWF16 log2: r in [%s, %s]" % (mpmath.nstr(fr_min, 6), mpmath.nstr(fr_max, 6)))
k_hi = to_float(1 / ln2)
k_lo = to_float(1 / ln2 - mpmath.mpf(k_hi))
print("INVLN2_HI (float) =", k_hi.hex(), " INVLN2_LO =", k_lo.hex())
p_tail = lambda r: -1 / (2 * ln2) if r == 0 else (mpmath.log(1 + r, 2) - r / ln2) / r ** 2
for degree in (2, 3, 4):
    coefficients = [to_float(c) for c in chebyshev(p_tail, fr_min, fr_max, degree)]
    worst = max(abs(r * (mpmath.mpf(k_lo) + r * horner(coefficients, r)) - (mpmath.log(1 + r, 2) - r * mpmath.mpf(k_hi)))
                for r in (fr_min + (fr_max - fr_min) * mpmath.mpf(j) / 2000 for j in range(2001)))
    print("POWF16_LOG2_P degree %d (float), absolute error 2^%s:" % (degree, mpmath.nstr(mpmath.log(worst, 2), 4)),
          ", ".join(float(c).hex() for c in coefficients))
# exp2: t = n/16 + r, n = rint(16 t), |r| <= 1/32 (plus t's low part); 2^(n/16) = 2^(n>>4) 2^(j/16), j = n & 15:
# POWF16_EXP2_T[j] = the float whose bits are those of 2^(j/16) rounded to float minus j << 19, so that adding n << 19
# to entry n & 15 gives the bits of 2^(n/16)'s rounded value (while it is a normal float); POWF16_EXP2_TAIL[j] =
# (2^(j/16) - T) / T rounded, T = 2^(j/16) rounded; 2^r - 1 = r Q(r).
f_exp_t, f_exp_tail = [], []
for j in range(16):
    v = mpmath.power(2, mpmath.mpf(j) / 16)
    t = to_float(v)
    f_exp_t.append(from_float_bits(float_bits(t) - (j << 19)))
    f_exp_tail.append(to_float((v - mpmath.mpf(t)) / mpmath.mpf(t)))
print("POWF16_EXP2_T =", ", ".join(v.hex() for v in f_exp_t))
print("POWF16_EXP2_TAIL =", ", ".join(v.hex() for v in f_exp_tail))
r_exp2 = mpmath.mpf(1) / 32 + mpmath.mpf(2) ** -16
for degree in (2, 3, 4):
    coefficients = [to_float(c) for c in chebyshev(q_exp2, -r_exp2, r_exp2, degree)]
    report("POWF16_EXP2_Q degree %d (float)" % degree, coefficients, lambda r, c: 1 + r * horner(c, r),
           lambda r: mpmath.power(2, r), -r_exp2, r_exp2)


# float32 log (logfCore) and sigmoid (sigmoidf): fits weighted by what their error costs in the result (Lawson's
# iteration on weighted least squares at Chebyshev nodes, close to the weighted minimax), coefficients rounded to
# float, highest first, errors measured relative to the function with the float coefficients.
def weighted_fit(f, weight, a, b, degree, nodes=120, rounds=300):
    with mpmath.workprec(80):
        xs = [(a + b) / 2 + (b - a) / 2 * mpmath.cos(mpmath.pi * (i + mpmath.mpf(1) / 2) / nodes)
              for i in range(nodes)]
        fs = [f(x) for x in xs]
        ws = [weight(x) for x in xs]
        u = [mpmath.mpf(1) / nodes] * nodes
        for _ in range(rounds):
            s = [mpmath.sqrt(u[i]) * ws[i] for i in range(nodes)]
            matrix = mpmath.matrix([[s[i] * xs[i] ** (degree - j) for j in range(degree + 1)] for i in range(nodes)])
            c, _ = mpmath.qr_solve(matrix, mpmath.matrix([s[i] * fs[i] for i in range(nodes)]))
            e = [abs((horner(list(c), xs[i]) - fs[i]) * ws[i]) for i in range(nodes)]
            u = [u[i] * e[i] for i in range(nodes)]
            total = sum(u)
            u = [v / total for v in u]
        return [to_float(v) for v in c]


# logf: log(1 + f) = f - f^2/2 + f^3 P(f), f in [sqrt(1/2) - 1, sqrt(2) - 1], P of degree 7, weighted by f^3 / log(1 + f)
# (the error relative to log(1 + f), the result where e = 0; elsewhere the result is larger): 2^-27.2 (degree 8
# unweighted was 2^-28.1).
f_lo, f_hi = mpmath.sqrt(mpmath.mpf(1) / 2) - 1, mpmath.sqrt(2) - 1
logf_tail = lambda f: mpmath.mpf(1) / 3 if f == 0 else (mpmath.log1p(f) - f + f * f / 2) / f ** 3
logf_p = weighted_fit(logf_tail, lambda f: mpmath.mpf(1) if f == 0 else abs(f ** 3 / mpmath.log1p(f)), f_lo, f_hi, 7)
report("LOGF_P degree 7 (float)", logf_p, lambda f, c: f - f * f / 2 + f ** 3 * horner(c, f), mpmath.log1p,
       f_lo, f_hi, points=2000)
# sigmoidf: exp(-u) = 1 - u - u^2 Q(u), |u| <= ln2/2 (a little more: k is rounded from x / ln2 in float), Q of degree
# 4 weighted by u^2 / exp(-u) (the relative error of exp(-u)): 2^-28.0 (degree 5 unweighted was 2^-30.4).
u_max = half_ln2 * mpmath.mpf(1.0001)
sigmoidf_q = lambda u: -mpmath.mpf(1) / 2 if u == 0 else -(mpmath.exp(-u) - 1 + u) / u ** 2
sigmoidf_q4 = weighted_fit(sigmoidf_q, lambda u: u * u / mpmath.exp(-u), -u_max, u_max, 4)
report("SIGMOIDF_Q degree 4 (float)", sigmoidf_q4, lambda u, c: 1 - u - u * u * horner(c, u),
       lambda u: mpmath.exp(-u), -u_max, u_max, points=2000)
