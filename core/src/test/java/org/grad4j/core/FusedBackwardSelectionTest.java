package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Which cases {@link FusedBackward}'s one-pass forms take and which they decline (null: the rule runs its tensor
 * ops), as its class comment lists them: they take every walk that records no graph on contiguous operands of the
 * gradient's float dtype and shape up to {@link FusedBackward#MAX_ELEMENTS} elements, single broadcast elements for
 * mul and div, and one-element operands; they decline a recording walk, more elements, another dtype or shape, and
 * non-contiguous operands. A decline gives the same values (the tensor-op form, {@code FusedBackwardTest}), so only
 * these direct calls show that the fast path is still taken where scalar graphs and per-sample layers rely on it.
 * Taken cases are checked against the rule's formula evaluated here per element in the dtype's arithmetic.
 */
class FusedBackwardSelectionTest {
    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

    private static Tensor values(DType dtype, long seed, int... shape) {
        int n = Shapes.numel(shape);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble(-2, 2);
        return Tensor.ofShape(v, shape).to(dtype);
    }

    /** The node of a unary op applied to a fresh leaf, marked as in a walk that records no graph. */
    private static Node unrecorded(Tensor out) {
        Node node = out.gradFn;
        node.unrecordedWalk = new Object();
        return node;
    }

    private static Node unaryNode(String op, Tensor x) {
        Tensor leaf = x.detach().requiresGrad(true);
        Tensor out = switch (op) {
            case "tanh" -> leaf.tanh();
            case "sigmoid" -> leaf.sigmoid();
            case "relu" -> leaf.relu();
            default -> leaf.neg();
        };
        return unrecorded(out);
    }

    private static Node binaryNode(boolean quotient, Tensor a, Tensor b) {
        Tensor la = a.detach().requiresGrad(true);
        Tensor lb = b.detach().requiresGrad(true);
        return unrecorded(quotient ? la.div(lb) : la.mul(lb));
    }

    /** The rule's formula per element, in the dtype's arithmetic (float32 rounds every step, as the rule does). */
    private static double unaryRule(String op, DType dtype, double g, double y) {
        if (dtype == DType.FLOAT32) {
            float gf = (float) g;
            float yf = (float) y;
            return switch (op) {
                case "tanh" -> gf * (1 - yf * yf);
                case "sigmoid" -> gf * (yf * (1 - yf));
                case "relu" -> yf > 0 ? gf : 0f;
                default -> -gf;
            };
        }
        return switch (op) {
            case "tanh" -> g * (1 - y * y);
            case "sigmoid" -> g * (y * (1 - y));
            case "relu" -> y > 0 ? g : 0;
            default -> -g;
        };
    }

    private static Tensor unary(String op, Node node, Tensor g, Tensor y) {
        return switch (op) {
            case "tanh" -> FusedBackward.tanh(node, g, y);
            case "sigmoid" -> FusedBackward.sigmoid(node, g, y);
            case "relu" -> FusedBackward.relu(node, g, y);
            default -> FusedBackward.neg(node, g);
        };
    }

    private static void assertRule(String what, double[] expected, int[] shape, DType dtype, Tensor actual) {
        assertNotNull(actual, what + ": the one-pass form declined");
        assertArrayEquals(shape, actual.shape(), what + ": shape");
        assertEquals(dtype, actual.dtype(), what + ": dtype");
        assertArrayEquals(expected, actual.toDoubleArray(), what);
    }

    // ------------------------------------------------------------------------------------------------ unary rules

    @Test
    void unaryRulesTakeContiguousOperandsUpToTheLimitAndSingleElements() {
        int[][] shapes = {{}, {1}, {5}, {2, 3}, {1, 4096}, {64, 64}};
        for (String op : new String[] {"tanh", "sigmoid", "relu", "neg"}) {
            for (DType dtype : FLOATS) {
                for (int[] shape : shapes) {
                    Tensor x = values(dtype, 3, shape);
                    Node node = unaryNode(op, x);
                    Tensor y = op.equals("relu") ? x.relu() : op.equals("tanh") ? x.tanh() : x.sigmoid();
                    Tensor g = values(dtype, 4, shape);
                    double[] gv = g.toDoubleArray();
                    double[] yv = y.toDoubleArray();
                    double[] expected = new double[gv.length];
                    for (int i = 0; i < gv.length; i++) expected[i] = unaryRule(op, dtype, gv[i], yv[i]);
                    String what = op + " " + dtype + " " + java.util.Arrays.toString(shape);
                    assertRule(what, expected, shape, dtype, unary(op, node, g, y));
                }
            }
        }
    }

