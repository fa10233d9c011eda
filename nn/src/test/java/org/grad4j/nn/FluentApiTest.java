package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.nn.data.EarlyStopping;
import org.grad4j.nn.data.TensorDataset;
import org.junit.jupiter.api.Test;

/** Fluent methods return their receiver, accessors return what was configured, and index checks sit at the edge. */
class FluentApiTest {

    @Test
    void fluentModuleMethodsReturnTheModule() {
        Linear inner = new Linear(2, 3, true, DType.FLOAT32, new SplittableRandom(1));
        Sequential s = new Sequential();
        assertSame(s, s.add(inner));
        assertSame(s, s.train(false));
        assertSame(s, s.requiresGrad(true));
        assertSame(s, s.apply(m -> { }));
        Tensor b = Tensor.zeros(2);
        Identity id = new Identity();
        assertSame(b, id.registerBuffer("stats", b));
        assertSame(inner, new Identity().registerModule("child", inner));
        assertEquals(List.of(b), id.buffers());
        assertEquals(List.of(inner), s.children());
        Module.LoadResult r = s.loadStateDict(s.stateDict(), false);
        assertEquals(List.of(), r.missingKeys());
        assertEquals(List.of(), r.unexpectedKeys());
        assertEquals(2, inner.inFeatures());
        assertEquals(3, inner.outFeatures());
        assertEquals(0.5, new HuberLoss(0.5).delta());
        assertEquals(0.25, new Dropout(0.25).p());
        assertEquals(0.2, new LeakyReLU(0.2).negativeSlope());
        assertSame(inner, s.get(-1));
        assertSame(inner, s.get(0));
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(-2));
        Tensor x = Tensor.ones(1, 2);
        assertEquals(3, s.forward(new Tensor[] {x}).numel(), "the one-input varargs forward");
    }

    @Test
    void aHookHandleClosedByTryWithResourcesRemovesTheHook() {
        Identity id = new Identity();
        List<String> calls = new ArrayList<>();
        try (Module.HookHandle h = id.registerForwardHook((m, in, out) -> {
            calls.add("hook");
            return null;
        })) {
            id.call(Tensor.ones(1));
        }
        id.call(Tensor.ones(1));
        assertEquals(List.of("hook"), calls);
        Module.HookHandle other = id.registerForwardPreHook((m, in) -> null);
        Module.HookHandle kept = id.registerForwardPreHook((m, in) -> {
            calls.add("kept");
            return null;
        });
        other.remove();
        id.call(Tensor.ones(1));
        assertEquals(List.of("hook", "kept"), calls, "removing one hook keeps the others");
        kept.remove();
    }

    @Test
    void containersAnswerTheirAccessorsAtTheEdges() {
        Map<String, Module> init = new LinkedHashMap<>();
        init.put("b", new Tanh());
        init.put("a", new ReLU());
        ModuleDict d = new ModuleDict(init);
        assertEquals(List.of("b", "a"), List.copyOf(d.asMap().keySet()));
        assertTrue(d.containsKey("a"));
        assertFalse(d.containsKey("z"));
        assertEquals(null, d.remove("z"));
        ModuleList list = new ModuleList(List.of(new Tanh(), new ReLU()));
        assertTrue(list.get(1) instanceof ReLU);
        assertTrue(list.get(-2) instanceof Tanh);
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(2));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(-3));
        TensorDataset ds = new TensorDataset(Tensor.ones(3, 2), Tensor.zeros(3));
        assertEquals(3, ds.features().size(0));
        assertEquals(2, ds.batch(new int[] {0, 2}).size());
        assertThrows(IllegalArgumentException.class, () -> ds.batch(new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> ds.batch(new int[] {-1}));
    }

    @Test
    void earlyStoppingCountsFromTheFirstEpochAndAcceptsItsEdgeSettings() {
        EarlyStopping stop = new EarlyStopping(1, 0);
        assertEquals(-1, stop.bestEpoch());
        assertTrue(stop.improved(1.0));
        assertEquals(0, stop.bestEpoch());
        assertFalse(stop.improved(1.0), "equal is not better");
        assertTrue(stop.shouldStop());
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(1, -Double.MIN_VALUE));
        EarlyStopping delta = new EarlyStopping(2, 0.5);
        delta.improved(2.0);
        assertFalse(delta.improved(1.5), "an improvement of exactly minDelta does not count");
        assertTrue(delta.improved(1.49));
        assertEquals(2, delta.bestEpoch());
        assertEquals(1.49, delta.bestLoss());
    }
}
