"""Writes functions.safetensors for TorchFunctionsReferenceTest: inputs and PyTorch 1.13's outputs (float64) of the
activations, losses and distances added with the convolution layers. Run in this directory:
/usr/bin/python3 make_torch_functions.py"""
import torch
import torch.nn.functional as F

from make_torch_layers import write

torch.manual_seed(1)
torch.set_default_dtype(torch.float64)

x = torch.randn(3, 4) * 3
t = {"x": x}
t["elu"] = F.elu(x, 0.7)
t["selu"] = F.selu(x)
t["celu"] = F.celu(x, 1.3)
t["mish"] = F.mish(x)
t["hardtanh"] = F.hardtanh(x, -2, 1.5)
t["hardsigmoid"] = F.hardsigmoid(x)
t["hardswish"] = F.hardswish(x)
t["logsigmoid"] = F.logsigmoid(x)
t["softsign"] = F.softsign(x)
t["tanhshrink"] = F.tanhshrink(x)
w = torch.tensor([0.1, -0.2, 0.3, 0.25])
t["prelu.w"] = w
xc = torch.randn(3, 4, 2)
t["xc"] = xc
t["prelu"] = F.prelu(xc, w)

a = torch.randn(5, 3)
b = torch.randn(5, 3)
t["a"], t["b"] = a, b
t["smoothL1"] = F.smooth_l1_loss(a, b, beta=0.8)
p = torch.softmax(torch.randn(5, 3), 1)
p[0, 1] = 0
p = p / p.sum(1, keepdim=True)
t["p"] = p
logq = torch.log_softmax(a, 1)
t["logq"] = logq
t["klDivMean"] = F.kl_div(logq, p, reduction="mean")
t["klDivBatchMean"] = F.kl_div(logq, p, reduction="batchmean")
t["klDivLogTarget"] = F.kl_div(logq, torch.log_softmax(b, 1), reduction="sum", log_target=True)
counts = torch.poisson(torch.full((5, 3), 2.0))
t["counts"] = counts
t["poissonNll"] = F.poisson_nll_loss(a, counts)
t["poissonNllFull"] = F.poisson_nll_loss(a.abs(), counts, log_input=False, full=True)
var = torch.rand(5, 1) + 0.1
t["var"] = var
t["gaussianNll"] = F.gaussian_nll_loss(a, b, var)
t["gaussianNllFull"] = F.gaussian_nll_loss(a, b, var.expand(5, 3), full=True, reduction="sum")
y = torch.tensor([1.0, -1.0, 1.0, -1.0, -1.0])
t["y"] = y
t["cosineEmbedding"] = F.cosine_embedding_loss(a, b, y, margin=0.1)
t["marginRanking"] = F.margin_ranking_loss(a[:, 0], b[:, 0], y, margin=0.3)
n = torch.randn(5, 3)
t["n"] = n
t["triplet"] = F.triplet_margin_loss(a, b, n)
t["tripletSwapP1"] = F.triplet_margin_loss(a, b, n, margin=2, p=1, swap=True)
labels = (torch.rand(5, 3) > 0.5).double()
t["labels"] = labels
cw = torch.tensor([1.0, 2.0, 0.5])
t["cw"] = cw
t["multiLabel"] = F.multilabel_soft_margin_loss(a, labels, weight=cw)
t["normalize"] = F.normalize(a, dim=1)
t["normalizeP1Dim0"] = F.normalize(a, p=1, dim=0)
t["cosineSimilarity"] = F.cosine_similarity(a, b, dim=1)
t["pairwiseDistance"] = F.pairwise_distance(a, b)
t["pairwiseDistanceP3"] = F.pairwise_distance(a, b, p=3)
write("functions", t)
