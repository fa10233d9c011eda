package org.grad4j.core;

/**
 * The flat primitive array behind one or more tensors (views share it). Exactly one of {@link #floats} and
 * {@link #doubles} is non-null. The version counter is bumped by every in-place write, so autograd can detect that
 * a tensor saved for backward was modified after it was saved; views share the counter because they share the data.
 */
final class Storage {
    private static final java.util.concurrent.atomic.AtomicLong CREATED = new java.util.concurrent.atomic.AtomicLong();

    final DType dtype;
    final float[] floats;
    final double[] doubles;
    /** Creation order: the engine knows that storage created after a backward started is private to it. */
    final long serial = CREATED.incrementAndGet();
    private int version;

    private Storage(DType dtype, float[] floats, double[] doubles) {
        this.dtype = dtype;
        this.floats = floats;
        this.doubles = doubles;
    }

    /** The serial number the next storage will exceed. */
    static long lastSerial() {
        return CREATED.get();
    }

    static Storage allocate(DType dtype, int length) {
        return dtype == DType.FLOAT32
                ? new Storage(dtype, new float[length], null)
                : new Storage(dtype, null, new double[length]);
    }

    static Storage wrap(float[] data) {
        return new Storage(DType.FLOAT32, data, null);
    }

    static Storage wrap(double[] data) {
        return new Storage(DType.FLOAT64, null, data);
    }

    int length() {
        return floats != null ? floats.length : doubles.length;
    }

    double get(int index) {
        return floats != null ? floats[index] : doubles[index];
    }

    void set(int index, double value) {
        if (floats != null) {
            floats[index] = (float) value;
        } else {
            doubles[index] = value;
        }
    }

    int version() {
        return version;
    }

    void bumpVersion() {
        version++;
    }
}
