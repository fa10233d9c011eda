package org.grad4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Embedding;
import org.grad4j.nn.Functional;
import org.grad4j.nn.LayerNorm;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Losses;
import org.grad4j.nn.Module;
import org.grad4j.nn.TransformerEncoder;
import org.grad4j.nn.TransformerEncoderLayer;
import org.grad4j.optim.Adam;

/**
 * A character-level transformer language model (a small GPT): token and position embeddings, pre-norm causal
 * transformer layers, a final layer norm and a linear read-out to the next character's logits. It trains on
 * {@code sqlite-api-docs.txt} (public-domain SQLite documentation, see {@code SQLITE-TEXT-SOURCE.md}) on random
 * windows, printing the loss and, now and then, a sample generated from the model.
 *
 * <pre>
 * mvn -q compile exec:exec -pl examples -am -Ddemo.main=org.grad4j.examples.CharTransformer -Ddemo.args="2000"
 * </pre>
 * Argument: the number of training steps (default 2000).
 */
public final class CharTransformer {
    private CharTransformer() {
    }

    /** The model's sizes. */
    public record Config(int context, int dModel, int heads, int layers, int feedforward, int batch, double lr) {
        /** The example's default: 64 characters of context, 2 layers of width 64, batch 32. */
        public static Config standard() {
            return new Config(64, 64, 4, 2, 256, 32, 3e-3);
        }
    }

    /** The model: embeddings, causal transformer layers, read-out. */
    public static final class Model extends Module {
        final Embedding tokens;
        final Embedding positions;
        final TransformerEncoder blocks;
        final LayerNorm norm;
        final Linear head;
        private final transient int context;
        private final transient Tensor mask;

        Model(int vocab, Config c, SplittableRandom rng) {
            this.context = c.context();
            tokens = new Embedding(vocab, c.dModel(), -1, Double.NaN, DType.FLOAT32, rng);
            positions = new Embedding(c.context(), c.dModel(), -1, Double.NaN, DType.FLOAT32, rng);
            try (var off = Grad.disabled()) {
                tokens.weight().mulInPlace(0.1);
                positions.weight().mulInPlace(0.1);
            }
            var options = TransformerEncoderLayer.options().dimFeedforward(c.feedforward()).dropout(0)
                    .batchFirst(true).normFirst(true).gelu(true).rng(rng);
            blocks = new TransformerEncoder(() -> new TransformerEncoderLayer(c.dModel(), c.heads(), options),
                    c.layers(), null);
            norm = new LayerNorm(c.dModel());
            head = new Linear(c.dModel(), vocab, true, DType.FLOAT32, rng);
            mask = Functional.causalMask(c.context(), c.context(), DType.FLOAT32);
        }

        /** Token ids {@code [N, T]} (T at most the context) -> next-character logits {@code [N, T, vocab]}. */
        @Override
        public Tensor forward(Tensor ids) {
            int t = ids.size(1);
            Tensor x = tokens.forward(ids).add(positions.forward(Tensor.arange(t)));
            Tensor causal = t == context ? mask : Functional.causalMask(t, t, DType.FLOAT32);
            return head.forward(norm.forward(blocks.forward(x, causal, null)));
        }
    }

