"""Writes recurrent_*.safetensors for TorchRecurrentInteropTest: float64 state dicts of real torch.nn recurrent
modules and cells under "model.<name>", inputs, initial states and PyTorch 1.13's outputs and final states.
Run in this directory: /usr/bin/python3 make_torch_recurrent.py"""
import torch
import torch.nn as nn

from make_torch_layers import write

torch.manual_seed(3)
torch.set_default_dtype(torch.float64)


def state(model):
    return {"model." + k: v.clone() for k, v in model.state_dict().items()}


def case(name, model, x, h0=None, c0=None):
    model.eval()
    with torch.no_grad():
        if c0 is not None:
            y, (h, c) = model(x, (h0, c0))
        elif h0 is not None:
            y, h = model(x, h0)
            c = None
        else:
            y, hc = model(x)
            h, c = hc if isinstance(hc, tuple) else (hc, None)
    t = {**state(model), "x": x, "y": y, "h": h}
    if h0 is not None:
        t["h0"] = h0
    if c0 is not None:
        t["c0"] = c0
    if c is not None:
        t["c"] = c
    write(name, t)


case("recurrent_rnn_relu_2layers", nn.RNN(3, 4, num_layers=2, nonlinearity="relu"), torch.randn(5, 2, 3),
     torch.randn(2, 2, 4))
case("recurrent_lstm_bidirectional", nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True),
     torch.randn(2, 5, 3), torch.randn(4, 2, 4), torch.randn(4, 2, 4))
case("recurrent_gru", nn.GRU(3, 4, batch_first=True), torch.randn(2, 6, 3))
case("recurrent_gru_unbatched_nobias", nn.GRU(3, 2, bias=False, bidirectional=True), torch.randn(4, 3))

x = torch.randn(2, 3)
h = torch.randn(2, 4)
c = torch.randn(2, 4)
lstm_cell, gru_cell, rnn_cell = nn.LSTMCell(3, 4), nn.GRUCell(3, 4), nn.RNNCell(3, 4, nonlinearity="tanh")
with torch.no_grad():
    lh, lc = lstm_cell(x, (h, c))
    gh = gru_cell(x, h)
    rh = rnn_cell(x, h)
write("recurrent_cells", {**{"lstm." + k: v for k, v in lstm_cell.state_dict().items()},
                          **{"gru." + k: v for k, v in gru_cell.state_dict().items()},
                          **{"rnn." + k: v for k, v in rnn_cell.state_dict().items()},
                          "x": x, "h": h, "c": c, "lstm.h": lh, "lstm.c": lc, "gru.h": gh, "rnn.h": rh})
