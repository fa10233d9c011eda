package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The convolution layers' settings: channel and kernel checks, the input check of forward, the shapes of weight
 * and bias for grouped convolutions (PyTorch's {@code [out, in / groups, k...]} and, transposed,
 * {@code [in, out / groups, k...]}), and the printed settings, which list only what differs from the defaults.
 */
class ConvLayerSettingsTest {
    private static void refused(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
    }

    @Test
    void channelsKernelsAndInputsAreChecked() {
        ConvOptions groups2 = ConvOptions.create().groups(2);
        refused("Conv1d: channels must be positive and divisible by groups, got in=3, out=4, groups=2",
                () -> new Conv1d(3, 4, 2, groups2));
        refused("ConvTranspose1d: channels must be positive and divisible by groups, got in=4, out=3, groups=2",
                () -> new ConvTranspose1d(4, 3, 2, groups2));
        refused("ConvTranspose2d: channels must be positive and divisible by groups, got in=4, out=3, groups=2",
                () -> new ConvTranspose2d(4, 3, 2, groups2));
        refused("Conv2d: channels must be positive and divisible by groups, got in=3, out=4, groups=2",
                () -> new Conv2d(3, 4, 2, groups2));
        refused("Conv1d: kernel size must be positive, got [0]", () -> new Conv1d(2, 4, 0));
        refused("ConvTranspose1d: kernel size must be positive, got [0]", () -> new ConvTranspose1d(2, 4, 0));
        refused("ConvTranspose2d: kernel size must be positive, got [2, 0]",
                () -> new ConvTranspose2d(2, 4, new int[] {2, 0}, ConvOptions.create()));
        refused("Conv2d: kernel size must be positive, got [0, 2]",
                () -> new Conv2d(2, 4, new int[] {0, 2}, ConvOptions.create()));
        refused("expects an input [N, 2, ...] of rank 3 (or 2 without the batch dim), got shape [1, 3, 5]",
                () -> new Conv1d(2, 4, 3).forward(Tensor.zeros(1, 3, 5)));
        refused("expects an input [N, 2, ...] of rank 3 (or 2 without the batch dim), got shape [1, 3, 5]",
                () -> new ConvTranspose1d(2, 4, 3).forward(Tensor.zeros(1, 3, 5)));
        refused("expects an input [N, 2, ...] of rank 4 (or 3 without the batch dim), got shape [1, 3, 5, 5]",
                () -> new ConvTranspose2d(2, 4, 3).forward(Tensor.zeros(1, 3, 5, 5)));
        refused("the input is float64 but the layer is float32",
                () -> new Conv1d(2, 4, 3).forward(Tensor.zeros(DType.FLOAT64, 1, 2, 5)));
    }

    @Test
    void groupedWeightShapesAndOptionalBias() {
        ConvOptions grouped = ConvOptions.create().groups(2);
        Conv1d conv1 = new Conv1d(4, 6, 3, grouped);
        assertArrayEquals(new int[] {6, 2, 3}, conv1.weight().shape());
        assertArrayEquals(new int[] {6}, conv1.bias().shape());
        Conv2d conv2 = new Conv2d(4, 6, 3, grouped);
        assertArrayEquals(new int[] {6, 2, 3, 3}, conv2.weight().shape());
        assertArrayEquals(new int[] {6}, conv2.bias().shape());
        ConvTranspose1d t1 = new ConvTranspose1d(4, 6, 3, grouped);
        assertArrayEquals(new int[] {4, 3, 3}, t1.weight().shape());
        assertArrayEquals(new int[] {6}, t1.bias().shape());
        ConvTranspose2d t2 = new ConvTranspose2d(4, 6, 3, grouped);
        assertArrayEquals(new int[] {4, 3, 3, 3}, t2.weight().shape());
        assertArrayEquals(new int[] {6}, t2.bias().shape());
        ConvOptions noBias = ConvOptions.create().bias(false);
        assertNull(new Conv1d(2, 2, 1, noBias).bias());
        assertNull(new Conv2d(2, 2, 1, noBias).bias());
        assertNull(new ConvTranspose1d(2, 2, 1, noBias).bias());
        assertNull(new ConvTranspose2d(2, 2, 1, noBias).bias());
    }

    /** The first line of the printed module: its settings (the parameter summary follows). */
    private static void assertPrinted(String expected, Module layer) {
        String printed = layer.toString();
        assertTrue(printed.startsWith(expected + "  "), "printed: " + printed);
    }

    @Test
    void printedSettingsListWhatDiffersFromTheDefaults() {
        assertPrinted("Conv1d(2, 4, kernelSize=3, stride=1, padding=0)", new Conv1d(2, 4, 3));
        assertPrinted("Conv1d(2, 4, kernelSize=3, stride=1, padding=same, dilation=2, groups=2, bias=false,"
                + " paddingMode=REFLECT)", new Conv1d(2, 4, 3, ConvOptions.create().paddingSame().dilation(2)
                .groups(2).bias(false).paddingMode(PaddingMode.REFLECT)));
        assertPrinted("Conv1d(2, 4, kernelSize=3, stride=2, padding=1)",
                new Conv1d(2, 4, 3, ConvOptions.create().stride(2).padding(1)));
        assertPrinted("ConvTranspose1d(2, 4, kernelSize=3, stride=1, padding=0)",
                new ConvTranspose1d(2, 4, 3));
        assertPrinted("ConvTranspose1d(2, 4, kernelSize=3, stride=2, padding=1, outputPadding=1, dilation=2,"
                + " groups=2, bias=false)", new ConvTranspose1d(2, 4, 3, ConvOptions.create().stride(2).padding(1)
                .outputPadding(1).dilation(2).groups(2).bias(false)));
        assertPrinted("ConvTranspose2d(2, 4, kernelSize=[3, 3], stride=[1, 1], padding=[0, 0])",
                new ConvTranspose2d(2, 4, 3));
        assertPrinted("ConvTranspose2d(2, 4, kernelSize=[3, 2], stride=[2, 2], padding=[1, 1], outputPadding=[0, 1],"
                + " dilation=[1, 2], groups=2, bias=false)", new ConvTranspose2d(2, 4, new int[] {3, 2},
                ConvOptions.create().stride(2).padding(1).outputPadding(0, 1).dilation(1, 2).groups(2).bias(false)));
        assertPrinted("ConvTranspose2d(2, 4, kernelSize=[3, 3], stride=[2, 2], padding=[0, 0], outputPadding=[1, 0],"
                + " dilation=[2, 1])", new ConvTranspose2d(2, 4, 3, ConvOptions.create().stride(2)
                .outputPadding(1, 0).dilation(2, 1)));
    }
}
