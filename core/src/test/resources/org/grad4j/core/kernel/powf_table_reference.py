#!/usr/bin/env python3
"""Writes powf_table_reference.csv.gz: float inputs and exact results (mpmath, 200 bits) for float32 pow's float-lane
path (|y| <= 32, x a normal positive float, |y log2 x| < 124; PowFloatTablePathTest), with its boundaries.

Each line: x, y (hex doubles holding floats), reference hi, reference lo (hex doubles: the exact value rounded to hi,
then the rest rounded to lo). Inputs: bases in every piece of the log2 table and every binade, x near 1 on both
sides, y log2 x near +-124 (where the double path takes over), y at and beside +-32, integer exponents, powers of
two, the smallest normal and the largest float. Only results that are normal floats are written (the others are
tested bit for bit against StrictMath). Run from the repository root:
    python3 core/src/test/resources/org/grad4j/core/kernel/powf_table_reference.py
"""
import gzip
import os
import random
import struct

import mpmath

mpmath.mp.prec = 200
rng = random.Random(20261128)
COUNT = 6000
F_MAX = mpmath.mpf(struct.unpack('<f', struct.pack('<I', 0x7f7fffff))[0])
F_MIN_NORMAL = mpmath.mpf(2) ** -126


def f32(x):
    return struct.unpack('<f', struct.pack('<f', x))[0]


def next_up(x):
    b = struct.unpack('<I', struct.pack('<f', x))[0]
    return struct.unpack('<f', struct.pack('<I', b + 1 if x >= 0 else b - 1))[0]


def draw():
    kind = rng.random()
    if kind < 0.3:   # every piece of the table (m in [sqrt(1/2), sqrt(2))) and every binade
        x = rng.uniform(0.7071, 1.4142) * 2.0 ** rng.randint(-126, 127)
        y = rng.uniform(-32, 32) if rng.random() < 0.8 else rng.uniform(-2, 2)
    elif kind < 0.45:   # x near 1
        x = 1 + rng.choice([-1, 1]) * 10 ** rng.uniform(-7.2, -0.5)
        y = rng.uniform(-32, 32)
    elif kind < 0.65:   # y log2 x near +-124
        y = rng.choice([-1, 1]) * rng.uniform(3.9, 32)
        x = 2.0 ** (rng.uniform(122, 125) * rng.choice([-1, 1]) / y)
    elif kind < 0.75:   # y at and beside +-32
        x = rng.uniform(0.5, 2) * 2.0 ** rng.randint(-3, 3)
        y = rng.choice([32.0, -32.0, f32(31.999998), f32(-31.999998), next_up(32.0), -next_up(32.0)])
    elif kind < 0.85:   # integer exponents, integer and power-of-two bases
        x = float(rng.randint(2, 60)) if rng.random() < 0.5 else 2.0 ** rng.randint(-126, 127)
        y = float(rng.randint(-32, 32))
    elif kind < 0.9:   # the smallest normal and the largest float
        x = float(F_MIN_NORMAL) if rng.random() < 0.5 else float(F_MAX)
        y = rng.uniform(-1, 1)
    else:
        x = 10 ** rng.uniform(-37, 38)
        y = rng.uniform(-32, 32) * min(1.0, 3 / abs(mpmath.log10(x) + 1e-9))
    return f32(x), f32(y)


path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'powf_table_reference.csv.gz')
written = 0
with gzip.open(path, 'wt') as out:
    while written < COUNT:
        x, y = draw()
        if not (x >= F_MIN_NORMAL and x <= F_MAX):
            continue
        v = mpmath.power(mpmath.mpf(x), mpmath.mpf(y))
        if v > F_MAX or v < F_MIN_NORMAL:
            continue   # results that are not normal floats: tested against StrictMath instead
        hi = float(v)
        lo = float(v - mpmath.mpf(hi))
        out.write('%s,%s,%s,%s\n' % (x.hex(), y.hex(), hi.hex(), lo.hex()))
        written += 1
print('wrote', path, written)
