"""Writes floor_divide_table.csv: torch.floor_divide and torch.remainder of every pair of awkward values (signs,
zeros, non-integers, division by zero for floats) in int64, int32, float32 and float64, for FloorDivideTableTest.
Run with PyTorch 1.13: python3 make_floor_divide_table.py > floor_divide_table.csv"""
import torch

INTS = [-7, -6, -1, 0, 1, 5, 7, 2 ** 31 - 1]
INT_DIVISORS = [-3, -2, -1, 1, 2, 3, 7]
FLOATS = [-7.0, -3.5, -1.0, -0.0, 0.0, 0.25, 1.0, 3.5, 7.0, 1e30, float("inf"), float("nan")]
FLOAT_DIVISORS = [-2.0, -0.5, -0.0, 0.0, 0.5, 2.0, 3.0, float("inf")]


def text(v):
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)


print("dtype,a,b,floor_divide,remainder")
for name, dtype, values, divisors in (("INT64", torch.int64, INTS, INT_DIVISORS),
                                       ("INT32", torch.int32, INTS, INT_DIVISORS),
                                       ("FLOAT32", torch.float32, FLOATS, FLOAT_DIVISORS),
                                       ("FLOAT64", torch.float64, FLOATS, FLOAT_DIVISORS)):
    a = torch.tensor(values, dtype=dtype)
    for d in divisors:
        b = torch.full_like(a, d)
        q = torch.floor_divide(a, b)
        r = torch.remainder(a, b)
        for x, y, qq, rr in zip(a.tolist(), b.tolist(), q.tolist(), r.tolist()):
            print(f"{name},{text(x)},{text(y)},{text(qq)},{text(rr)}")
