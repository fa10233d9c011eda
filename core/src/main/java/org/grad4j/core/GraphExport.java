package org.grad4j.core;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Graphviz DOT of a recorded graph: one box per op (with its output shape), one ellipse per leaf that requires
 * grad, edges in forward direction (input to op); backward walks them in reverse. Render with {@code dot -Tpng graph.dot -o graph.png}.
 */
final class GraphExport {
    private GraphExport() {
    }

    static String toDot(Tensor root) {
        StringBuilder sb = new StringBuilder("digraph grad4j {\n  rankdir=BT;\n  node [fontname=\"Helvetica\"];\n");
        Map<Object, String> ids = new IdentityHashMap<>();
        if (root.gradFn == null) {
            sb.append("  ").append(id(ids, root)).append(" [shape=ellipse,label=\"leaf ")
                    .append(Shapes.str(root.shape)).append("\"];\n");
            return sb.append("}\n").toString();
        }
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root.gradFn);
        id(ids, root.gradFn);
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            String nodeId = ids.get(node);
            sb.append("  ").append(nodeId).append(" [shape=box,label=\"").append(escape(node.op)).append("\\n")
                    .append(Shapes.str(node.outputShape)).append("\"];\n");
            for (int i = 0; i < node.inputCount(); i++) {
                Object input = node.inputNode(i) != null ? node.inputNode(i) : node.inputLeaf(i);
                if (input == null) {
                    continue;
                }
                boolean fresh = !ids.containsKey(input);
                String inputId = id(ids, input);
                if (fresh) {
                    if (input instanceof Node n) {
                        stack.push(n);
                    } else {
                        Tensor leaf = (Tensor) input;
                        sb.append("  ").append(inputId).append(" [shape=ellipse,style=filled,fillcolor=lightblue,")
                                .append("label=\"leaf ").append(Shapes.str(leaf.shape)).append("\"];\n");
                    }
                }
                sb.append("  ").append(inputId).append(" -> ").append(nodeId).append(";\n");
            }
        }
        return sb.append("}\n").toString();
    }

    private static String id(Map<Object, String> ids, Object o) {
        return ids.computeIfAbsent(o, k -> "n" + ids.size());
    }

    private static String escape(String s) {
        return s.replace("\"", "\\\"");
    }
}