    @Test
    void unaryRulesDeclineARecordingWalkMoreElementsOtherDtypesShapesAndLayouts() {
        for (String op : new String[] {"tanh", "sigmoid", "relu", "neg"}) {
            for (DType dtype : FLOATS) {
                DType other = dtype == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
                String what = op + " " + dtype;
                // a walk that records a graph (createGraph): the rule must stay differentiable
                for (int[] shape : new int[][] {{}, {3}}) {
                    Tensor x = values(dtype, 5, shape);
                    Node node = unaryNode(op, x);
                    node.unrecordedWalk = null;
                    assertNull(unary(op, node, values(dtype, 6, shape), x), what + " recording " + shape.length);
                }
                // one element more than the limit: declined, except relu, whose large form is the SIMD kernel
                Tensor big = values(dtype, 7, 4097);
                Tensor bigG = values(dtype, 8, 4097);
                Tensor bigRule = unary(op, unaryNode(op, big), bigG, big);
                if (op.equals("relu")) {
                    double[] gv = bigG.toDoubleArray();
                    double[] yv = big.toDoubleArray();
                    double[] expected = new double[gv.length];
                    for (int i = 0; i < gv.length; i++) expected[i] = unaryRule(op, dtype, gv[i], yv[i]);
                    assertRule(what + " 4097 elements", expected, new int[] {4097}, dtype, bigRule);
                } else {
                    assertNull(bigRule, what + " 4097 elements");
                }
                // a non-contiguous gradient
                Tensor x = values(dtype, 9, 3, 2);
                Tensor gT = values(dtype, 10, 2, 3).t();
                assertNull(unary(op, unaryNode(op, x), gT, x), what + " transposed gradient");
                if (op.equals("neg")) {
                    continue;   // neg reads g alone
                }
                // a non-contiguous saved output, one of another dtype, one of another shape
                Tensor xT = values(dtype, 11, 2, 3).t();
                assertNull(unary(op, unaryNode(op, xT), values(dtype, 12, 3, 2), xT), what + " transposed output");
                Tensor y = values(dtype, 13, 4);
                assertNull(unary(op, unaryNode(op, y), values(dtype, 14, 4), y.to(other)), what + " mixed dtypes");
                assertNull(unary(op, unaryNode(op, y), values(dtype, 15, 2, 2), y), what + " [2, 2] against [4]");
                // a one-element gradient against a longer saved output is not a one-element case
                Tensor one = values(dtype, 16, 1);
                assertNull(unary(op, unaryNode(op, one), one, values(dtype, 17, 3)), what + " [1] against [3]");
            }
        }
    }

    @Test
    void integerGradientsAreDeclined() {
        Tensor x = values(DType.FLOAT32, 18, 4);
        Tensor gi = Tensor.of(new long[] {1, 2, 3, 4}, 4);
        Tensor yi = Tensor.of(new long[] {1, -2, 3, 0}, 4);
        assertNull(FusedBackward.tanh(unaryNode("tanh", x), gi, yi), "int64 tanh");
        assertNull(FusedBackward.relu(unaryNode("relu", x), gi, yi), "int64 relu");
        assertNull(FusedBackward.neg(unaryNode("neg", x), gi), "int64 neg");
        Tensor[] products = FusedBackward.mul(binaryNode(false, x, x), gi, yi, yi, true, true);
        assertNull(products, "int64 mul");
    }

    // ------------------------------------------------------------------------------------------------ mul and div

    private static double product(boolean quotient, boolean forA, DType dtype, double g, double a, double b) {
        if (dtype == DType.FLOAT32) {
            float gf = (float) g;
            float af = (float) a;
            float bf = (float) b;
            if (!quotient) {
                return forA ? gf * bf : gf * af;
            }
            return forA ? gf / bf : -((gf * af) / (bf * bf));
        }
        if (!quotient) {
            return forA ? g * b : g * a;
        }
        return forA ? g / b : -((g * a) / (b * b));
    }

