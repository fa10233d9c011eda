package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Printouts against PyTorch 1.13's text for the same values ({@code print_formatter_reference.py}, its second part,
 * prints them): rows wrapped at 80 characters, columns as wide as the widest finite non-zero value (so {@code inf},
 * {@code nan} and {@code -0.} do not widen them), the {@code " ..."} of a summarised row, scientific notation for
 * whole numbers spanning more than 1000x, and rounding half to even from the exact binary value. grad4j adds
 * {@code , shape=[...]} to a summary and writes dtypes without PyTorch's {@code torch.} prefix.
 */
class TensorPrintingLikePyTorchTest {

    @Test
    void printsWhatPyTorchPrints() {
        assertEquals("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
                + "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
                + "        28., 29.])",
                Tensor.arange(0, 30, 1, DType.FLOAT32).toString(), "arange30");
        assertEquals("tensor([1., -inf])",
                Tensor.of(new float[] {1, Float.NEGATIVE_INFINITY}).toString(), "negInf");
        assertEquals("tensor([1.5000,    nan,   -inf])",
                Tensor.of(new float[] {1.5f, Float.NaN, Float.NEGATIVE_INFINITY}).toString(), "mixedNonFinite");
        assertEquals("tensor([-0., 1.])",
                Tensor.of(new float[] {-0f, 1}).toString(), "negZero");
        assertEquals("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.9700e+02, 9.9800e+02,\n"
                + "         9.9900e+02],\n"
                + "        [1.0000e+03, 1.0010e+03, 1.0020e+03,  ..., 1.9970e+03, 1.9980e+03,\n"
                + "         1.9990e+03]], shape=[2, 1000])",
                Tensor.arange(0, 2000, 1, DType.FLOAT32).reshape(2, 1000).toString(), "sum2d");
        assertEquals("tensor([[1.0000e-05, 1.0000e+00],\n"
                + "        [       inf, 2.0000e+00]])",
                Tensor.of(new float[] {1e-5f, 1, Float.POSITIVE_INFINITY, 2}, 2, 2).toString(), "sciInf2d");
        assertEquals("tensor([[    0,  1000,  2000,  3000,  4000,  5000,  6000,  7000,  8000,  9000,\n"
                + "         10000, 11000, 12000, 13000, 14000, 15000, 16000, 17000, 18000, 19000,\n"
                + "         20000, 21000, 22000, 23000, 24000],\n"
                + "        [25000, 26000, 27000, 28000, 29000, 30000, 31000, 32000, 33000, 34000,\n"
                + "         35000, 36000, 37000, 38000, 39000, 40000, 41000, 42000, 43000, 44000,\n"
                + "         45000, 46000, 47000, 48000, 49000],\n"
                + "        [50000, 51000, 52000, 53000, 54000, 55000, 56000, 57000, 58000, 59000,\n"
                + "         60000, 61000, 62000, 63000, 64000, 65000, 66000, 67000, 68000, 69000,\n"
                + "         70000, 71000, 72000, 73000, 74000],\n"
                + "        [75000, 76000, 77000, 78000, 79000, 80000, 81000, 82000, 83000, 84000,\n"
                + "         85000, 86000, 87000, 88000, 89000, 90000, 91000, 92000, 93000, 94000,\n"
                + "         95000, 96000, 97000, 98000, 99000]])",
                Tensor.arange(0, 100, 1, DType.INT64).reshape(4, 25).mul(1000).toString(), "int2dWrap");
        assertEquals("tensor([0., 0.])",
                Tensor.zeros(2).toString(), "zeros");
        assertEquals("tensor(-inf)",
                Tensor.scalar(Float.NEGATIVE_INFINITY, DType.FLOAT32).toString(), "scalarNegInf");
        assertEquals("tensor([ True, False,  True, False,  True, False,  True, False,  True, False,\n"
                + "         True, False,  True, False,  True, False,  True, False,  True, False,\n"
                + "         True, False,  True, False,  True, False,  True, False,  True, False])",
                alternatingBools(30).toString(), "boolWrap");
        assertEquals("tensor([-1.0000e-05,  3.0000e+00])",
                Tensor.of(new float[] {-1e-5f, 3}).toString(), "negSmallSci");
        assertEquals("tensor([[[   0,    1,    2,  ...,   17,   18,   19],\n"
                + "         [  20,   21,   22,  ...,   37,   38,   39],\n"
                + "         [  40,   41,   42,  ...,   57,   58,   59],\n"
                + "         ...,\n"
                + "         [ 340,  341,  342,  ...,  357,  358,  359],\n"
                + "         [ 360,  361,  362,  ...,  377,  378,  379],\n"
                + "         [ 380,  381,  382,  ...,  397,  398,  399]],\n"
                + "\n"
                + "        [[ 400,  401,  402,  ...,  417,  418,  419],\n"
                + "         [ 420,  421,  422,  ...,  437,  438,  439],\n"
                + "         [ 440,  441,  442,  ...,  457,  458,  459],\n"
                + "         ...,\n"
                + "         [ 740,  741,  742,  ...,  757,  758,  759],\n"
                + "         [ 760,  761,  762,  ...,  777,  778,  779],\n"
                + "         [ 780,  781,  782,  ...,  797,  798,  799]],\n"
                + "\n"
                + "        [[ 800,  801,  802,  ...,  817,  818,  819],\n"
                + "         [ 820,  821,  822,  ...,  837,  838,  839],\n"
                + "         [ 840,  841,  842,  ...,  857,  858,  859],\n"
                + "         ...,\n"
                + "         [1140, 1141, 1142,  ..., 1157, 1158, 1159],\n"
                + "         [1160, 1161, 1162,  ..., 1177, 1178, 1179],\n"
                + "         [1180, 1181, 1182,  ..., 1197, 1198, 1199]],\n"
                + "\n"
                + "        ...,\n"
                + "\n"
                + "        [[6800, 6801, 6802,  ..., 6817, 6818, 6819],\n"
                + "         [6820, 6821, 6822,  ..., 6837, 6838, 6839],\n"
                + "         [6840, 6841, 6842,  ..., 6857, 6858, 6859],\n"
                + "         ...,\n"
                + "         [7140, 7141, 7142,  ..., 7157, 7158, 7159],\n"
                + "         [7160, 7161, 7162,  ..., 7177, 7178, 7179],\n"
                + "         [7180, 7181, 7182,  ..., 7197, 7198, 7199]],\n"
                + "\n"
                + "        [[7200, 7201, 7202,  ..., 7217, 7218, 7219],\n"
                + "         [7220, 7221, 7222,  ..., 7237, 7238, 7239],\n"
                + "         [7240, 7241, 7242,  ..., 7257, 7258, 7259],\n"
                + "         ...,\n"
                + "         [7540, 7541, 7542,  ..., 7557, 7558, 7559],\n"
                + "         [7560, 7561, 7562,  ..., 7577, 7578, 7579],\n"
                + "         [7580, 7581, 7582,  ..., 7597, 7598, 7599]],\n"
                + "\n"
                + "        [[7600, 7601, 7602,  ..., 7617, 7618, 7619],\n"
                + "         [7620, 7621, 7622,  ..., 7637, 7638, 7639],\n"
                + "         [7640, 7641, 7642,  ..., 7657, 7658, 7659],\n"
                + "         ...,\n"
                + "         [7940, 7941, 7942,  ..., 7957, 7958, 7959],\n"
                + "         [7960, 7961, 7962,  ..., 7977, 7978, 7979],\n"
                + "         [7980, 7981, 7982,  ..., 7997, 7998, 7999]]], shape=[20, 20, 20])",
                Tensor.arange(0, 8000, 1, DType.INT64).reshape(20, 20, 20).toString(), "sum3d");
        assertEquals("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.9970e+03, 9.9980e+03,\n"
                + "         9.9990e+03],\n"
                + "        [1.0000e+04, 1.0001e+04, 1.0002e+04,  ..., 1.9997e+04, 1.9998e+04,\n"
                + "         1.9999e+04],\n"
                + "        [2.0000e+04, 2.0001e+04, 2.0002e+04,  ..., 2.9997e+04, 2.9998e+04,\n"
                + "         2.9999e+04],\n"
                + "        ...,\n"
                + "        [2.9970e+07, 2.9970e+07, 2.9970e+07,  ..., 2.9980e+07, 2.9980e+07,\n"
                + "         2.9980e+07],\n"
                + "        [2.9980e+07, 2.9980e+07, 2.9980e+07,  ..., 2.9990e+07, 2.9990e+07,\n"
                + "         2.9990e+07],\n"
                + "        [2.9990e+07, 2.9990e+07, 2.9990e+07,  ..., 3.0000e+07, 3.0000e+07,\n"
                + "         3.0000e+07]], shape=[3000, 10000])",
                Tensor.arange(0, 30_000_000, 1, DType.FLOAT32).reshape(3000, 10000).toString(), "big");
        assertEquals("tensor([0.12, 0.38], dtype=float64)",
                Tensor.of(new double[] {0.125, 0.375}).toString(2), "p2");
        assertEquals("tensor([0, 2, 2], dtype=float64)",
                Tensor.of(new double[] {0.5, 1.5, 2.5}).toString(0), "p0");
        assertEquals("tensor([5e-01, 3e+03], dtype=float64)",
                Tensor.of(new double[] {0.5, 2500.5}).toString(0), "p0sci");
    }

    private static Tensor alternatingBools(int n) {
        boolean[] values = new boolean[n];
        for (int i = 0; i < n; i += 2) values[i] = true;
        return Tensor.of(values);
    }
}
