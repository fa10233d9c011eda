package org.grad4j.nn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.grad4j.core.Tensor;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte}, plain or gzipped; gzip is
 * recognised by its magic bytes, not the file name). The header is checked (magic number, element type, dims) and
 * the data must have exactly the length the dims promise: a truncated, corrupt or padded file fails with a
 * {@link DataFormatException} naming the file and the problem, and no tensor is returned.
 * <pre>{@code
 * Tensor images = Idx.read(Path.of("train-images-idx3-ubyte.gz"));   // uint8 [60000, 28, 28], values 0..255
 * }</pre>
 * Values come back unchanged, in the dtype closest to the file's: unsigned bytes as uint8, signed bytes, shorts and
 * ints as int32, floats as float32, doubles as float64.
 */
public final class Idx {
    private Idx() {
    }

    /** The largest number of elements read (the largest Java array). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** The tensor stored in {@code file}, with the file's dims as its shape. */
    public static Tensor read(Path file) throws IOException {
        Args.notNull(file, "Idx.read", "file");
        try (InputStream in = open(file)) {
            DataInputStream data = new DataInputStream(in);
            byte[] magic = new byte[4];
            int got = data.readNBytes(magic, 0, 4);
            if (got < 4) {
                throw new DataFormatException(file, "too short for an IDX header (" + got + " bytes)");
            }
            if (magic[0] != 0 || magic[1] != 0) {
                throw new DataFormatException(file, String.format("not an IDX file: it starts with 0x%02x 0x%02x,"
                        + " an IDX file starts with 0x00 0x00", magic[0], magic[1]));
            }
            int type = magic[2] & 0xFF;
            int elementBytes = switch (type) {
                case 0x08, 0x09 -> 1;
                case 0x0B -> 2;
                case 0x0C, 0x0D -> 4;
                case 0x0E -> 8;
                default -> throw new DataFormatException(file, String.format("unknown IDX element type 0x%02x"
                        + " (expected 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float or 0x0E double)",
                        type));
            };
            int rank = magic[3] & 0xFF;
            if (rank == 0) {
                throw new DataFormatException(file, "the IDX header declares 0 dimensions");
            }
            int[] dims = new int[rank];
            long count = 1;
            for (int d = 0; d < rank; d++) {
                try {
                    dims[d] = data.readInt();
                } catch (EOFException e) {
                    throw new DataFormatException(file, "truncated in the header: " + rank + " dims declared, the file"
                            + " ends after " + d);
                }
                if (dims[d] < 0) {
                    throw new DataFormatException(file, "dimension " + d + " is negative (" + dims[d] + ")");
                }
                count *= dims[d];
                if (count > MAX_ELEMENTS) {
                    throw new DataFormatException(file, "dims " + Arrays.toString(Arrays.copyOf(dims, d + 1))
                            + "... hold more than " + MAX_ELEMENTS + " elements, more than one tensor can hold");
                }
            }
            long expectedBytes = count * elementBytes;
            if (expectedBytes > MAX_ELEMENTS) {
                throw new DataFormatException(file, "dims " + Arrays.toString(dims) + " need " + expectedBytes
                        + " bytes of data, more than can be read at once");
            }
            byte[] body = data.readNBytes((int) expectedBytes);
            if (body.length < expectedBytes) {
                throw new DataFormatException(file, "truncated: the header promises dims " + Arrays.toString(dims)
                        + " = " + count + " values (" + expectedBytes + " bytes) but the file holds only "
                        + body.length + " bytes of data");
            }
            if (data.read() != -1) {
                throw new DataFormatException(file, "longer than its header says: dims " + Arrays.toString(dims)
                        + " need " + expectedBytes + " bytes of data, and more follow (wrong file, or a corrupt"
                        + " header?)");
            }
            return decode(type, body, (int) count, dims);
        } catch (ZipException | EOFException e) {
            throw new DataFormatException(file, "the gzip stream is truncated or corrupt (" + e.getMessage() + ")", e);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file (IDX data expected here)");
        }
    }

    private static Tensor decode(int type, byte[] body, int count, int[] dims) {
        ByteBuffer buf = ByteBuffer.wrap(body);   // IDX is big-endian, ByteBuffer's default
        switch (type) {
            case 0x08 -> {
                return Tensor.of(body, dims);
            }
            case 0x0D -> {
                float[] values = new float[count];
                buf.asFloatBuffer().get(values);
                return Tensor.of(values, dims);
            }
            case 0x0E -> {
                double[] values = new double[count];
                buf.asDoubleBuffer().get(values);
                return Tensor.of(values, dims);
            }
            default -> {
                int[] values = new int[count];
                for (int i = 0; i < count; i++) {
                    values[i] = switch (type) {
                        case 0x09 -> body[i];
                        case 0x0B -> buf.getShort();
                        default -> buf.getInt();
                    };
                }
                return Tensor.of(values, dims);
            }
        }
    }

    /** The file's bytes, gunzipped when it starts with the gzip magic number 0x1f 0x8b. */
    static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return raw;
    }
}
