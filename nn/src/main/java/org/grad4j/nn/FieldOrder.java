package org.grad4j.nn;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared fields of a class in declaration order, read from the field table of its class file.
 *
 * <p>{@link Class#getDeclaredFields()} promises no order (the JLS and the javadoc say so), so module discovery
 * cannot rely on it. The class file is a fixed artifact whose field table javac writes in source order, so reading
 * it gives the same order on every JVM and every run. When the class file cannot be read (a class defined at run
 * time without one), the fields are sorted by name: still deterministic, though no longer declaration order.
 */
final class FieldOrder {
    private FieldOrder() {
    }

    private static final ClassValue<Field[]> CACHE = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            return ordered(type);
        }
    };

    /** Declared fields of {@code type} (not inherited ones) in declaration order; cached per class. */
    static Field[] declaredFields(Class<?> type) {
        return CACHE.get(type).clone();
    }

    private static Field[] ordered(Class<?> type) {
        Map<String, Field> byName = new LinkedHashMap<>();
        Field[] declared = type.getDeclaredFields();
        Arrays.sort(declared, Comparator.comparing(Field::getName));
        for (Field f : declared) {
            byName.put(f.getName(), f);
        }
        List<Field> out = new ArrayList<>();
        for (String name : namesFromClassFile(type)) {
            Field f = byName.remove(name);
            if (f != null) {
                out.add(f);
            }
        }
        out.addAll(byName.values()); // whatever the class file did not list (or all of them if it was unreadable)
        return out.toArray(new Field[0]);
    }

    /** Field names in class-file order, or an empty list when the class file is unavailable or unreadable. */
    static List<String> namesFromClassFile(Class<?> type) {
        String binary = type.getName();
        String resource = binary.substring(binary.lastIndexOf('.') + 1) + ".class";
        try (InputStream raw = type.getResourceAsStream(resource)) {
            if (raw == null) {
                return List.of();
            }
            return parseFieldNames(new DataInputStream(raw));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Reads the constant pool, skips to the field table and returns the field names in order (JVMS 4.1). */
    private static List<String> parseFieldNames(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            return List.of();
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
            names.add(utf8[nameIndex]);
        }
        return names;
    }
}
