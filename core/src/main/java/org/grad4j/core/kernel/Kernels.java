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

    void unary(UnaryOp op, float[] x, int xOff, int xStride, float[] out, int outOff, int outStride, int n);

    void unary(UnaryOp op, double[] x, int xOff, int xStride, double[] out, int outOff, int outStride, int n);

    void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                float[] out, int outOff, int outStride, int n);

    void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                double[] out, int outOff, int outStride, int n);

    /** {@code out[i] = cond[i] != 0 ? a[i] : b[i]}. */
    void where(float[] cond, int cOff, int cStride, float[] a, int aOff, int aStride, float[] b, int bOff,
               int bStride, float[] out, int outOff, int outStride, int n);

    void where(double[] cond, int cOff, int cStride, double[] a, int aOff, int aStride, double[] b, int bOff,
               int bStride, double[] out, int outOff, int outStride, int n);

    /** Sum of {@code n} strided elements, accumulated in double. */
    double sum(float[] x, int off, int stride, int n);

    double sum(double[] x, int off, int stride, int n);

    /** Largest of {@code n >= 1} strided elements; NaN if any is NaN. */
    double max(float[] x, int off, int stride, int n);

    double max(double[] x, int off, int stride, int n);

    /** Smallest of {@code n >= 1} strided elements; NaN if any is NaN. */
    double min(float[] x, int off, int stride, int n);

    double min(double[] x, int off, int stride, int n);

    /**
     * {@code C = A B} for an {@code m x k} matrix A and a {@code k x n} matrix B, overwriting the contiguous
     * row-major {@code m x n} block of C at {@code cOff}.
     */
    void gemm(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
              float[] b, int bOff, int bRowStride, int bColStride, float[] c, int cOff);

    void gemm(int m, int n, int k, double[] a, int aOff, int aRowStride, int aColStride,
              double[] b, int bOff, int bRowStride, int bColStride, double[] c, int cOff);
}
