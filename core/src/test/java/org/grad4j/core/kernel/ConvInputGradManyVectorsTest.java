package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code convInputGradLanes} over lane counts of several vectors: a second and third pair of vectors (floats from 64
 * lanes at 512 bits) and a single vector after one or more pairs, where the lane offset of each call is not 0;
 * {@code ConvInputGradLanesTest} stops at 40 lanes, where the float pair and single-vector loops run once, at lane
 * 0. The SIMD kernel and the scalar twin against a naive loop of fmas in the kernel's order (exact), with two
 * blocks of eight channels and a remainder, so both the channel offset and the lane offset move; the whole of dx,
 * a guard band after it included, is compared. Column taps move
 * along g as well as along w (the other test keeps their g offsets 0).
 */
class ConvInputGradManyVectorsTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void everyPairAndSingleVectorOfLanesGetsItsOwnGradient() {
        SplittableRandom rng = new SplittableRandom(71);
        int[] laneCounts = {8, 16, 24, 31, 32, 47, 48, 63, 64, 65, 79, 80, 81, 96, 97, 112, 128, 130};
        for (int lanes : laneCounts) {
            for (int cinG : new int[] {8, 17}) {
                check(rng, lanes, cinG);
            }
        }
    }

    private static void check(SplittableRandom rng, int lanes, int cinG) {
        int laneStride = lanes + rng.nextInt(3);
        int coutG = 2;
        int h = 2;
        int width = 2;
        int positions = 4;
        int gPlane = positions * laneStride;
        int gOff = 1 + rng.nextInt(3);
        int wOff = 1 + rng.nextInt(3);
        int dxOff = 1 + rng.nextInt(3);
        // output row y takes taps from g rows y and y + 1 (one tap for row 0), columns one tap each
        int[] rowStart = {0, 1, 3};
        int[] rowG = {0, laneStride, 2 * laneStride};
        int[] rowW = {0, coutG * cinG, 2 * coutG * cinG};
        int[] colStart = {0, 1, 2};
        int[] colG = {0, laneStride};   // a column tap moves along g too
        int[] colW = {0, 3 * coutG * cinG};
        int gLen = gOff + coutG * gPlane;
        int wLen = wOff + 6 * coutG * cinG;
        int dxLen = dxOff + cinG * h * width * laneStride + 5;
        float[] g = new float[gLen];
        double[] gD = new double[gLen];
        float[] w = new float[wLen];
        double[] wD = new double[wLen];
        for (int i = 0; i < gLen; i++) {
            gD[i] = rng.nextDouble() * 4 - 2;
            g[i] = (float) gD[i];
        }
        for (int i = 0; i < wLen; i++) {
            wD[i] = rng.nextDouble() * 4 - 2;
            w[i] = (float) wD[i];
        }
        float[] expected = new float[dxLen];
        double[] expectedD = new double[dxLen];
        java.util.Arrays.fill(expected, 5f);
        java.util.Arrays.fill(expectedD, 5.0);
        for (int ch = 0; ch < cinG; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < width; x++) {
                    for (int l = 0; l < lanes; l++) {
                        float s = 0;
                        double sD = 0;
                        for (int r = rowStart[y]; r < rowStart[y + 1]; r++) {
                            for (int q = colStart[x]; q < colStart[x + 1]; q++) {
                                for (int co = 0; co < coutG; co++) {
                                    int ga = gOff + rowG[r] + colG[q] + co * gPlane + l;
                                    int wa = wOff + rowW[r] + colW[q] + co * cinG + ch;
                                    s = Math.fma(w[wa], g[ga], s);
                                    sD = Math.fma(wD[wa], gD[ga], sD);
                                }
                            }
                        }
                        int at = dxOff + ((ch * h + y) * width + x) * laneStride + l;
                        expected[at] = s;
                        expectedD[at] = sD;
                    }
                }
            }
        }
        for (Kernels k : new Kernels[] {SCALAR, vector}) {
            float[] dx = new float[dxLen];
            double[] dxD = new double[dxLen];
            java.util.Arrays.fill(dx, 5f);
            java.util.Arrays.fill(dxD, 5.0);
            // lanes past `lanes` within each stride are not written: the expected arrays keep the fill there
            k.convInputGradLanes(g, gOff, gPlane, w, wOff, coutG, cinG, rowStart, rowG, rowW, colStart, colG, colW,
                    dx, dxOff, h, width, lanes, laneStride);
            k.convInputGradLanes(gD, gOff, gPlane, wD, wOff, coutG, cinG, rowStart, rowG, rowW, colStart, colG,
                    colW, dxD, dxOff, h, width, lanes, laneStride);
            String what = k.name() + " lanes " + lanes + " cinG " + cinG;
            assertArrayEquals(expected, dx, what);
            assertArrayEquals(expectedD, dxD, what + " (doubles)");
        }
    }
}
