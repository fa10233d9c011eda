"""Prints the PyTorch 1.13 printouts that TensorFormatterBoundaryTest pins (copied into the test by hand; grad4j adds
`, shape=[...]` to a summarised tensor, which PyTorch leaves out). Run with Debian's python3-torch:
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
