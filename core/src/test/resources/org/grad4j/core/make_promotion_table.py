"""Writes promotion_table.csv: the dtype PyTorch gives add, div and gt for every pair of grad4j's dtypes, with the
second operand a tensor with dims, a 0-d tensor, a Python float or a Python int (and the first operand with dims or
0-d). PromotionTableTest reads it. Run with PyTorch 1.13:

    python3 make_promotion_table.py > promotion_table.csv
"""
import torch

DTYPES = {
    "FLOAT32": torch.float32, "FLOAT64": torch.float64, "INT64": torch.int64,
    "INT32": torch.int32, "UINT8": torch.uint8, "BOOL": torch.bool,
}
NAMES = {v: k for k, v in DTYPES.items()}


def operand(kind, dtype):
    if kind == "tensor":
        return torch.ones(3, dtype=dtype)
    if kind == "zerodim":
        return torch.ones((), dtype=dtype)
    raise ValueError(kind)


print("a_kind,a_dtype,b_kind,b_dtype,add,div,gt")
for a_kind in ("tensor", "zerodim"):
    for a_name, a_dtype in DTYPES.items():
        a = operand(a_kind, a_dtype)
        rows = []
        for b_kind in ("tensor", "zerodim"):
            for b_name, b_dtype in DTYPES.items():
                rows.append((b_kind, b_name, operand(b_kind, b_dtype)))
        rows.append(("double", "-", 2.5))
        rows.append(("long", "-", 2))
        for b_kind, b_name, b in rows:
            add = NAMES[torch.result_type(a, b)]
            div = NAMES[torch.div(a, b).dtype]
            gt = NAMES[torch.gt(a, b).dtype]
            print(f"{a_kind},{a_name},{b_kind},{b_name},{add},{div},{gt}")
