package org.grad4j.core.kernel;

/**
 * Every numeric loop of grad4j goes through this interface, so a SIMD implementation can replace the scalar one
 * without touching any op. Kernels trust their arguments: the public {@code Tensor} API validates shapes, dtypes
 * and indices before calling here.
 *
 * <p>Strided arguments describe {@code n} elements at {@code array[off + i * stride]}; a stride of 0 repeats one
 * element (broadcasting). Matrices are described by a row stride and a column stride, so transposed views need no
 * copy.
 */
public interface Kernels {

    /** A short name for logs and benchmarks, e.g. {@code "scalar"}. */
    String name();

    /** {@code out[i] = op(x[i])} for {@code n} strided floats; out may be x (in place). */
    void unary(UnaryOp op, float[] x, int xOff, int xStride, float[] out, int outOff, int outStride, int n);

    /** {@code out[i] = op(x[i])} for {@code n} strided doubles; out may be x (in place). */
    void unary(UnaryOp op, double[] x, int xOff, int xStride, double[] out, int outOff, int outStride, int n);

    /** {@code out[i] = op(a[i], b[i])} for {@code n} strided floats; out may be a (in place). */
    void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                float[] out, int outOff, int outStride, int n);

    /** {@code out[i] = op(a[i], b[i])} for {@code n} strided doubles; out may be a (in place). */
    void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                double[] out, int outOff, int outStride, int n);

    /** {@code out[i] = cond[i] != 0 ? a[i] : b[i]}. */
    void where(float[] cond, int cOff, int cStride, float[] a, int aOff, int aStride, float[] b, int bOff,
               int bStride, float[] out, int outOff, int outStride, int n);

    /** {@code out[i] = cond[i] != 0 ? a[i] : b[i]} for doubles. */
    void where(double[] cond, int cOff, int cStride, double[] a, int aOff, int aStride, double[] b, int bOff,
               int bStride, double[] out, int outOff, int outStride, int n);

    /** Sum of {@code n} strided elements, accumulated in double. */
    double sum(float[] x, int off, int stride, int n);

    /** Sum of {@code n} strided doubles, in {@code Summation}'s order. */
    double sum(double[] x, int off, int stride, int n);

    /** Largest of {@code n >= 1} strided elements; NaN if any is NaN. */
    double max(float[] x, int off, int stride, int n);

    /** Largest of {@code n >= 1} strided doubles; NaN if any is NaN. */
    double max(double[] x, int off, int stride, int n);

    /** Smallest of {@code n >= 1} strided elements; NaN if any is NaN. */
    double min(float[] x, int off, int stride, int n);

    /** Smallest of {@code n >= 1} strided doubles; NaN if any is NaN. */
    double min(double[] x, int off, int stride, int n);

    /**
     * {@code C = A B} for an {@code m x k} matrix A and a {@code k x n} matrix B, overwriting the contiguous
     * row-major {@code m x n} block of C at {@code cOff}.
     */
    void gemm(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
              float[] b, int bOff, int bRowStride, int bColStride, float[] c, int cOff);

    /** {@code C = A B} in doubles, as the float version. */
    void gemm(int m, int n, int k, double[] a, int aOff, int aRowStride, int aColStride,
              double[] b, int bOff, int bRowStride, int bColStride, double[] c, int cOff);

    // ---- integer and bool kernels
    // Integer tensors (int32, uint8, bool included) are computed in int64 by the ops and narrowed afterwards, so
    // these long[] kernels are the whole integer arithmetic; bool results are bytes holding 0 or 1.

    /** {@code IDENTITY NEG ABS SIGN RELU} on longs; NEG and ABS wrap at {@code Long.MIN_VALUE}, as in PyTorch. */
    void unary(UnaryOp op, long[] x, int xOff, int xStride, long[] out, int outOff, int outStride, int n);

    /**
     * {@code ADD SUB MUL MAX MIN} (wrapping on overflow) and {@code POW} (exponents must be >= 0, checked by the
     * caller; exponentiation by squaring, wrapping) on longs.
     */
    void binary(BinaryOp op, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride,
                long[] out, int outOff, int outStride, int n);

    /** {@code GT GE LT LE EQ NE} into bool bytes (1 or 0); NaN compares unequal to everything. */
    void compare(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                 byte[] out, int outOff, int outStride, int n);

    /** {@code GT GE LT LE EQ NE} of doubles into bool bytes (1 or 0); NaN compares unequal to everything. */
    void compare(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                 byte[] out, int outOff, int outStride, int n);

    /** {@code GT GE LT LE EQ NE} of longs into bool bytes (1 or 0). */
    void compare(BinaryOp op, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride,
                 byte[] out, int outOff, int outStride, int n);

    /** {@code out[i] = cond[i] != 0 ? a[i] : b[i]} with a bool condition. */
    void where(byte[] cond, int cOff, int cStride, float[] a, int aOff, int aStride, float[] b, int bOff,
               int bStride, float[] out, int outOff, int outStride, int n);

    /** {@code out[i] = cond[i] != 0 ? a[i] : b[i]} with a bool condition, for doubles. */
    void where(byte[] cond, int cOff, int cStride, double[] a, int aOff, int aStride, double[] b, int bOff,
               int bStride, double[] out, int outOff, int outStride, int n);

    /** {@code out[i] = cond[i] != 0 ? a[i] : b[i]} with a bool condition, for longs. */
    void where(byte[] cond, int cOff, int cStride, long[] a, int aOff, int aStride, long[] b, int bOff,
               int bStride, long[] out, int outOff, int outStride, int n);

    /** Wrapping sum of {@code n} strided longs. */
    long sum(long[] x, int off, int stride, int n);

    /** Largest of {@code n >= 1} strided longs. */
    long max(long[] x, int off, int stride, int n);

    /** Smallest of {@code n >= 1} strided longs. */
    long min(long[] x, int off, int stride, int n);

    /** Strided copy of ints (int32 storage). */
    void copy(int[] x, int xOff, int xStride, int[] out, int outOff, int outStride, int n);

    /** Strided copy of bytes (uint8 and bool storage). */
    void copy(byte[] x, int xOff, int xStride, byte[] out, int outOff, int outStride, int n);

    /**
     * Floor division ({@code remainder = false}: {@code floor(a / b)}) or its remainder ({@code true}: the sign of
     * b, as Python's {@code %}) of longs; divisors are non-zero (checked by the caller).
     */
    void floorDivide(boolean remainder, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride,
                     long[] out, int outOff, int outStride, int n);

    /** Floor division or remainder of floats, as PyTorch computes them (from {@code fmod}); b = 0 gives inf/NaN. */
    void floorDivide(boolean remainder, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                     float[] out, int outOff, int outStride, int n);

    /** Floor division or remainder of doubles, as the float version. */
    void floorDivide(boolean remainder, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                     double[] out, int outOff, int outStride, int n);

    // ---- convolution tiles read straight from an image (no column matrix)

    /** Rows of a {@link #convRows} tile: ten positions of an output row, or ten taps of a weight gradient. */
    int CONV_ROWS = 10;

    /**
     * The k block of every matrix product with inner dimension {@code k}: each element of C sums its k in blocks of
     * this length, each block one fma chain from +0.0, the first block's sum stored and each later one added. Code
     * that must give a GEMM's bits without the GEMM ({@link #convRows}) cuts its sums the same way.
     */
    static int gemmKBlock(int k) {
        return GemmOrder.kBlock(k);
    }

    /**
     * One tile of a convolution read straight from its input rather than from a column matrix: for
     * {@code r < CONV_ROWS} and {@code j < cols}, {@code s = sum over q in [from, to) of
     * src[base + offsets[q] + r] * w[wOff + q ldw + j]}, taken fma by fma from +0.0 in q order (the order of one k
     * block of the GEMM), and {@code dst[dOff + r ldd + j] = s}, or {@code dst[..] += s} with {@code add}. The rows
     * are ten consecutive elements of {@code src}: ten output positions of a stride-1 convolution's row (q runs over
     * the taps, {@code w} is the transposed weight) or ten taps of a weight gradient (q runs over the positions,
     * {@code w} is the transposed output gradient). Every element read must lie in its array.
     */
    void convRows(float[] src, int base, int[] offsets, int from, int to, float[] w, int wOff, int ldw, int cols,
                  float[] dst, int dOff, int ldd, boolean add);

    /**
     * {@link #convRows(float[], int, int[], int, int, float[], int, int, int, float[], int, int, boolean)} for
     * doubles.
     */
    void convRows(double[] src, int base, int[] offsets, int from, int to, double[] w, int wOff, int ldw, int cols,
                  double[] dst, int dOff, int ldd, boolean add);

    // ---- window runs (convolution's im2col and col2im)

    /**
     * {@code rows} runs of {@code len} floats: {@code dst[dOff + r dStride + i] = src[sOff + r sStride + i]}, or
     * {@code +=} with {@code add}; runs do not overlap. Short runs (a 10-wide output row of a convolution) are one
     * masked vector each on the SIMD kernels, where a copy call per run costs more than the copy.
     */
    void copyRuns(boolean add, float[] src, int sOff, int sStride, float[] dst, int dOff, int dStride, int rows,
                  int len);

    /** {@link #copyRuns(boolean, float[], int, int, float[], int, int, int, int)} for doubles. */
    void copyRuns(boolean add, double[] src, int sOff, int sStride, double[] dst, int dOff, int dStride, int rows,
                  int len);

    /**
     * 2x2 max pooling at stride 2 of one dense plane of width {@code w}: output {@code (oy, ox)} (at
     * {@code dOff + oy ow + ox} of {@code dst} and {@code idx}) is the largest of input rows {@code 2 oy, 2 oy + 1}
     * and columns {@code 2 ox, 2 ox + 1}, its index the flat plane position {@code r w + col} of the first tap (row by
     * row) equal to that maximum, or of the last NaN when the window has one; the winner's own value is stored.
     */
    void maxPool2x2(float[] src, int sOff, int w, int oh, int ow, float[] dst, int[] idx, int dOff);

    /**
     * One image row of col2im at horizontal stride 1, summed where it is written rather than added run by run:
     * {@code image[imageOff + x] = sum over q < count, t < taps of cols[bases[q] + t tapStride + x - s_t]} with
     * {@code s_t = t dilation - padding}, a term whose {@code x - s_t} lies outside {@code [0, len)} being +0.0, summed
     * from +0.0 in (q, t) order, for x in {@code [0, width)}.
     */
    void foldRow(float[] cols, int[] bases, int count, int tapStride, int taps, int dilation, int padding, int len,
                 float[] image, int imageOff, int width);

    /** {@link #foldRow(float[], int[], int, int, int, int, int, int, float[], int, int)} for doubles. */
    void foldRow(double[] cols, int[] bases, int count, int tapStride, int taps, int dilation, int padding, int len,
                 double[] image, int imageOff, int width);

    /**
     * {@link #foldRow(float[], int[], int, int, int, int, int, int, float[], int, int) foldRow} of {@code rows} image
     * rows, each with the same bits as a call of its own: row r has the {@code counts[r]} bases
     * {@code bases[r maxCount ..]} and is written at {@code imageOff + r imageStride}. Rows are independent, so the
     * SIMD kernels sum several at once (one add chain per row would wait on the add latency).
     */
    void foldRows(float[] cols, int[] bases, int[] counts, int maxCount, int rows, int tapStride, int taps,
                  int dilation, int padding, int len, float[] image, int imageOff, int imageStride, int width);

    /** {@code foldRows} for doubles. */
    void foldRows(double[] cols, int[] bases, int[] counts, int maxCount, int rows, int tapStride, int taps,
                  int dilation, int padding, int len, double[] image, int imageOff, int imageStride, int width);

    // ---- convolution's input gradient with images in vector lanes

    /**
     * The input gradient of a convolution (a transposed convolution) for a block of images interleaved
     * {@code laneStride} apart, lane l being image l of the block, for lanes {@code [0, lanes)}:
     * {@code dx[dxOff + ((c h + y) width + x) laneStride + l] = sum over r in [rowStart[y], rowStart[y + 1]), q in
     * [colStart[x], colStart[x + 1]), co in [0, coutG) of w[wOff + rowW[r] + colW[q] + co cinG + c] *
     * g[gOff + rowG[r] + colG[q] + co gPlane + l]}, for channels c in {@code [0, cinG)}, rows y in {@code [0, h)},
     * columns x in {@code [0, width)}: one fused multiply-add chain per element from +0.0, in (r, q, co) order. The
     * tables list each output row's and column's kernel taps (r and q) with their offsets into g and w, so the caller
     * decides stride, padding and dilation and no tap outside the output is visited.
     */
    void convInputGradLanes(float[] g, int gOff, int gPlane, float[] w, int wOff, int coutG, int cinG,
                            int[] rowStart, int[] rowG, int[] rowW, int[] colStart, int[] colG, int[] colW,
                            float[] dx, int dxOff, int h, int width, int lanes, int laneStride);

    /** {@code convInputGradLanes} for doubles. */
    void convInputGradLanes(double[] g, int gOff, int gPlane, double[] w, int wOff, int coutG, int cinG,
                            int[] rowStart, int[] rowG, int[] rowW, int[] colStart, int[] colG, int[] colW,
                            double[] dx, int dxOff, int h, int width, int lanes, int laneStride);

    /**
     * {@code dst[dOff + c dStride + r] = src[sOff + r sStride + c]} for {@code r < rows}, {@code c < cols}: a matrix
     * transposed (the images of a block interleaved into lanes and back, for {@code convInputGradLanes}; the
     * layouts around {@link #convRows}: channels last, {@code g^T}, {@code out^T}).
     */
    void transpose(float[] src, int sOff, int sStride, int rows, int cols, float[] dst, int dOff, int dStride);

    /** {@code transpose} for doubles. */
    void transpose(double[] src, int sOff, int sStride, int rows, int cols, double[] dst, int dOff, int dStride);

    /**
     * relu's derivative rule in one pass: {@code out[outOff + i] = y[yOff + i] > 0 ? g[gOff + i] : +0.0} for
     * {@code i < n} (the bits of {@code where(y > 0, g, 0)}: g's value as it is where taken, +0.0 elsewhere, NaN in y
     * not taken).
     */
    void reluBackward(float[] g, int gOff, float[] y, int yOff, float[] out, int outOff, int n);

    /** {@code reluBackward} for doubles. */
    void reluBackward(double[] g, int gOff, double[] y, int yOff, double[] out, int outOff, int n);
}
