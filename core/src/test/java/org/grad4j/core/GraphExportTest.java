package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code toDot}'s whole text for small graphs, written out by hand: node ids, labels, leaves and every edge. */
class GraphExportTest {
    @Test
    void aLeafAloneIsOneEllipse() {
        Tensor w = Tensor.of(new double[][] {{1, 2}}).requiresGrad(true);
        assertEquals("digraph grad4j {\n  rankdir=BT;\n  node [fontname=\"Helvetica\"];\n"
                + "  n0 [shape=ellipse,label=\"leaf [1, 2]\"];\n}\n", w.toDot());
    }

    @Test
    void aLeafUsedTwiceHasOneEllipseAndTwoEdges() {
        Tensor x = Tensor.of(new double[] {3, 4}).requiresGrad(true);
        Tensor y = x.mul(x).sum();
        String mul = y.gradFn.inputNode(0).op;
        assertEquals("digraph grad4j {\n  rankdir=BT;\n  node [fontname=\"Helvetica\"];\n"
                + "  n0 [shape=box,label=\"" + y.gradFn.op + "\\n[]\"];\n"
                + "  n1 -> n0;\n"
                + "  n1 [shape=box,label=\"" + mul + "\\n[2]\"];\n"
                + "  n2 [shape=ellipse,style=filled,fillcolor=lightblue,label=\"leaf [2]\"];\n"
                + "  n2 -> n1;\n"
                + "  n2 -> n1;\n}\n", y.toDot());
    }
}
