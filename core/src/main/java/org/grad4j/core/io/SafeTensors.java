package org.grad4j.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes the Hugging Face <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, with no dependencies.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length {@code N}; {@code N} bytes of UTF-8 JSON
 * mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets
 * relative to the first byte after the header), plus an optional {@code "__metadata__"}
 * string-to-string object; then the tensors' little-endian, row-major bytes, packed with no gaps.
 *
 * <p><b>Writing</b> is deterministic: {@code __metadata__} first (omitted when empty), then the
 * tensors in the map's iteration order, so pass a {@link LinkedHashMap} or a sorted map. The header
 * is compact JSON padded with spaces so the data starts 8-byte aligned. {@link #write} is atomic:
 * it writes a temporary file in the target's directory, forces it to disk and renames it over the
 * target, so a failed write leaves any existing file untouched.
 *
 * <p><b>Reading</b> validates the whole header before touching tensor data and throws
 * {@link SafeTensorsFormatException} naming the source and the problem for: a file shorter than 8
 * bytes; a header length over {@value #MAX_HEADER_BYTES} bytes (the reference implementation's
 * limit) or past the end of the file; invalid UTF-8 or JSON, including duplicate keys; a dtype
 * other than F32, F64, I64, I32, U8, BOOL, F16 and BF16; a BOOL byte other than 0 or 1; negative or non-integer dimensions; {@code data_offsets} that disagree
 * with dtype and shape, overlap, leave holes, or do not end exactly at the end of the file.
 * Unknown fields inside a tensor's entry are ignored, as the reference implementation does.
 * Each tensor must fit in one {@link ByteBuffer} (under 2 GiB); files may be larger.
 */
public final class SafeTensors {

    /** Largest header accepted, in bytes; the reference implementation's limit. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    private static final String BYTE_ARRAY_SOURCE = "<byte array>";

    /** Dtype names of the safetensors format that grad4j recognises but does not read. */
    private static final Set<String> OTHER_DTYPES = Set.of(
            "I8", "U16", "I16", "U32", "U64",
            "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4");

    private SafeTensors() {
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    /**
     * Atomically writes {@code tensors} and {@code metadata} to {@code file}, replacing it if it exists.
     * A symbolic link at {@code file} is replaced by the new file, not followed.
     *
     * @param file     the target; its directory must exist
     * @param tensors  name to tensor, written in iteration order; no name may be {@code "__metadata__"}
     * @param metadata free-form strings, or {@code null} for none
     * @throws IllegalArgumentException if a name or metadata string cannot be encoded, or a name is reserved
     * @throws IOException              if writing fails; {@code file} is then unchanged and the temporary file removed
     */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, name -> { });
    }

    /** Test seam: {@code afterTensor} runs after each tensor's bytes reach the temporary file. */
    interface WriteHook {
        void afterTensor(String name) throws IOException;
    }

    static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata, WriteHook hook) throws IOException {
        Args.notNull(file, "SafeTensors.write", "file");
        Layout layout = layout("SafeTensors.write", tensors, metadata);
        if (file.getFileName() == null) {
            throw new IllegalArgumentException("SafeTensors.write: " + file + " names no file; give the path of a"
                    + " file, e.g. " + file.resolve("model.safetensors"));
        }
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path temp = createTempFile(dir, target.getFileName().toString());
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                writeFully(out, ByteBuffer.wrap(layout.head()));
                for (Map.Entry<String, TensorData> e : layout.tensors()) {
                    writeFully(out, e.getValue().data());
                    hook.afterTensor(e.getKey());
                }
                out.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                t.addSuppressed(suppressed);
            }
            throw t;
        }
        syncDirectory(dir);
    }

    /**
     * Encodes {@code tensors} and {@code metadata} to the exact bytes {@link #write} puts in a file.
     *
     * @param tensors  name to tensor, encoded in iteration order
     * @param metadata free-form strings, or {@code null} for none
     * @return the whole file's bytes
     * @throws IllegalArgumentException as {@link #write}, or if the result would exceed a Java array
     */
    public static byte[] encode(Map<String, TensorData> tensors, Map<String, String> metadata) {
        Layout layout = layout("SafeTensors.encode", tensors, metadata);
        long total = layout.head().length + layout.dataBytes();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("encoded size " + total + " bytes does not fit in a byte array; use write()");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        out.put(layout.head());
        for (Map.Entry<String, TensorData> e : layout.tensors()) {
            out.put(e.getValue().data());
        }
        return out.array();
    }

    /** The 8-byte length prefix and padded header, plus the tensors in file order. */
    private record Layout(byte[] head, List<Map.Entry<String, TensorData>> tensors, long dataBytes) {
    }

    private static Layout layout(String op, Map<String, TensorData> tensors, Map<String, String> metadata) {
        Args.notNull(tensors, op, "tensors");
        StringBuilder json = new StringBuilder("{");
        if (metadata != null && !metadata.isEmpty()) {
            Json.appendString(json, METADATA_KEY).append(":{");
            String separator = "";
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                String key = Args.notNull(e.getKey(), op, "a metadata key");
                String value = e.getValue();
                if (value == null) {
                    throw new IllegalArgumentException(op + ": the metadata value for key '" + key + "' is null");
                }
                json.append(separator);
                encodable(json, key, "metadata key").append(':');
                encodable(json, value, "metadata value for key " + Json.quote(key));
                separator = ",";
            }
            json.append('}');
        }
        List<Map.Entry<String, TensorData>> order = new ArrayList<>(tensors.size());
        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            String name = Args.notNull(e.getKey(), op, "a tensor name");
            TensorData tensor = e.getValue();
            if (tensor == null) {
                throw new IllegalArgumentException(op + ": tensor '" + name + "' is null");
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("\"__metadata__\" is reserved for metadata and cannot name a tensor");
            }
            long end = offset + tensor.byteSize();
            if (json.length() > 1) {
                json.append(',');
            }
            encodable(json, name, "tensor name").append(":{\"dtype\":");
            Json.appendString(json, tensor.dtype()).append(",\"shape\":[");
            int[] shape = tensor.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            order.add(Map.entry(name, tensor));
            offset = end;
        }
        json.append('}');

        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        // Pad with spaces (JSON whitespace) to a multiple of 8, so after the 8-byte prefix the data is 8-byte aligned.
        int padded = (header.length + 7) & ~7;
        if (padded > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header would be " + padded + " bytes, over the " + MAX_HEADER_BYTES + "-byte limit readers enforce");
        }
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong((long) padded).put(header);
        Arrays.fill(head, 8 + header.length, head.length, (byte) ' ');
        return new Layout(head, List.copyOf(order), offset);
    }

    private static StringBuilder encodable(StringBuilder json, String s, String what) {
        try {
            return Json.appendString(json, s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static Path createTempFile(Path dir, String targetName) throws IOException {
        // Not Files.createTempFile: that makes the file owner-only (0600) on POSIX, and the rename would
        // give the finished file those permissions instead of the usual umask-based ones.
        String stem = "." + (targetName.length() > 100 ? targetName.substring(0, 100) : targetName) + ".";
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve(stem + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /** Makes the rename itself durable where the platform allows it (POSIX); a no-op elsewhere (Windows). */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // The file itself is already on disk and in place; only the directory entry's durability is best effort.
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reading

    /**
     * Reads and validates a safetensors file.
     *
     * @param file the file to read
     * @return its tensors in header order, and its metadata
     * @throws SafeTensorsFormatException if the file is malformed, truncated or uses a dtype grad4j does not read
     * @throws IOException                if the file cannot be read
     */
    public static SafeTensorsFile read(Path file) throws IOException {
        Args.notNull(file, "SafeTensors.read", "file");
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return decode(new ChannelSource(file.toString(), in));
        }
    }

    /**
     * Decodes the bytes of a safetensors file; {@code <byte array>} stands for the file name in errors.
     *
     * @param bytes a whole file's bytes
     * @return its tensors in header order, and its metadata
     * @throws SafeTensorsFormatException as {@link #read}
     */
    public static SafeTensorsFile decode(byte[] bytes) throws SafeTensorsFormatException {
        Args.notNull(bytes, "SafeTensors.decode", "bytes");
        try {
            return decode(new ArraySource(bytes));
        } catch (SafeTensorsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("unreachable: reading a byte array failed", e);
        }
    }

    /** Positional reads from a file or an array. */
    private interface Source {
        String name();

        long size() throws IOException;

        /** Fills {@code dst} from {@code position}. */
        void read(long position, ByteBuffer dst) throws IOException;
    }

    private record ArraySource(byte[] bytes) implements Source {
        @Override
        public String name() {
            return BYTE_ARRAY_SOURCE;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void read(long position, ByteBuffer dst) {
            dst.put(bytes, (int) position, dst.remaining());
        }
    }

    private record ChannelSource(String name, FileChannel channel) implements Source {
        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
            long at = position;
            while (dst.hasRemaining()) {
                int n = channel.read(dst, at);
                if (n < 0) {
                    throw new SafeTensorsFormatException(name, "unexpected end of file at byte " + at + " (did the file shrink while being read?)");
                }
                at += n;
            }
        }
    }

    /** One validated header entry; offsets are relative to the data section. */
    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
        String offsets() {
            return "[" + begin + ", " + end + "]";
        }
    }

    private static SafeTensorsFile decode(Source source) throws IOException {
        String where = source.name();
        long size = source.size();
        if (size < 8) {
            throw new SafeTensorsFormatException(where, "file is " + size + " bytes long, shorter than the 8-byte header length");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        source.read(0, prefix);
        long headerLength = prefix.getLong(0);
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new SafeTensorsFormatException(where, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the " + MAX_HEADER_BYTES + "-byte limit (not a safetensors file, or corrupt)");
        }
        if (headerLength > size - 8) {
            throw new SafeTensorsFormatException(where, "header length " + headerLength + " runs past the end of the file, which has "
                    + (size - 8) + " bytes after the 8-byte length (truncated?)");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        source.read(8, ByteBuffer.wrap(headerBytes));
        String headerText = utf8(where, headerBytes);

        Object root;
        try {
            root = Json.parse(headerText);
        } catch (Json.ParseException e) {
            throw new SafeTensorsFormatException(where, "header is not valid JSON: " + e.getMessage()
                    + " at character " + e.position() + " of the header");
        }
        if (!(root instanceof Map<?, ?> header)) {
            throw new SafeTensorsFormatException(where, "header must be a JSON object, found " + Json.describe(root));
        }

        long dataStart = 8 + headerLength;
        long dataSize = size - dataStart;
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>(header.size());
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = metadata(where, e.getValue());
            } else {
                entries.add(entry(where, name, e.getValue()));
            }
        }
        checkCoverage(where, entries, dataSize);

        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (Entry entry : entries) {
            long length = entry.end() - entry.begin();
            if (length > Integer.MAX_VALUE - 8) {
                throw new SafeTensorsFormatException(where, "tensor " + Json.quote(entry.name()) + " is " + length
                        + " bytes; grad4j reads tensors of up to 2 GiB");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) length);
            source.read(dataStart + entry.begin(), bytes);
            if (TensorData.BOOL.equals(entry.dtype())) {
                for (int i = 0; i < length; i++) {
                    byte b = bytes.get(i);
                    if (b != 0 && b != 1) {
                        throw new SafeTensorsFormatException(where, "tensor " + Json.quote(entry.name())
                                + " has dtype BOOL but byte " + i + " of its data is " + (b & 0xFF)
                                + "; a BOOL element must be 0 or 1");
                    }
                }
            }
            tensors.put(entry.name(), new TensorData(entry.dtype(), entry.shape(), bytes.flip()));
        }
        return new SafeTensorsFile(tensors, metadata);
    }

    private static String utf8(String where, byte[] bytes) throws SafeTensorsFormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new SafeTensorsFormatException(where, "header is not valid UTF-8: bad byte sequence at header byte "
                    + in.position() + " (file offset " + (8 + in.position()) + ")");
        }
        if (result.isOverflow()) {
            // Cannot happen: UTF-8 never decodes to more chars than it has bytes.
            throw new IllegalStateException(new CharacterCodingException());
        }
        return out.flip().toString();
    }

    private static Map<String, String> metadata(String where, Object value) throws SafeTensorsFormatException {
        if (!(value instanceof Map<?, ?> object)) {
            throw new SafeTensorsFormatException(where, "\"__metadata__\" must be an object of strings, found " + Json.describe(value));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : object.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SafeTensorsFormatException(where, "\"__metadata__\" value for key " + Json.quote((String) e.getKey())
                        + " must be a string, found " + Json.describe(e.getValue()));
            }
            metadata.put((String) e.getKey(), s);
        }
        return metadata;
    }

    private static Entry entry(String where, String name, Object value) throws SafeTensorsFormatException {
        String tensor = "tensor " + Json.quote(name);
        if (!(value instanceof Map<?, ?> info)) {
            throw new SafeTensorsFormatException(where, tensor + " must be an object with \"dtype\", \"shape\" and \"data_offsets\", found "
                    + Json.describe(value));
        }
        Object dtypeValue = required(where, tensor, info, "dtype");
        if (!(dtypeValue instanceof String dtype)) {
            throw new SafeTensorsFormatException(where, tensor + " \"dtype\" must be a string, found " + Json.describe(dtypeValue));
        }
        int elementSize = TensorData.elementSize(dtype);
        if (elementSize == 0) {
            throw new SafeTensorsFormatException(where, tensor + (OTHER_DTYPES.contains(dtype) ? " has unsupported dtype " : " has unknown dtype ")
                    + Json.quote(dtype) + "; grad4j reads " + TensorData.SUPPORTED);
        }

        Object shapeValue = required(where, tensor, info, "shape");
        if (!(shapeValue instanceof List<?> dims)) {
            throw new SafeTensorsFormatException(where, tensor + " \"shape\" must be an array of dimensions, found " + Json.describe(shapeValue));
        }
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            long dim = nonNegativeInteger(where, dims.get(i), tensor + " dimension " + i + " of \"shape\"");
            if (dim > Integer.MAX_VALUE) {
                throw new SafeTensorsFormatException(where, tensor + " dimension " + i + " of \"shape\" is " + dim
                        + ", larger than grad4j supports (" + Integer.MAX_VALUE + ")");
            }
            shape[i] = (int) dim;
        }
        long numel;
        try {
            numel = TensorData.numel(shape);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsFormatException(where, tensor + " \"shape\" " + Arrays.toString(shape) + " has too many elements");
        }
        long byteSize = numel * elementSize;

        Object offsetsValue = required(where, tensor, info, "data_offsets");
        if (!(offsetsValue instanceof List<?> offsets) || offsets.size() != 2) {
            throw new SafeTensorsFormatException(where, tensor + " \"data_offsets\" must be an array [begin, end], found "
                    + (offsetsValue instanceof List<?> l ? "an array of " + l.size() : Json.describe(offsetsValue)));
        }
        long begin = nonNegativeInteger(where, offsets.get(0), tensor + " data_offsets begin");
        long end = nonNegativeInteger(where, offsets.get(1), tensor + " data_offsets end");
        if (end < begin) {
            throw new SafeTensorsFormatException(where, tensor + " data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end - begin != byteSize) {
            throw new SafeTensorsFormatException(where, tensor + " has dtype " + dtype + " and shape " + Arrays.toString(shape)
                    + ", which need " + byteSize + " bytes, but its data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static Object required(String where, String tensor, Map<?, ?> info, String field) throws SafeTensorsFormatException {
        Object value = info.get(field);
        if (value == null) {
            throw new SafeTensorsFormatException(where, tensor + " has no \"" + field + "\"");
        }
        return value;
    }

    private static long nonNegativeInteger(String where, Object value, String what) throws SafeTensorsFormatException {
        if (!(value instanceof Json.Num number)) {
            throw new SafeTensorsFormatException(where, what + " must be a non-negative integer, found " + Json.describe(value));
        }
        String literal = number.literal();
        if (literal.indexOf('.') >= 0 || literal.indexOf('e') >= 0 || literal.indexOf('E') >= 0) {
            throw new SafeTensorsFormatException(where, what + " must be an integer, found " + Json.describe(value));
        }
        if (literal.startsWith("-") && !literal.equals("-0")) {
            throw new SafeTensorsFormatException(where, what + " is negative: " + Json.describe(value));
        }
        String digits = literal.startsWith("-") ? literal.substring(1) : literal;
        // The JSON grammar already allowed only digits here, so parseLong can fail only on overflow.
        if (digits.length() > 18 && (digits.length() > 19 || digits.compareTo(Long.toString(Long.MAX_VALUE)) > 0)) {
            throw new SafeTensorsFormatException(where, what + " is too large: " + Json.describe(value));
        }
        return Long.parseLong(digits);
    }

    /** Checks that the tensors tile the data section exactly: in bounds, no overlaps, no holes, nothing after. */
    private static void checkCoverage(String where, List<Entry> entries, long dataSize) throws SafeTensorsFormatException {
        for (Entry e : entries) {
            if (e.end() > dataSize) {
                throw new SafeTensorsFormatException(where, "tensor " + Json.quote(e.name()) + " data_offsets " + e.offsets()
                        + " run past the end of the data section, which has " + dataSize + " bytes (file truncated?)");
            }
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < covered) {
                throw new SafeTensorsFormatException(where, "tensors " + Json.quote(previous.name()) + " (data_offsets " + previous.offsets()
                        + ") and " + Json.quote(e.name()) + " (data_offsets " + e.offsets() + ") overlap");
            }
            if (e.begin() > covered) {
                throw new SafeTensorsFormatException(where, "data bytes [" + covered + ", " + e.begin() + ") belong to no tensor (hole "
                        + (previous == null ? "before the first tensor " : "between tensors " + Json.quote(previous.name()) + " and ")
                        + Json.quote(e.name()) + ")");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataSize) {
            throw new SafeTensorsFormatException(where, "the data section has " + dataSize + " bytes but the tensors cover only "
                    + covered + "; " + (dataSize - covered) + " unexpected bytes at the end of the file");
        }
    }
}
