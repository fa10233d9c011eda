#!/usr/bin/env python3
"""Writes elementary_reference.csv.gz: inputs and exact results (mpmath, 200 bits) for the ulp-error tests of
grad4j's own elementary functions (ElementaryFunctionsTest).

Each line: function, x (hex double), y or '-' (second argument of pow), reference hi, reference lo (hex doubles;
the exact value rounded to hi, then the rest rounded to lo). About a third of the inputs are floats, so the same
table serves the float32 tests. Run from the repository root:
    python3 core/src/test/resources/org/grad4j/core/kernel/elementary_reference.py
"""
import gzip
import os
import random
import struct

import mpmath

mpmath.mp.prec = 200
rng = random.Random(20261127)
PER_FUNCTION = 3000


def as_float32(x):
    return struct.unpack('<f', struct.pack('<f', x))[0]


def spread(lo, hi):
    """Uniform in [lo, hi], or log-uniform magnitude within the range, as a double or (1/3) a float."""
    if rng.random() < 0.5:
        x = rng.uniform(lo, hi)
    else:
        top = max(abs(lo), abs(hi))
        x = 10 ** rng.uniform(-20, float(mpmath.log10(top))) * rng.choice([-1, 1])
        x = min(max(x, lo), hi)
    if rng.random() < 1 / 3 and abs(x) < 3e38:
        x = as_float32(x)
    return float(x)


def positive_bits():
    while True:
        x = struct.unpack('<d', struct.pack('<Q', rng.getrandbits(63)))[0]
        if x == x and x != float('inf') and x > 0:
            return as_float32(x) if rng.random() < 1 / 3 and 1e-38 < x < 3e38 else x


def erf_ref(x):
    return mpmath.erf(x)


FUNCTIONS = {
    'EXP': (lambda: spread(-745, 709.7), mpmath.exp),
    'EXPM1': (lambda: spread(-60, 709.7), mpmath.expm1),
    'LOG': (lambda: positive_bits() if rng.random() < 0.5 else spread(0.5, 2), mpmath.log),
    'LOG1P': (lambda: spread(-0.999, 1e6) if rng.random() < 0.7 else positive_bits(), mpmath.log1p),
    'TANH': (lambda: spread(-25, 25), mpmath.tanh),
    'SIGMOID': (lambda: spread(-740, 740), lambda x: 1 / (1 + mpmath.exp(-x))),
    'ERF': (lambda: spread(-7, 7), erf_ref),
    'SIN': (lambda: spread(-1e6, 1e6) if rng.random() < 0.9 else spread(-1e300, 1e300), mpmath.sin),
    'COS': (lambda: spread(-1e6, 1e6) if rng.random() < 0.9 else spread(-1e300, 1e300), mpmath.cos),
}


def split(v):
    hi = float(v)
    lo = float(v - mpmath.mpf(hi))
    return hi, lo


path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'elementary_reference.csv.gz')
with gzip.open(path, 'wt') as out:
    for name, (draw, f) in FUNCTIONS.items():
        for _ in range(PER_FUNCTION):
            x = draw()
            hi, lo = split(f(mpmath.mpf(x)))
            out.write('%s,%s,-,%s,%s\n' % (name, x.hex(), hi.hex(), lo.hex()))
    for _ in range(PER_FUNCTION):
        x = spread(1e-3, 1e3) if rng.random() < 0.8 else positive_bits()
        y = spread(-40, 40)
        v = mpmath.power(mpmath.mpf(x), mpmath.mpf(y))
        if abs(v) > mpmath.mpf('1.7e308') or (v != 0 and abs(v) < mpmath.mpf('2.3e-308')):
            continue
        hi, lo = split(v)
        out.write('POW,%s,%s,%s,%s\n' % (x.hex(), y.hex(), hi.hex(), lo.hex()))
    # Float64 pow's hard cases: y log x up to the overflow and underflow thresholds (x near 1 with large y, large x
    # with large y), negative bases with integer exponents, subnormal bases, results near the underflow threshold.
    for _ in range(PER_FUNCTION):
        kind = rng.random()
        if kind < 0.3:
            x = 1 + rng.choice([-1, 1]) * 10 ** rng.uniform(-15, -1)
            y = rng.choice([-1, 1]) * 10 ** rng.uniform(0, 17)
        elif kind < 0.5:
            x = positive_bits()
            y = rng.uniform(-1, 1) * 745 / max(1e-300, abs(float(mpmath.log(x))))
        elif kind < 0.7:
            x = -spread(1e-3, 1e3) if rng.random() < 0.5 else -float(rng.randint(2, 1000))
            y = float(rng.randint(-60, 60))
        elif kind < 0.8:
            x = struct.unpack('<d', struct.pack('<Q', rng.getrandbits(52)))[0] or 5e-324
            y = rng.uniform(-0.9, 0.9)
        else:
            x = spread(1e-3, 1e3)
            y = rng.uniform(-740, -708) / float(mpmath.log(x)) if abs(x - 1) > 1e-3 else 2.0
        v = mpmath.power(mpmath.mpf(x), mpmath.mpf(y))
        if abs(v) > mpmath.mpf('1.79e308') or abs(v) < mpmath.mpf('2.3e-308'):
            continue   # subnormal results (where lo cannot hold the rest) are tested against Math.pow instead
        hi, lo = split(v)
        out.write('POW,%s,%s,%s,%s\n' % (x.hex(), y.hex(), hi.hex(), lo.hex()))
    # Float64 pow's table path (|y| <= 32, |y log x| < 708): bases in every piece of its log table and every binade,
    # x near 1 (both sides), y log x near the overflow and underflow thresholds with |y| up to 32, y at and beside
    # +-32 (where the other path takes over), negative bases with integer exponents, subnormal bases.
    for _ in range(2 * PER_FUNCTION):
        kind = rng.random()
        if kind < 0.3:
            x = rng.uniform(0.70, 1.42) * 2.0 ** rng.randint(-1000, 1000)
            y = rng.uniform(-32, 32) if rng.random() < 0.8 else rng.uniform(-3, 3)
        elif kind < 0.5:
            x = 1 + rng.choice([-1, 1]) * 10 ** rng.uniform(-16, -0.5)
            y = rng.uniform(-32, 32)
        elif kind < 0.7:
            y = rng.choice([-1, 1]) * rng.uniform(1, 32)
            x = float(mpmath.exp(rng.uniform(690, 708) * rng.choice([-1, 1]) / y))
        elif kind < 0.8:
            x = rng.uniform(0.5, 2) * 10 ** rng.uniform(-10, 10)
            y = rng.choice([32.0, -32.0, 31.999999999999996, -31.999999999999996, 32.00000000000001,
                            -32.00000000000001])
        elif kind < 0.9:
            x = -rng.uniform(0.001, 1000)
            y = float(rng.randint(-32, 32)) or 3.0
        else:
            x = struct.unpack('<d', struct.pack('<Q', rng.getrandbits(52)))[0] or 5e-324
            y = rng.uniform(-0.95, 0.95)
        if rng.random() < 1 / 3 and 1e-38 < abs(x) < 3e38:
            x, y = as_float32(x), as_float32(y)
        v = mpmath.power(mpmath.mpf(x), mpmath.mpf(y))
        if abs(v) > mpmath.mpf('1.79e308') or abs(v) < mpmath.mpf('2.3e-308'):
            continue   # subnormal results (where lo cannot hold the rest) are tested against Math.pow instead
        hi, lo = split(v)
        out.write('POW,%s,%s,%s,%s\n' % (x.hex(), y.hex(), hi.hex(), lo.hex()))
print('wrote', path)
