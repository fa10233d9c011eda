package org.grad4j.nn;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The declared fields of a class in declaration order, read from the field table of its class file.
 *
 * <p>{@link Class#getDeclaredFields()} promises no order (the JLS and the javadoc say so), so module discovery
 * cannot rely on it. The class file is a fixed artifact whose field table javac writes in source order, so reading
 * it gives the same order on every JVM and every run. When the class file cannot be read (a class defined at run
 * time without one), the fields whose order is unknown are reported as such, and discovery refuses a class with
 * two or more state fields of unknown order rather than guessing one.
 *
 * <p>Why a reader of our own: the alternatives are worse. Explicit registration of every field (as
 * {@code Module.registerParameter} offers) would give up PyTorch's "assign a field, it is a submodule" style for
 * every layer and user model; an annotation with an index is easy to get wrong silently; the JDK's class-file API
 * ({@code java.lang.classfile}) needs Java 24, and the jars target 21. The part of the format read here (magic,
 * constant pool, field table; JVMS 4.1) has been stable since Java 1.0; the only way a newer class file could
 * differ is a new constant-pool tag, and that is refused with an error naming the tag, never skipped.
 * Instrumenting agents (coverage, mutation testing) add only static synthetic fields, which are not state.
 */
final class FieldOrder {
    private FieldOrder() {
    }

    /**
     * The declared fields: those found in the class file first, in its order, then any others (sorted by name).
     *
     * @param fields  all declared fields
     * @param ordered the fields whose position comes from the class file
     * @param reason  why some fields are not ordered (empty when all are)
     */
    record Ordered(List<Field> fields, Set<Field> ordered, String reason) {
        /** Whether {@code field}'s position is its declaration position. */
        boolean inClassFileOrder(Field field) {
            return ordered.contains(field);
        }
    }

    private static final ClassValue<Ordered> CACHE = new ClassValue<>() {
        @Override
        protected Ordered computeValue(Class<?> type) {
            return ordered(type);
        }
    };

    /** Declared fields of {@code type} (not inherited ones) in declaration order where known; cached per class. */
    static Ordered declaredFields(Class<?> type) {
        return CACHE.get(type);
    }

    private static Ordered ordered(Class<?> type) {
        Map<String, Field> byName = new LinkedHashMap<>();
        Field[] declared = type.getDeclaredFields();
        Arrays.sort(declared, Comparator.comparing(Field::getName));
        for (Field f : declared) {
            byName.put(f.getName(), f);
        }
        String reason = "";
        List<String> names;
        try {
            names = namesFromClassFile(type);
        } catch (IOException | RuntimeException e) {
            names = List.of();
            reason = "its class file cannot be parsed: " + e.getMessage();
        }
        if (names == null) {
            names = List.of();
            reason = "it has no class file (a class defined at run time)";
        }
        List<Field> out = new ArrayList<>();
        Set<Field> ordered = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String name : names) {
            Field f = byName.remove(name);
            if (f != null) {
                out.add(f);
                ordered.add(f);
            }
        }
        if (!byName.isEmpty() && reason.isEmpty()) {
            reason = "its class file does not list them; the loaded class differs from its class file";
        }
        out.addAll(byName.values());
        return new Ordered(List.copyOf(out), ordered, reason);
    }

    /** Field names in class-file order, or null when the class has no class file. */
    static List<String> namesFromClassFile(Class<?> type) throws IOException {
        String binary = type.getName();
        String resource = binary.substring(binary.lastIndexOf('.') + 1) + ".class";
        try (InputStream raw = type.getResourceAsStream(resource)) {
            if (raw == null) {
                return null;
            }
            return parseFieldNames(new DataInputStream(raw));
        }
    }

    /** Reads the constant pool, skips to the field table and returns the field names in order (JVMS 4.1). */
    private static List<String> parseFieldNames(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("no class file magic number");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int poolCount = in.readUnsignedShort();
        String[] utf8 = new String[poolCount];
        for (int i = 1; i < poolCount; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();                       // Utf8 (modified UTF-8, as readUTF reads)
                case 3, 4 -> in.skipNBytes(4);                          // Integer, Float
                case 5, 6 -> {                                          // Long, Double take two slots
                    in.skipNBytes(8);
                    i++;
                }
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2);              // Class, String, MethodType, Module, Package
                case 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);         // refs, NameAndType, (Invoke)Dynamic
                case 15 -> in.skipNBytes(3);                            // MethodHandle
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        in.readUnsignedShort(); // access flags
        in.readUnsignedShort(); // this class
        in.readUnsignedShort(); // super class
        int interfaces = in.readUnsignedShort();
        in.skipNBytes(2L * interfaces);
        int fields = in.readUnsignedShort();
        List<String> names = new ArrayList<>(fields);
        for (int f = 0; f < fields; f++) {
            in.readUnsignedShort(); // access flags
            int nameIndex = in.readUnsignedShort();
            in.readUnsignedShort(); // descriptor
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                in.readUnsignedShort();
                in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
            }
            if (nameIndex <= 0 || nameIndex >= poolCount || utf8[nameIndex] == null) {
                throw new IOException("field " + f + " names constant " + nameIndex + ", which is not a Utf8 entry");
            }
            names.add(utf8[nameIndex]);
        }
        return names;
    }
}