    /** The two gradients of mul or div of {@code a} and {@code b} (each of g's shape or one element). */
    private static void assertBinaryTaken(boolean quotient, DType dtype, int[] gShape, int[] aShape, int[] bShape) {
        Tensor a = values(dtype, 21, aShape);
        Tensor b = values(dtype, 22, bShape).add(quotient ? 3 : 0);   // divisors away from 0
        Tensor g = values(dtype, 23, gShape);
        double[] gv = g.toDoubleArray();
        double[] av = a.toDoubleArray();
        double[] bv = b.toDoubleArray();
        for (int need = 1; need <= 3; need++) {
            boolean needA = (need & 1) != 0;
            boolean needB = (need & 2) != 0;
            Node node = binaryNode(quotient, a, b);
            Tensor[] r = quotient ? FusedBackward.div(node, g, a, b, needA, needB)
                    : FusedBackward.mul(node, g, a, b, needA, needB);
            String what = (quotient ? "div " : "mul ") + dtype + " g" + java.util.Arrays.toString(gShape) + " a"
                    + java.util.Arrays.toString(aShape) + " b" + java.util.Arrays.toString(bShape) + " need " + need;
            assertNotNull(r, what + ": the one-pass form declined");
            assertEquals(2, r.length, what);
            for (int side = 0; side < 2; side++) {
                boolean forA = side == 0;
                if (!(forA ? needA : needB)) {
                    assertNull(r[side], what + ": gradient of an input that needs none");
                    continue;
                }
                double[] expected = new double[gv.length];
                for (int i = 0; i < gv.length; i++) {
                    expected[i] = product(quotient, forA, dtype, gv[i], av[av.length == 1 ? 0 : i],
                            bv[bv.length == 1 ? 0 : i]);
                }
                assertRule(what + (forA ? " dA" : " dB"), expected, gShape, dtype, r[side]);
            }
        }
    }

    @Test
    void mulAndDivTakeEqualShapesBroadcastElementsAndOneElementOperands() {
        for (boolean quotient : new boolean[] {false, true}) {
            for (DType dtype : FLOATS) {
                assertBinaryTaken(quotient, dtype, new int[] {}, new int[] {}, new int[] {});
                assertBinaryTaken(quotient, dtype, new int[] {1}, new int[] {1}, new int[] {1});
                assertBinaryTaken(quotient, dtype, new int[] {1}, new int[] {1}, new int[] {});
                assertBinaryTaken(quotient, dtype, new int[] {1}, new int[] {}, new int[] {1});
                assertBinaryTaken(quotient, dtype, new int[] {2, 3}, new int[] {2, 3}, new int[] {2, 3});
                assertBinaryTaken(quotient, dtype, new int[] {2, 3}, new int[] {2, 3}, new int[] {});
                assertBinaryTaken(quotient, dtype, new int[] {2, 3}, new int[] {1}, new int[] {2, 3});
                assertBinaryTaken(quotient, dtype, new int[] {4096}, new int[] {4096}, new int[] {1, 1});
            }
        }
    }

    private static Tensor[] binary(boolean quotient, Node node, Tensor g, Tensor a, Tensor b) {
        return quotient ? FusedBackward.div(node, g, a, b, true, true) : FusedBackward.mul(node, g, a, b, true, true);
    }

