package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every public constructor and method of the convolution, pooling, normalisation, attention, recurrent and embedding
 * layers and of {@code Functional}, called with a null in each reference argument in turn: a null must be reported
 * as an {@link IllegalArgumentException} naming the operation (or accepted where it means "none"), never a raw
 * {@link NullPointerException} from inside.
 */
class LayerNullArgumentsTest {
    private static final List<Class<?>> CLASSES = List.of(Functional.class, Conv1d.class,
            Conv2d.class, ConvTranspose1d.class, ConvTranspose2d.class, MaxPool1d.class, MaxPool2d.class, AvgPool1d.class, AvgPool2d.class,
            AdaptiveAvgPool2d.class, AdaptiveMaxPool2d.class, BatchNorm1d.class, BatchNorm2d.class, LayerNorm.class,
            GroupNorm.class, RMSNorm.class, Dropout2d.class, Embedding.class, EmbeddingBag.class,
            MultiheadAttention.class, TransformerEncoderLayer.class, TransformerDecoderLayer.class,
            TransformerEncoder.class, TransformerDecoder.class, RNN.class, LSTM.class, GRU.class, RNNCell.class,
            LSTMCell.class, GRUCell.class, ELU.class, CELU.class, PReLU.class, Hardtanh.class, SELU.class,
            Mish.class, Hardsigmoid.class, Hardswish.class, LogSigmoid.class, Softsign.class, Tanhshrink.class,
            SmoothL1Loss.class, KLDivLoss.class, PoissonNLLLoss.class, GaussianNLLLoss.class,
            CosineEmbeddingLoss.class, MarginRankingLoss.class, TripletMarginLoss.class,
            MultiLabelSoftMarginLoss.class);

    private static boolean decoder;

    private static Object value(Class<?> type) {
        if (type == Tensor.class) return Tensor.ones(2, 2);
        if (type == int.class) return 2;
        if (type == double.class) return 0.5;
        if (type == boolean.class) return false;
        if (type == int[].class) return new int[] {1, 1};
        if (type == DType.class) return DType.FLOAT32;
        if (type == RandomGenerator.class) return new SplittableRandom(1);
        if (type == PaddingMode.class) return PaddingMode.ZEROS;
        if (type == Tensor[].class) return new Tensor[] {Tensor.ones(2, 2)};
        if (type == ConvOptions.class) return ConvOptions.create();
        if (type == RecurrentOptions.class) return RecurrentOptions.create();
        if (type == MultiheadAttention.Options.class) return MultiheadAttention.options();
        if (type == TransformerEncoderLayer.Options.class) return TransformerEncoderLayer.options().dimFeedforward(4);
        if (type == MultiheadAttention.Mask.class) return MultiheadAttention.Mask.NONE;
        if (type == Reduction.class) return Reduction.MEAN;
        if (type == EmbeddingBag.Mode.class) return EmbeddingBag.Mode.SUM;
        if (type == Activations.GeluApproximation.class) return Activations.GeluApproximation.NONE;
        if (type == java.util.function.Supplier.class) {
            return decoder
                    ? (java.util.function.Supplier<Object>) () -> new TransformerDecoderLayer(2, 1,
                            TransformerEncoderLayer.options().dimFeedforward(4))
                    : (java.util.function.Supplier<Object>) () -> new TransformerEncoderLayer(2, 1,
                            TransformerEncoderLayer.options().dimFeedforward(4));
        }
        return null;
    }

    private static Object instance(Class<?> c) throws Exception {
        for (Constructor<?> k : c.getConstructors()) {
            Object[] args = new Object[k.getParameterCount()];
            boolean ok = true;
            for (int i = 0; i < args.length; i++) {
                args[i] = value(k.getParameterTypes()[i]);
                ok &= args[i] != null;
            }
            if (!ok) continue;
            try {
                return k.newInstance(args);
            } catch (InvocationTargetException e) {
                // another constructor may fit the defaults
            }
        }
        return null;
    }

    @Test
    void nullsAreExplainedOrAccepted() throws Exception {
        List<String> leaks = new ArrayList<>();
        int calls = 0;
        for (Class<?> c : CLASSES) {
            List<Executable> targets = new ArrayList<>(List.of(c.getConstructors()));
            for (Method m : c.getMethods()) {
                if (m.getDeclaringClass() == c || m.getDeclaringClass().getPackageName().equals("org.grad4j.nn")
                        && m.getDeclaringClass() != Module.class && m.getDeclaringClass() != Loss.class) {
                    targets.add(m);
                }
            }
            decoder = c == TransformerDecoder.class;
            Object receiver = instance(c);
            for (Executable e : targets) {
                Class<?>[] types = e.getParameterTypes();
                for (int n = 0; n < types.length; n++) {
                    if (types[n].isPrimitive()) continue;
                    Object[] args = new Object[types.length];
                    boolean ok = true;
                    for (int i = 0; i < types.length; i++) {
                        args[i] = i == n ? null : value(types[i]);
                        ok &= i == n || args[i] != null;
                    }
                    if (!ok) continue;
                    boolean isStatic = e instanceof Method m && Modifier.isStatic(m.getModifiers());
                    if (e instanceof Method && !isStatic && receiver == null) continue;
                    calls++;
                    try {
                        if (e instanceof Method m) {
                            m.invoke(isStatic ? null : receiver, args);
                        } else {
                            ((Constructor<?>) e).newInstance(args);
                        }
                    } catch (InvocationTargetException t) {
                        Throwable cause = t.getCause();
                        // a null reduction is refused by Loss itself (not one of these classes)
                        boolean lossReduction = types[n] == Reduction.class;
                        boolean ours = cause instanceof IllegalArgumentException
                                || cause instanceof IllegalStateException;
                        if (!ours && !lossReduction) {
                            leaks.add(c.getSimpleName() + "." + e.getName() + " arg " + n + ": " + cause);
                        }
                    }
                }
            }
        }
        assertEquals("", String.join("\n", leaks), leaks.size() + " leaks in " + calls + " calls");
    }
}
