"""Prints the PyTorch 1.13 printouts that TensorFormatterBoundaryTest and TensorPrintingLikePyTorchTest pin (copied
into the tests by hand; grad4j adds `, shape=[...]` to a summarised tensor, which PyTorch leaves out, and names
dtypes without the `torch.` prefix). Run with Debian's python3-torch:
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 print_formatter_reference.py
"""
import torch

f64 = torch.float64
for t in (
    torch.arange(8).reshape(2, 2, 2),
    torch.arange(1001),
    torch.tensor([1., 2000.]),
    torch.tensor([1., 1000.]),
    torch.tensor([0.5, 500.]),
    torch.tensor([0.5, 500.5]),
    torch.tensor([1e-4, 0.05], dtype=f64),
    torch.tensor([1e8, 99999999.5], dtype=f64),
    torch.tensor([1e8, 3.], dtype=f64),
    torch.tensor([100000001., 3.], dtype=f64),
    torch.tensor([1e8, 1e6], dtype=f64),
    torch.tensor([100000001., 1e6], dtype=f64),
    torch.tensor([float("inf"), 2.]),
):
    print(repr(str(t)))

# TensorPrintingLikePyTorchTest: line wrapping, column widths around inf/nan/-0., rounding, summaries
for name, t in (
    ("arange30", torch.arange(30.)),
    ("negInf", torch.tensor([1., float("-inf")])),
    ("mixedNonFinite", torch.tensor([1.5, float("nan"), float("-inf")])),
    ("negZero", torch.tensor([-0., 1.])),
    ("sum2d", torch.arange(2000.).reshape(2, 1000)),
    ("sciInf2d", torch.tensor([[1e-5, 1.], [float("inf"), 2.]])),
    ("int2dWrap", torch.arange(100).reshape(4, 25) * 1000),
    ("zeros", torch.tensor([0., 0.])),
    ("scalarNegInf", torch.tensor(float("-inf"))),
    ("boolWrap", torch.tensor([True, False] * 15)),
    ("negSmallSci", torch.tensor([-1e-5, 3.])),
    ("sum3d", torch.arange(8000).reshape(20, 20, 20)),
    ("big", torch.arange(0, 30_000_000, dtype=torch.float32).reshape(3000, 10000)),
):
    print(name, repr(str(t)))
torch.set_printoptions(precision=2)
print("p2", repr(str(torch.tensor([0.125, 0.375], dtype=f64))))
torch.set_printoptions(precision=0)
print("p0", repr(str(torch.tensor([0.5, 1.5, 2.5], dtype=f64))))
print("p0sci", repr(str(torch.tensor([0.5, 2500.5], dtype=f64))))
