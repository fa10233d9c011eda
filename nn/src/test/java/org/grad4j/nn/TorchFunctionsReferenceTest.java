package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The activations, losses and distances against values computed by PyTorch 1.13 in float64
 * ({@code layers/make_torch_functions.py} in test resources writes {@code functions.safetensors}).
 */
class TorchFunctionsReferenceTest {
    private static Map<String, Tensor> t;

    @BeforeAll
    static void read(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("functions.safetensors");
        try (InputStream in = TorchFunctionsReferenceTest.class.getResourceAsStream("layers/functions.safetensors")) {
            Files.copy(in, file);
        }
        t = StateDicts.load(file).tensors();
    }

    private static void check(String key, Tensor actual) {
        Tensor expected = t.get(key);
        assertArrayEquals(expected.shape(), actual.shape(), key);
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 1e-12, key);
    }

    @Test
    void activations() {
        Tensor x = t.get("x");
        check("elu", new ELU(0.7).forward(x));
        check("selu", new SELU().forward(x));
        check("celu", new CELU(1.3).forward(x));
        check("mish", new Mish().forward(x));
        check("hardtanh", new Hardtanh(-2, 1.5).forward(x));
        check("hardsigmoid", new Hardsigmoid().forward(x));
        check("hardswish", new Hardswish().forward(x));
        check("logsigmoid", new LogSigmoid().forward(x));
        check("softsign", new Softsign().forward(x));
        check("tanhshrink", new Tanhshrink().forward(x));
        check("prelu", Activations.prelu(t.get("xc"), t.get("prelu.w")));
    }

    @Test
    void losses() {
        Tensor a = t.get("a");
        Tensor b = t.get("b");
        Tensor y = t.get("y");
        check("smoothL1", new SmoothL1Loss(0.8, Reduction.MEAN).forward(a, b));
        check("klDivMean", new KLDivLoss().forward(t.get("logq"), t.get("p")));
        check("klDivBatchMean", new KLDivLoss(Reduction.MEAN, true, false).forward(t.get("logq"), t.get("p")));
        check("klDivLogTarget", Losses.klDiv(t.get("logq"), b.logSoftmax(1), Reduction.SUM, true));
        check("poissonNll", new PoissonNLLLoss().forward(a, t.get("counts")));
        check("poissonNllFull", new PoissonNLLLoss(false, true, 1e-8, Reduction.MEAN).forward(a.abs(),
                t.get("counts")));
        check("gaussianNll", new GaussianNLLLoss().forward(a, b, t.get("var")));
        check("gaussianNllFull", Losses.gaussianNll(a, b, t.get("var").expand(5, 3), true, 1e-6, Reduction.SUM));
        check("cosineEmbedding", new CosineEmbeddingLoss(0.1, Reduction.MEAN).forward(a, b, y));
        check("marginRanking", new MarginRankingLoss(0.3, Reduction.MEAN).forward(a.select(1, 0), b.select(1, 0), y));
        check("triplet", new TripletMarginLoss().forward(a, b, t.get("n")));
        check("tripletSwapP1", new TripletMarginLoss(2, 1, 1e-6, true, Reduction.MEAN).forward(a, b, t.get("n")));
        check("multiLabel", new MultiLabelSoftMarginLoss(t.get("cw"), Reduction.MEAN).forward(a, t.get("labels")));
    }

    @Test
    void distances() {
        Tensor a = t.get("a");
        Tensor b = t.get("b");
        check("normalize", Functional.normalize(a));
        check("normalizeP1Dim0", Functional.normalize(a, 1, 0, 1e-12));
        check("cosineSimilarity", Functional.cosineSimilarity(a, b, 1, 1e-8));
        check("pairwiseDistance", Functional.pairwiseDistance(a, b, 2, 1e-6, false));
        check("pairwiseDistanceP3", Functional.pairwiseDistance(a, b, 3, 1e-6, false));
    }
}
