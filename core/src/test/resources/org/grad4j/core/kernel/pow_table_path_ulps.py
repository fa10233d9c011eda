#!/usr/bin/env python3
"""Reads PowTablePathSweep's output (lines 'x y result', hex doubles) and prints the number of inputs with a normal
exact result, the maximum error in ulps of the result (against mpmath at 160 bits) with its input, and how many
errors fall in each tenth of an ulp. Run: python3 pow_table_path_ulps.py FILE
"""
import math
import sys

import mpmath

mpmath.mp.prec = 160
worst, at, count = 0.0, None, 0
tenths = [0] * 11
with open(sys.argv[1]) as lines:
    for line in lines:
        xs, ys, rs = line.split()
        x, y, r = float.fromhex(xs), float.fromhex(ys), float.fromhex(rs)
        exact = mpmath.power(mpmath.mpf(x), mpmath.mpf(y))
        if exact == 0 or abs(exact) > mpmath.mpf('1.79e308') or abs(exact) < mpmath.mpf('2.3e-308'):
            continue
        err = float(abs(mpmath.mpf(r) - exact) / mpmath.mpf(math.ulp(float(exact))))
        count += 1
        tenths[min(10, int(err * 10))] += 1
        if err > worst:
            worst, at = err, (xs, ys)
print('%d inputs, max %.4f ulp at pow(%s, %s); per tenth of an ulp: %s' % (count, worst, at[0], at[1], tenths))
