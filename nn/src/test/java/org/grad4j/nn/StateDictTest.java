package org.grad4j.nn;

import static org.grad4j.nn.TestTensors.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.core.io.SafeTensors;
import org.grad4j.core.io.SafeTensorsFormatException;
import org.grad4j.core.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State dicts in memory and through safetensors files: bit-exact round trips, strict and non-strict loading, and
 * every failure (missing, unexpected, wrong shape, wrong dtype, corrupt or truncated file) leaving the model
 * exactly as it was.
 */
class StateDictTest {

    @TempDir
    Path dir;

    static class Net extends Module {
        final Linear hidden;
        final Linear out;
        @Buffer
        final Tensor steps;

        Net(long seed, DType dtype) {
            SplittableRandom rng = new SplittableRandom(seed);
            hidden = new Linear(3, 4, true, dtype, rng);
            out = new Linear(4, 2, true, dtype, rng);
            steps = Tensor.full(seed, dtype, 1);
        }

        @Override
        public Tensor forward(Tensor x) {
            return out.forward(hidden.forward(x).tanh());
        }
    }

    /** Every value of the model, bit for bit, keyed by name. */
    private static Map<String, long[]> snapshot(Module m) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) out.put(e.getKey(), bits(e.getValue()));
        return out;
    }

    private static void assertSameState(Map<String, long[]> expected, Module m) {
        Map<String, long[]> actual = snapshot(m);
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k), actual.get(k), k);
    }

    @Test
    void roundTripThroughAFileIsBitExactInBothDtypes() throws IOException {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Net source = new Net(1, dtype);
            Net target = new Net(2, dtype);
            List<Tensor> targetParams = target.parameters();
            Path file = dir.resolve("net-" + dtype + ".safetensors");
            source.save(file);
            Module.LoadResult result = target.load(file);
            assertTrue(result.missingKeys().isEmpty() && result.unexpectedKeys().isEmpty());
            assertSameState(snapshot(source), target);
            for (int i = 0; i < targetParams.size(); i++) {
                assertSame(targetParams.get(i), target.parameters().get(i), "loading keeps the parameter objects");
                assertTrue(target.parameters().get(i).requiresGrad());
            }
            Tensor x = Tensor.ones(dtype, 2, 3);
            assertArrayEquals(bits(source.forward(x)), bits(target.forward(x)));
        }
    }

    @Test
    void specialValuesSurviveTheRoundTrip() throws IOException {
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_NORMAL / 3, Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc12345), Float.NaN,
            1e-40f, -1e30f, 1f};
        Net source = new Net(1, DType.FLOAT32);
        Grad.noGrad(() -> source.hidden.weight().copyFrom(Tensor.of(special, 4, 3)));
        Path file = dir.resolve("special.safetensors");
        source.save(file);
        Net target = new Net(2, DType.FLOAT32);
        target.load(file);
        assertSameState(snapshot(source), target);
    }

    @Test
    void fileHoldsTheStateDictInOrderWithMetadata() throws IOException {
        Net net = new Net(3, DType.FLOAT32);
        Path file = dir.resolve("meta.safetensors");
        net.save(file, Map.of("epoch", "7"));
        var contents = SafeTensors.read(file);
        // As PyTorch: a module's own parameters and buffers first, then its children's.
        assertEquals(List.of("steps", "hidden.weight", "hidden.bias", "out.weight", "out.bias"),
                List.copyOf(contents.tensors().keySet()));
        assertEquals(List.copyOf(net.stateDict().keySet()), List.copyOf(contents.tensors().keySet()));
        assertEquals(Net.class.getName(), contents.metadata().get("grad4j.module"));
        assertEquals("7", contents.metadata().get("epoch"));
        assertEquals("F32", contents.tensors().get("hidden.weight").dtype());
        assertArrayEquals(new int[] {4, 3}, contents.tensors().get("hidden.weight").shape());
    }

    @Test
    void stateDictsSaveAndLoadArbitraryTensors() throws IOException {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("step", Tensor.scalar(10, DType.FLOAT64));
        state.put("empty", Tensor.zeros(0, 3));
        state.put("transposed", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t());   // not contiguous
        Path file = dir.resolve("optimizer.safetensors");
        StateDicts.save(file, state, Map.of("lr", "0.001"));
        StateDicts.Loaded back = StateDicts.load(file);
        assertEquals(List.of("step", "empty", "transposed"), List.copyOf(back.tensors().keySet()));
        assertEquals(0, back.tensors().get("step").dim());
        assertEquals(10.0, back.tensors().get("step").item());
        assertEquals(DType.FLOAT64, back.tensors().get("step").dtype());
        assertArrayEquals(new int[] {0, 3}, back.tensors().get("empty").shape());
        assertArrayEquals(new int[] {3, 2}, back.tensors().get("transposed").shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.tensors().get("transposed").toFloatArray());
        assertEquals("0.001", back.metadata().get("lr"));
        assertFalse(back.tensors().get("step").requiresGrad());
    }

    @Test
    void tensorDataConversionKeepsDtypeShapeAndBits() {
        Tensor t = Tensor.of(new double[] {-0.0, Double.MIN_VALUE, Double.longBitsToDouble(0x7ff8000012345678L)}, 3);
        TensorData d = StateDicts.toTensorData(t);
        assertEquals("F64", d.dtype());
        assertArrayEquals(new int[] {3}, d.shape());
        Tensor back = StateDicts.fromTensorData(d);
        assertArrayEquals(bits(t), bits(back));
        assertEquals("F32", StateDicts.toTensorData(Tensor.scalar(1)).dtype());
        assertArrayEquals(new int[0], StateDicts.toTensorData(Tensor.scalar(1)).shape());
        assertEquals(0, StateDicts.fromTensorData(TensorData.ofFloats(new float[] {2f})).dim());
    }

    // ------------------------------------------------------------------------------------------- in-memory loading

    @Test
    void strictLoadReportsEveryProblemAndLoadsNothing() {
        Net net = new Net(1, DType.FLOAT32);
        Map<String, long[]> before = snapshot(net);
        Map<String, Tensor> state = new LinkedHashMap<>(new Net(2, DType.FLOAT32).stateDict());
        state.remove("out.bias");                                            // missing
        state.put("extra.weight", Tensor.zeros(1));                          // unexpected
        state.put("out.weight", Tensor.zeros(2, 5));                         // wrong shape
        state.put("steps", Tensor.zeros(DType.FLOAT64, 1));                  // wrong dtype
        StateDictException e = assertThrows(StateDictException.class, () -> net.loadStateDict(state));
        String m = e.getMessage();
        assertTrue(m.contains("nothing was loaded"), m);
        assertTrue(m.contains("missing keys (in the model, not in the state dict): out.bias"), m);
        assertTrue(m.contains("unexpected keys (in the state dict, not in the model): extra.weight"), m);
        assertTrue(m.contains("out.weight: shape [2, 5] in the state dict, [2, 4] in the model"), m);
        assertTrue(m.contains("steps: dtype float64 in the state dict, float32 in the model"), m);
        assertEquals(List.of("out.bias"), e.missingKeys());
        assertEquals(List.of("extra.weight"), e.unexpectedKeys());
        assertEquals(2, e.mismatches().size());
        // hidden.* were valid and come first, yet nothing was copied
        assertSameState(before, net);
    }

    @Test
    void eachSingleProblemAloneAlsoLeavesTheModelUntouched() {
        Net net = new Net(1, DType.FLOAT32);
        Map<String, long[]> before = snapshot(net);
        Map<String, Tensor> good = new Net(2, DType.FLOAT32).stateDict();
        List<Map<String, Tensor>> bad = new ArrayList<>();
        for (String key : good.keySet()) {
            Map<String, Tensor> missing = new LinkedHashMap<>(good);
            missing.remove(key);
            bad.add(missing);
            Map<String, Tensor> shape = new LinkedHashMap<>(good);
            shape.put(key, Tensor.zeros(7));
            bad.add(shape);
            Map<String, Tensor> dtype = new LinkedHashMap<>(good);
            dtype.put(key, good.get(key).to(DType.FLOAT64));
            bad.add(dtype);
        }
        Map<String, Tensor> unexpected = new LinkedHashMap<>(good);
        unexpected.put("zzz", Tensor.zeros(1));
        bad.add(unexpected);
        for (Map<String, Tensor> state : bad) {
            assertThrows(StateDictException.class, () -> net.loadStateDict(state, true));
            assertSameState(before, net);
        }
    }

    @Test
    void nonStrictLoadSkipsKeysButStillRejectsShapeAndDtype() {
        Net net = new Net(1, DType.FLOAT32);
        Net other = new Net(2, DType.FLOAT32);
        Map<String, Tensor> state = new LinkedHashMap<>(other.stateDict());
        state.remove("out.bias");
        state.put("extra", Tensor.zeros(1));
        Module.LoadResult r = net.loadStateDict(state, false);
        assertEquals(List.of("out.bias"), r.missingKeys());
        assertEquals(List.of("extra"), r.unexpectedKeys());
        assertArrayEquals(bits(other.hidden.weight()), bits(net.hidden.weight()));
        assertFalse(Arrays.equals(bits(other.out.bias()), bits(net.out.bias())), "missing key left as it was");

        Map<String, long[]> before = snapshot(net);
        state.put("out.weight", Tensor.zeros(4, 2));
        StateDictException e = assertThrows(StateDictException.class, () -> net.loadStateDict(state, false));
        assertTrue(e.missingKeys().isEmpty() && e.unexpectedKeys().isEmpty());
        assertTrue(e.getMessage().contains("out.weight: shape [4, 2]"), e.getMessage());
        assertSameState(before, net);
    }

    @Test
    void loadingAModelsOwnStateDictIsANoOp() {
        Net net = new Net(1, DType.FLOAT64);
        Map<String, long[]> before = snapshot(net);
        net.loadStateDict(net.stateDict());
        assertSameState(before, net);
    }

    @Test
    void nullValuesAreRejected() {
        Net net = new Net(1, DType.FLOAT32);
        Map<String, Tensor> state = new LinkedHashMap<>(net.stateDict());
        state.put("steps", null);
        StateDictException e = assertThrows(StateDictException.class, () -> net.loadStateDict(state));
        assertTrue(e.getMessage().contains("steps: the value is null"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------- bad files

    private Path savedFile(String name) throws IOException {
        Path file = dir.resolve(name);
        new Net(5, DType.FLOAT32).save(file);
        return file;
    }

    @Test
    void truncatedFileFailsClearlyAndLeavesTheModelUntouched() throws IOException {
        Path file = savedFile("truncated.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        Net net = new Net(1, DType.FLOAT32);
        Map<String, long[]> before = snapshot(net);
        for (int cut : new int[] {bytes.length - 1, bytes.length - 40, 20, 8, 3, 0}) {
            Files.write(file, Arrays.copyOf(bytes, cut));
            SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> net.load(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertSameState(before, net);
        }
    }

    @Test
    void corruptHeaderFailsClearlyAndLeavesTheModelUntouched() throws IOException {
        Path file = savedFile("corrupt.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        Net net = new Net(1, DType.FLOAT32);
        Map<String, long[]> before = snapshot(net);
        byte[] garbled = bytes.clone();
        garbled[8] = '[';                                    // the JSON header no longer starts with '{'
        Files.write(file, garbled);
        assertThrows(SafeTensorsFormatException.class, () -> net.load(file));
        byte[] hugeHeader = bytes.clone();
        hugeHeader[7] = 0x7f;                                // header length far beyond the file
        Files.write(file, hugeHeader);
        assertThrows(SafeTensorsFormatException.class, () -> net.load(file));
        Files.write(file, "not a safetensors file at all".getBytes(StandardCharsets.UTF_8));
        assertThrows(SafeTensorsFormatException.class, () -> net.load(file));
        assertThrows(NoSuchFileException.class, () -> net.load(dir.resolve("absent.safetensors")));
        assertSameState(before, net);
    }

    @Test
    void fileForAnotherArchitectureFailsNamingTheFileAndLeavesTheModelUntouched() throws IOException {
        Path file = dir.resolve("other.safetensors");
        new Sequential(new Linear(3, 4), new Tanh()).save(file);
        Net net = new Net(1, DType.FLOAT32);
        Map<String, long[]> before = snapshot(net);
        StateDictException e = assertThrows(StateDictException.class, () -> net.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("missing keys") && e.getMessage().contains("0.weight"), e.getMessage());
        assertSameState(before, net);

        Path wrongDtype = dir.resolve("f64.safetensors");
        new Net(2, DType.FLOAT64).save(wrongDtype);
        e = assertThrows(StateDictException.class, () -> net.load(wrongDtype));
        assertTrue(e.getMessage().contains("hidden.weight: dtype float64 in the state dict, float32 in the model"),
                e.getMessage());
        assertSameState(before, net);

        Path wrongShape = dir.resolve("wide.safetensors");
        Net wide = new Net(2, DType.FLOAT32);
        Map<String, Tensor> state = new LinkedHashMap<>(wide.stateDict());
        state.put("out.bias", Tensor.zeros(3));
        StateDicts.save(wrongShape, state);
        e = assertThrows(StateDictException.class, () -> net.load(wrongShape, false));
        assertTrue(e.getMessage().contains("out.bias: shape [3] in the state dict, [2] in the model"), e.getMessage());
        assertSameState(before, net);
    }
}
