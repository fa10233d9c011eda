package org.grad4j.core;

import java.util.Arrays;

/**
 * The flat primitive array behind one or more tensors (views share it): one subclass per primitive array type,
 * chosen by dtype in {@link #allocate} (uint8 and bool share {@link Bytes}). Kernels get the array itself
 * ({@link #floats()}, {@link #longs()}...): the ops switch on the storage class once per kernel call (in
 * {@code Pointwise}'s loops, {@code Reductions} and {@code Casts}), so hot loops never dispatch per element. Integer
 * and bool arithmetic is computed on int64 storage and narrowed, so only float32, float64 and int64 need arithmetic
 * kernels. The per-element accessors here serve indexing and read-out.
 * The version counter is bumped by every in-place write, so autograd can detect that a tensor saved for backward was
 * modified after it was saved; views share the counter because they share the data.
 */
abstract sealed class Storage permits Storage.F32, Storage.F64, Storage.I64, Storage.I32, Storage.Bytes {
    /**
     * The current epoch: raised by one at the start of every backward ({@link #newEpoch}), never lowered. A storage
     * notes the epoch it was created in, so the engine knows that storage created after its backward started is
     * private to it. Reading a volatile costs a plain load; an atomic counter bumped per storage was a locked
     * instruction in every op.
     */
    private static final java.util.concurrent.atomic.AtomicLong EPOCH = new java.util.concurrent.atomic.AtomicLong();

    final DType dtype;
    /** The epoch this storage was created in (see {@link #EPOCH}). */
    final long epoch = EPOCH.get();
    private int version;

    private Storage(DType dtype) {
        this.dtype = dtype;
    }

    /**
     * Starts a new epoch and returns it: every storage created from now on (on any thread) has an epoch at least
     * this, and every storage created before (that this thread can see) a smaller one.
     */
    static long newEpoch() {
        return EPOCH.incrementAndGet();
    }

    static Storage allocate(DType dtype, int length) {
        return switch (dtype) {
            case FLOAT32 -> new F32(new float[length]);
            case FLOAT64 -> new F64(new double[length]);
            case INT64 -> new I64(new long[length]);
            case INT32 -> new I32(new int[length]);
            case UINT8, BOOL -> new Bytes(dtype, new byte[length]);
        };
    }

    static Storage wrap(float[] data) {
        return new F32(data);
    }

    static Storage wrap(double[] data) {
        return new F64(data);
    }

    static Storage wrap(long[] data) {
        return new I64(data);
    }

    static Storage wrap(int[] data) {
        return new I32(data);
    }

    /** uint8 or bool bytes (bool: 0 or 1). */
    static Storage wrap(byte[] data, DType dtype) {
        return new Bytes(dtype, data);
    }

    abstract int length();

    /** Element {@code index} as a double (integers converted, bool as 0/1). */
    abstract double get(int index);

    /** Writes a double, converted as {@link Tensor#to} converts (truncation toward zero for integers). */
    abstract void set(int index, double value);

    /** Element {@code index} as a long (floats truncated toward zero, bool as 0/1). Exact for integers. */
    abstract long getLong(int index);

    /** Writes a long, wrapping to the dtype's width (bool: non-zero is true). */
    abstract void setLong(int index, long value);

    /** {@code this[index] = src[srcIndex]} for a storage of the same dtype, bit for bit. */
    abstract void copyElement(int index, Storage src, int srcIndex);

    /** {@code this[index] += src[srcIndex]} in this dtype (integers wrap) for a storage of the same dtype. */
    abstract void addElement(int index, Storage src, int srcIndex);

    /** Sets every element to {@code value} (converted as {@link #set}). */
    abstract void fill(double value);

    /** Sets every element to {@code value} (converted as {@link #setLong}). */
    abstract void fillLong(long value);

    float[] floats() {
        return ((F32) this).data;
    }

    double[] doubles() {
        return ((F64) this).data;
    }

    long[] longs() {
        return ((I64) this).data;
    }

    int[] ints() {
        return ((I32) this).data;
    }

    /** The bytes of a uint8 or bool storage. */
    byte[] bytes() {
        return ((Bytes) this).data;
    }

    int version() {
        return version & Integer.MAX_VALUE;
    }

    /*
     * The sign bit of the version field says that an in-place fill wrote +0 over every element (markZeroed) and
     * nothing was written since: the storage is then known to hold only +0, and the engine may write a gradient
     * into it instead of adding to it, see Node#gradBuffer. A bump clears it. (A field of its own made every storage
     * 8 bytes larger, and a scalar graph makes one per op and per gradient.)
     */
    void markZeroed() {
        version |= Integer.MIN_VALUE;
    }