    /** The shipped training text. */
    public static String text() throws IOException {
        try (InputStream in = CharTransformer.class.getResourceAsStream("sqlite-api-docs.txt")) {
            if (in == null) {
                throw new IOException("sqlite-api-docs.txt is missing from the examples' resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** What a run achieved: the mean loss of the first and of the last 20 steps, and a final sample. */
    public record Result(double firstLoss, double lastLoss, String sample) {
    }

    /** Trains for {@code steps} steps; prints progress every {@code printEvery} steps (0: silent). */
    public static Result train(String text, Config c, int steps, int printEvery, long seed) {
        char[] vocab = vocabulary(text);
        int[] ids = encode(text, vocab);
        SplittableRandom rng = new SplittableRandom(seed);
        Model model = new Model(vocab.length, c, rng);
        Adam optimizer = new Adam(model.parameters(), Adam.options().lr(c.lr()));
        if (printEvery > 0) {
            System.out.printf(Locale.ROOT, "%,d characters, vocabulary of %d, %,d parameters; uniform guessing costs"
                    + " %.2f nats per character%n", text.length(), vocab.length, model.parameterCount(),
                    Math.log(vocab.length));
        }
        double first = 0;
        double last = 0;
        int window = Math.min(20, Math.max(1, steps / 2));
        for (int step = 1; step <= steps; step++) {
            long[] input = new long[c.batch() * c.context()];
            long[] target = new long[c.batch() * c.context()];
            for (int b = 0; b < c.batch(); b++) {
                int start = rng.nextInt(ids.length - c.context() - 1);
                for (int i = 0; i < c.context(); i++) {
                    input[b * c.context() + i] = ids[start + i];
                    target[b * c.context() + i] = ids[start + i + 1];
                }
            }
            Tensor logits = model.forward(Tensor.of(input, c.batch(), c.context()));
            Tensor loss = Losses.crossEntropy(logits.reshape(-1, vocab.length), Tensor.of(target).to(DType.INT64));
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            double value = loss.item();
            if (step <= window) first += value / window;
            if (step > steps - window) last += value / window;
            if (printEvery > 0 && step % printEvery == 0) {
                System.out.printf(Locale.ROOT, "step %5d: loss %.3f%n", step, value);
            }
            if (printEvery > 0 && step % (printEvery * 5) == 0) {
                System.out.println("  sample: " + sample(model, vocab, "The ", 160, c.context(), rng)
                        .replace("\n", "\n          "));
            }
        }
        return new Result(first, last, sample(model, vocab, "The ", 80, c.context(), rng));
    }

    /** Continues {@code prompt} by sampling from the model's softmax, one character at a time. */
    public static String sample(Model model, char[] vocab, String prompt, int length, int context,
            SplittableRandom rng) {
        model.eval();
        StringBuilder out = new StringBuilder(prompt);
        try (var off = Grad.disabled()) {
            for (int n = 0; n < length; n++) {
                String window = out.substring(Math.max(0, out.length() - context));
                int[] ids = encode(window, vocab);
                Tensor input = Tensor.of(ids, 1, ids.length).to(DType.INT64);
                Tensor logits = model.forward(input).select(1, ids.length - 1);
                double[] p = logits.softmax(-1).toDoubleArray();
                double u = rng.nextDouble();
                int next = p.length - 1;
                for (int i = 0; i < p.length; i++) {
                    u -= p[i];
                    if (u <= 0) {
                        next = i;
                        break;
                    }
                }
                out.append(vocab[next]);
            }
        }
        model.train();
        return out.toString();
    }

    static char[] vocabulary(String text) {
        TreeSet<Character> set = new TreeSet<>();
        for (char ch : text.toCharArray()) set.add(ch);
        char[] v = new char[set.size()];
        int i = 0;
        for (char ch : set) v[i++] = ch;
        return v;
    }

    static int[] encode(String s, char[] vocab) {
        int[] out = new int[s.length()];
        for (int i = 0; i < out.length; i++) {
            int at = java.util.Arrays.binarySearch(vocab, s.charAt(i));
            out[i] = at >= 0 ? at : 0;
        }
        return out;
    }

    /** Argument: training steps (default 2000). */
    public static void main(String[] args) throws IOException {
        String joined = String.join(" ", args).trim();
        int steps = joined.isEmpty() ? 2000 : Integer.parseInt(joined.split("\\s+")[0]);
        Result r = train(text(), Config.standard(), steps, 100, 1);
        System.out.printf(Locale.ROOT, "loss %.3f -> %.3f; final sample:%n%s%n", r.firstLoss(), r.lastLoss(),
                r.sample());
    }
}