    @Test
    void mulAndDivDeclineWhatTheyCannotReadInOnePass() {
        for (boolean quotient : new boolean[] {false, true}) {
            for (DType dtype : FLOATS) {
                DType other = dtype == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
                String what = (quotient ? "div " : "mul ") + dtype;
                Tensor a = values(dtype, 31, 2, 3);
                Tensor b = values(dtype, 32, 2, 3).add(3);
                Tensor g = values(dtype, 33, 2, 3);
                Node recording = binaryNode(quotient, a, b);
                recording.unrecordedWalk = null;
                assertNull(binary(quotient, recording, g, a, b), what + " recording");
                Tensor s = values(dtype, 34);
                Node recordingScalar = binaryNode(quotient, s, s);
                recordingScalar.unrecordedWalk = null;
                assertNull(binary(quotient, recordingScalar, s, s, s.add(3)), what + " recording, 0-d");
                Node node = binaryNode(quotient, a, b);
                assertNull(binary(quotient, node, g, a.to(other), b), what + " a of another dtype");
                assertNull(binary(quotient, node, g, a, b.to(other)), what + " b of another dtype");
                assertNotNull(binary(quotient, node, g.to(other), a.to(other), b.to(other)),
                        what + " all three of the other float dtype");
                Tensor row = values(dtype, 35, 3);
                assertNull(binary(quotient, node, g, a, row), what + " a broadcast row");
                assertNull(binary(quotient, node, g, row, b), what + " a broadcast row as a");
                Tensor aT = values(dtype, 36, 3, 2).t();
                assertNull(binary(quotient, node, g, aT, b), what + " transposed a");
                assertNull(binary(quotient, node, g, a, values(dtype, 44, 3, 2).add(3).t()), what + " transposed b");
                assertNull(binary(quotient, node, values(dtype, 37, 3, 2).t(), a, b), what + " transposed g");
                Tensor big = values(dtype, 38, 4097);
                assertNull(binary(quotient, binaryNode(quotient, big, big), big, big, big.add(3)),
                        what + " 4097 elements");
                // a one-element gradient with a longer operand is not a one-element case
                Tensor one = values(dtype, 39, 1);
                Tensor three = values(dtype, 40, 3).add(3);
                assertNull(binary(quotient, binaryNode(quotient, one, one), one, one, three), what + " b of 3");
                assertNull(binary(quotient, binaryNode(quotient, one, one), one, three, one.add(3)), what + " a of 3");
                // single elements at an offset into their storage are read there
                Tensor gAt = values(dtype, 41, 2).narrow(0, 1, 1);
                Tensor aAt = values(dtype, 42, 3).narrow(0, 2, 1);
                Tensor bAt = values(dtype, 43, 2).add(3).narrow(0, 1, 1);
                Tensor[] r = binary(quotient, binaryNode(quotient, one, one), gAt, aAt, bAt);
                double gv = gAt.item();
                double av = aAt.item();
                double bv = bAt.item();
                assertEquals(product(quotient, true, dtype, gv, av, bv), r[0].item(), what + " offsets dA");
                assertEquals(product(quotient, false, dtype, gv, av, bv), r[1].item(), what + " offsets dB");
            }
        }
    }

    @Test
    void oneElementFormsOfMixedStoragesFallThroughToTheArrayForms() {
        // a float32 gradient with a float64 operand: not one dtype, so neither the one-element nor the array form
        for (boolean quotient : new boolean[] {false, true}) {
            Tensor g = values(DType.FLOAT32, 51, 1);
            Tensor a64 = values(DType.FLOAT64, 52, 1);
            Tensor b32 = values(DType.FLOAT32, 53, 1).add(3);
            assertNull(binary(quotient, binaryNode(quotient, g, g), g, a64, b32), "a float64");
            assertNull(binary(quotient, binaryNode(quotient, g, g), g, b32, a64.add(3)), "b float64");
        }
        for (String op : new String[] {"tanh", "sigmoid", "relu"}) {
            Tensor g = values(DType.FLOAT32, 54, 1);
            Tensor y64 = values(DType.FLOAT64, 55, 1);
            assertNull(unary(op, unaryNode(op, g), g, y64), op + " float64 output, float32 gradient");
            Tensor g64 = values(DType.FLOAT64, 56, 1);
            Tensor y32 = values(DType.FLOAT32, 57, 1);
            assertNull(unary(op, unaryNode(op, g64), g64, y32), op + " float32 output, float64 gradient");
        }
    }

    @Test
    void oneElementResultsTakeTheNodesOutputShape() {
        for (DType dtype : FLOATS) {
            for (int[] shape : new int[][] {{}, {1}}) {
                Tensor x = values(dtype, 61, shape);
                Node node = unaryNode("tanh", x);
                Tensor r = FusedBackward.tanh(node, x, x.tanh());
                assertArrayEquals(shape, r.shape(), dtype + " tanh");
                double y = x.tanh().item();
                assertEquals(unaryRule("tanh", dtype, x.item(), y), r.item(), dtype + " tanh value");
            }
        }
    }
}
