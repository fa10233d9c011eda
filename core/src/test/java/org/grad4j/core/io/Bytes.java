package org.grad4j.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds safetensors files byte by byte for tests, independently of the code under test. */
final class Bytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Bytes create() {
        return new Bytes();
    }

    /** A whole file: the header's UTF-8 length as a little-endian u64, the header as is, then {@code data}. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return create().u64(h.length).raw(h).raw(data).toArray();
    }

    Bytes u64(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    Bytes u32(int v) {
        for (int i = 0; i < 4; i++) {
            out.write((v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    Bytes f32(float... values) {
        for (float v : values) {
            u32(Float.floatToRawIntBits(v));
        }
        return this;
    }

    Bytes f64(double... values) {
        for (double v : values) {
            u64(Double.doubleToRawLongBits(v));
        }
        return this;
    }

    Bytes ascii(String s) {
        return raw(s.getBytes(StandardCharsets.UTF_8));
    }

    Bytes raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] toArray() {
        return out.toByteArray();
    }
}