    boolean isKnownZero() {
        return version < 0;
    }

    void bumpVersion() {
        version = (version + 1) & Integer.MAX_VALUE;
    }

    static final class F32 extends Storage {
        final float[] data;

        F32(float[] data) {
            super(DType.FLOAT32);
            this.data = data;
        }

        int length() { return data.length; }
        double get(int i) { return data[i]; }
        void set(int i, double v) { data[i] = (float) v; }
        long getLong(int i) { return (long) data[i]; }
        void setLong(int i, long v) { data[i] = v; }
        void copyElement(int i, Storage s, int j) { data[i] = ((F32) s).data[j]; }
        void addElement(int i, Storage s, int j) { data[i] += ((F32) s).data[j]; }
        void fill(double v) { Arrays.fill(data, (float) v); }
        void fillLong(long v) { Arrays.fill(data, (float) v); }
    }

    static final class F64 extends Storage {
        final double[] data;

        F64(double[] data) {
            super(DType.FLOAT64);
            this.data = data;
        }

        int length() { return data.length; }
        double get(int i) { return data[i]; }
        void set(int i, double v) { data[i] = v; }
        long getLong(int i) { return (long) data[i]; }
        void setLong(int i, long v) { data[i] = v; }
        void copyElement(int i, Storage s, int j) { data[i] = ((F64) s).data[j]; }
        void addElement(int i, Storage s, int j) { data[i] += ((F64) s).data[j]; }
        void fill(double v) { Arrays.fill(data, v); }
        void fillLong(long v) { Arrays.fill(data, (double) v); }
    }

    static final class I64 extends Storage {
        final long[] data;

        I64(long[] data) {
            super(DType.INT64);
            this.data = data;
        }

        int length() { return data.length; }
        double get(int i) { return data[i]; }
        void set(int i, double v) { data[i] = (long) v; }
        long getLong(int i) { return data[i]; }
        void setLong(int i, long v) { data[i] = v; }
        void copyElement(int i, Storage s, int j) { data[i] = ((I64) s).data[j]; }
        void addElement(int i, Storage s, int j) { data[i] += ((I64) s).data[j]; }
        void fill(double v) { Arrays.fill(data, (long) v); }
        void fillLong(long v) { Arrays.fill(data, v); }
    }

    static final class I32 extends Storage {
        final int[] data;

        I32(int[] data) {
            super(DType.INT32);
            this.data = data;
        }

        int length() { return data.length; }
        double get(int i) { return data[i]; }
        void set(int i, double v) { data[i] = (int) (long) v; }
        long getLong(int i) { return data[i]; }
        void setLong(int i, long v) { data[i] = (int) v; }
        void copyElement(int i, Storage s, int j) { data[i] = ((I32) s).data[j]; }
        void addElement(int i, Storage s, int j) { data[i] += ((I32) s).data[j]; }
        void fill(double v) { Arrays.fill(data, (int) (long) v); }
        void fillLong(long v) { Arrays.fill(data, (int) v); }
    }

    /** uint8 (unsigned: read as {@code b & 0xFF}) or bool (0 or 1). */
    static final class Bytes extends Storage {
        final byte[] data;
        private final boolean bool;

        Bytes(DType dtype, byte[] data) {
            super(dtype);
            this.data = data;
            this.bool = dtype == DType.BOOL;
        }

        int length() { return data.length; }
        double get(int i) { return data[i] & 0xFF; }
        void set(int i, double v) { data[i] = bool ? (byte) (v != 0 ? 1 : 0) : (byte) (long) v; }
        long getLong(int i) { return data[i] & 0xFF; }
        void setLong(int i, long v) { data[i] = bool ? (byte) (v != 0 ? 1 : 0) : (byte) v; }
        void copyElement(int i, Storage s, int j) { data[i] = ((Bytes) s).data[j]; }

        void addElement(int i, Storage s, int j) {
            int sum = (data[i] & 0xFF) + (((Bytes) s).data[j] & 0xFF);
            data[i] = bool ? (byte) (sum != 0 ? 1 : 0) : (byte) sum;
        }

        void fill(double v) { if (data.length > 0) { set(0, v); Arrays.fill(data, data[0]); } }
        void fillLong(long v) { if (data.length > 0) { setLong(0, v); Arrays.fill(data, data[0]); } }
    }
}
