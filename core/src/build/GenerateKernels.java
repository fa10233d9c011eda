import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Expands grad4j's kernel templates into Java sources, in the manner of the JDK's {@code X-Vector.java.template}.
 * Run by core's build (generate-sources) as a single-file program:
 * {@code java core/src/build/GenerateKernels.java core/src/main/templates core/target/generated-sources/kernels}.
 *
 * <p>A template {@code Name.java.template} in package folder {@code org/grad4j/core/kernel} becomes
 * {@code Name.java}; a first line {@code //#generate Name$T$ float double} instead makes one file per listed element
 * type ({@code NameF.java}, {@code NameD.java}). Inside, lines between {@code #repeat[float double]} and
 * {@code #end[repeat]} are emitted once per listed type. For each type, these substitutions apply:
 * <pre>
 *   $type$ float       $Type$ Float      $Boxtype$ Float (Integer for int)   $T$ F
 *   $bits$ 32          $wide$ double (the type wide enough to compute in)   $Wide$ Double
 *   $cast$ "(float) " (narrows a $wide$ to $type$; empty when they are the same type)
 * </pre>
 * and these line directives select code by type or kind: {@code #if[float]}, {@code #if[FP]} (float, double),
 * {@code #if[Integral]} (long, int, byte), {@code #else[...]}, {@code #end[...]}; a condition may list
 * alternatives ({@code #if[float,int]}) and be negated ({@code #if[!float]}). A directive line is dropped. Files
 * are only rewritten when their text changes, so an unchanged build recompiles nothing.
 *
 * <p>Snippets: every {@code *.snippets} file under the templates folder defines named blocks of lines,
 * {@code #def[name(P1, P2)]} ... {@code #end[def]}; a template line {@code #use[name(a, b)]} is replaced by the
 * block with each parameter (a whole word) replaced by its argument, then expanded like template text (it may hold
 * {@code #if} and further {@code #use} lines). So one piece of math can be pasted into a vector loop and into a
 * scalar function: a line {@code //#define $V$ DoubleVector} in a template adds a substitution for that file, and
 * the snippet's {@code $V$} becomes {@code DoubleVector} there and {@code double} in a file that defines it so.
 */
public final class GenerateKernels {
    private GenerateKernels() {
    }

    /** Per element type: name, Vector class prefix, boxed name, suffix letter, kind, accumulator type. */
    private record ElementType(String type, String vectorPrefix, String box, String letter, int bits, boolean fp,
                               String wide) {
        Map<String, String> substitutions() {
            return Map.of("$type$", type, "$Type$", vectorPrefix, "$Boxtype$", box, "$T$", letter,
                    "$bits$", Integer.toString(bits), "$wide$", wide,
                    "$cast$", type.equals(wide) ? "" : "(" + type + ") ",
                    "$Wide$", Character.toUpperCase(wide.charAt(0)) + wide.substring(1));
        }

        boolean is(String condition) {
            return condition.equals(type) || condition.equals(fp ? "FP" : "Integral");
        }
    }

    private static final Map<String, ElementType> TYPES = Map.of(
            "float", new ElementType("float", "Float", "Float", "F", 32, true, "double"),
            "double", new ElementType("double", "Double", "Double", "D", 64, true, "double"),
            "long", new ElementType("long", "Long", "Long", "L", 64, false, "long"),
            "int", new ElementType("int", "Int", "Integer", "I", 32, false, "long"),
            "byte", new ElementType("byte", "Byte", "Byte", "B", 8, false, "long"));

    private static final Pattern GENERATE = Pattern.compile("^//#generate\\s+(\\S+)\\s+(.+)$");
    private static final Pattern DIRECTIVE =
            Pattern.compile("^\\s*#(if|else|end|repeat|use|staged|lanes|binaryLanes|floatBinaryLanes)\\[(.*)\\]\\s*$");
    private static final Pattern CHECK = Pattern.compile("^\\s*#check\\[(\\w+)\\]\\s*$");
    private static final Pattern MERGE = Pattern.compile("^\\s*#merge\\[(\\w+),\\s*(\\w+)\\]\\s*$");
    private static final Pattern STAGE = Pattern.compile("^\\s*#stage\\[(.*)\\]\\s*$");
    private static final Pattern DEF = Pattern.compile("^#def\\[(\\w+)\\(([^)]*)\\)\\]\\s*$");
    private static final Pattern CALL = Pattern.compile("^(\\w+)\\(([^)]*)\\)$");
    private static final Pattern DEFINE = Pattern.compile("^//#define\\s+(\\S+)\\s+(.*)$");

    private record Snippet(List<String> parameters, List<String> lines) {
    }

    /** Prefixes a line that came from a snippet until {@link #translate} has seen it. */
    private static final String SNIPPET_MARK = "\u0001";

    /**
     * With {@code //#translate vector} in a template, snippet lines are rewritten from the helper-call notation
     * ({@code fma(a, b, c)}) into Vector API method calls ({@code a.fma(b, c)}). The Vector API's methods are
     * {@code @ForceInline}, which C2 inlines even past its node-count cutoff; a helper method of ours would not be,
     * and a long polynomial then leaves calls un-inlined and boxes every vector.
     */
    private static final Map<String, String> VECTOR_FORMS = Map.ofEntries(
            Map.entry("add", "#0.add(#1)"), Map.entry("sub", "#0.sub(#1)"), Map.entry("mul", "#0.mul(#1)"),
            Map.entry("div", "#0.div(#1)"), Map.entry("fma", "#0.fma(#1, #2)"), Map.entry("neg", "#0.neg()"),
            Map.entry("abs", "#0.abs()"), Map.entry("min", "#0.min(#1)"), Map.entry("max", "#0.max(#1)"),
            Map.entry("lt", "#0.compare(VectorOperators.LT, #1)"), Map.entry("le", "#0.compare(VectorOperators.LE, #1)"),
            Map.entry("gt", "#0.compare(VectorOperators.GT, #1)"), Map.entry("ge", "#0.compare(VectorOperators.GE, #1)"),
            Map.entry("eq", "#0.compare(VectorOperators.EQ, #1)"), Map.entry("ne", "#0.compare(VectorOperators.NE, #1)"),
            Map.entry("and", "#0.and(#1)"), Map.entry("all", "#0.allTrue()"), Map.entry("select", "#2.blend(#1, #0)"),
            Map.entry("bits", "#0.reinterpretAsLongs()"), Map.entry("fromBits", "#0.reinterpretAsDoubles()"),
            Map.entry("toDouble", "((DoubleVector) #0.convert(VectorOperators.L2D, 0))"),
            Map.entry("ladd", "#0.add(#1)"), Map.entry("lsub", "#0.sub(#1)"), Map.entry("land", "#0.and(#1)"),
            Map.entry("lxor", "#0.lanewise(VectorOperators.XOR, #1)"), Map.entry("lor", "#0.or(#1)"),
            Map.entry("shl", "#0.lanewise(VectorOperators.LSHL, #1)"),
            Map.entry("sar", "#0.lanewise(VectorOperators.ASHR, #1)"),
            Map.entry("lmax", "#0.max(#1)"), Map.entry("llt", "#0.compare(VectorOperators.LT, #1).cast(DS)"),
            Map.entry("bit", "#0.and(#1).compare(VectorOperators.NE, 0L).cast(DS)"),
            // a table of MathTables (8 doubles): one permutation of the register holding it at 512 bits
            Map.entry("lookup", "(LL == 8 ? #1.selectFrom(LongVector.fromArray(LS, #0_BITS, 0)).reinterpretAsDoubles()"
                    + " : lookupNarrow(#0_BITS, #1))"),
            // a float table of MathTables (16 floats): one permutation of the register holding it at 512 bits
            Map.entry("flookup", "(IL == 16 ? #1.selectFrom(IntVector.fromArray(IS, #0_BITS, 0)).reinterpretAsFloats()"
                    + " : flookupNarrow(#0_BITS, #1))"),
            Map.entry("pow2", "#0.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles()"),
            Map.entry("copySign", "#0.reinterpretAsLongs().and(0x7fffffffffffffffL)"
                    + ".or(#1.reinterpretAsLongs().and(0x8000000000000000L)).reinterpretAsDoubles()"),
            // the float32-lane functions' helpers: $F$ FloatVector, $I$ IntVector, $N$ VectorMask<Float>
            Map.entry("or", "#0.or(#1)"), Map.entry("not", "#0.not()"),
            Map.entry("fbits", "#0.reinterpretAsInts()"), Map.entry("ffromBits", "#0.reinterpretAsFloats()"),
            Map.entry("toFloat", "((FloatVector) #0.convert(VectorOperators.I2F, 0))"),
            Map.entry("iadd", "#0.add(#1)"), Map.entry("isub", "#0.sub(#1)"), Map.entry("iand", "#0.and(#1)"),
            Map.entry("ixor", "#0.lanewise(VectorOperators.XOR, #1)"),
            Map.entry("ishl", "#0.lanewise(VectorOperators.LSHL, #1)"),
            Map.entry("isar", "#0.lanewise(VectorOperators.ASHR, #1)"),
            Map.entry("fbit", "#0.and(#1).compare(VectorOperators.NE, 0).cast(FS)"),
            Map.entry("ilt", "#0.compare(VectorOperators.LT, #1).cast(FS)"),
            Map.entry("fpow2", "#0.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()"),
            Map.entry("fcopySign", "#0.reinterpretAsInts().and(0x7fffffff)"
                    + ".or(#1.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats()"));

    private static String translate(String text, boolean vector) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String l = line;
            boolean fromSnippet = false;
            while (l.startsWith(SNIPPET_MARK)) {
                l = l.substring(SNIPPET_MARK.length());
                fromSnippet = true;
            }
            out.append(fromSnippet && vector ? translateCalls(l) : l).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /** Rewrites every helper call in s (recursively, arguments first). */
    private static String translateCalls(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (Character.isJavaIdentifierStart(ch) && (i == 0 || !Character.isJavaIdentifierPart(s.charAt(i - 1))
                    && s.charAt(i - 1) != '.')) {
                int j = i;
                while (j < s.length() && Character.isJavaIdentifierPart(s.charAt(j))) j++;
                String name = s.substring(i, j);
                String form = VECTOR_FORMS.get(name);
                if (form != null && j < s.length() && s.charAt(j) == '(') {
                    int depth = 0;
                    int k = j;
                    List<String> args = new java.util.ArrayList<>();
                    int argStart = j + 1;
                    for (; k < s.length(); k++) {
                        char c = s.charAt(k);
                        if (c == '(') {
                            depth++;
                        } else if (c == ')') {
                            if (--depth == 0) {
                                break;
                            }
                        } else if (c == ',' && depth == 1) {
                            args.add(s.substring(argStart, k).trim());
                            argStart = k + 1;
                        }
                    }
                    String last = s.substring(argStart, k).trim();
                    if (!last.isEmpty()) args.add(last);
                    String result = form;
                    for (int a = args.size() - 1; a >= 0; a--) {
                        String arg = translateCalls(args.get(a));
                        boolean simple = arg.matches("[\\w.$]+(\\(.*\\))?") || arg.startsWith("((");
                        result = result.replace("#" + a + ".", (simple ? arg : "(" + arg + ")") + ".")
                                .replace("#" + a, arg);
                    }
                    out.append(result);
                    i = k + 1;
                    continue;
                }
                out.append(name);
                i = j;
                continue;
            }
            out.append(ch);
            i++;
        }
        return out.toString();
    }

    private static final Map<String, Snippet> SNIPPETS = new java.util.HashMap<>();

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java GenerateKernels.java <templates dir> <output dir>");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<Path> templates;
        try (Stream<Path> files = Files.walk(in)) {
            templates = files.filter(p -> p.toString().endsWith(".java.template")).sorted().toList();
        }
        try (Stream<Path> files = Files.walk(in)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".snippets")).sorted().toList()) {
                readSnippets(p);
            }
        }
        int written = 0;
        for (Path template : templates) {
            written += expand(in, template, out);
        }
        System.out.println("GenerateKernels: " + templates.size() + " templates, " + written + " files rewritten");
    }

    private static void readSnippets(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            Matcher def = DEF.matcher(lines.get(i));
            if (!def.matches()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).trim().equals("#end[def]")) {
                end++;
            }
            if (end == lines.size()) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": #def without #end[def]");
            }
            List<String> parameters = def.group(2).isBlank() ? List.of()
                    : Arrays.stream(def.group(2).split(",")).map(String::trim).toList();
            SNIPPETS.put(def.group(1), new Snippet(parameters, List.copyOf(lines.subList(i + 1, end))));
            i = end;
        }
    }

    /** The lines of a {@code #use[name(args)]}, parameters replaced. */
    private static List<String> use(String call, Path template, int line) {
        Matcher m = CALL.matcher(call.trim());
        Snippet snippet = m.matches() ? SNIPPETS.get(m.group(1)) : null;
        if (snippet == null) {
            throw new IllegalStateException(template + ":" + (line + 1) + ": #use[" + call + "]: no such snippet");
        }
        List<String> args = m.group(2).isBlank() ? List.of()
                : Arrays.stream(m.group(2).split(",")).map(String::trim).toList();
        if (args.size() != snippet.parameters().size()) {
            throw new IllegalStateException(template + ":" + (line + 1) + ": #use[" + call + "] passes "
                    + args.size() + " arguments to " + snippet.parameters());
        }
        return snippet.lines().stream().map(l -> {
            String result = l.startsWith(SNIPPET_MARK) || l.trim().startsWith("#") ? l : SNIPPET_MARK + l;
            for (int p = 0; p < args.size(); p++) {
                result = result.replaceAll("\\b" + Pattern.quote(snippet.parameters().get(p)) + "\\b",
                        Matcher.quoteReplacement(args.get(p)));
            }
            return result;
        }).toList();
    }

    private static int expand(Path root, Path template, Path outRoot) throws IOException {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(template, StandardCharsets.UTF_8));
        Map<String, String> defines = new java.util.LinkedHashMap<>();
        List<String> hoists = new java.util.ArrayList<>();
        boolean[] vector = {false};
        lines.removeIf(l -> {
            if (l.equals("//#translate vector")) {
                vector[0] = true;
                return true;
            }
            if (l.startsWith("//#hoist ")) {
                hoists.add(l.substring("//#hoist ".length()).trim());
                return true;
            }
            Matcher d = DEFINE.matcher(l);
            if (d.matches()) {
                defines.put(d.group(1), d.group(2).trim());
            }
            return d.matches();
        });
        DEFINES.set(defines);
        Path folder = outRoot.resolve(root.relativize(template.getParent()).toString());
        String base = template.getFileName().toString().replace(".java.template", "");
        Matcher g = lines.isEmpty() ? null : GENERATE.matcher(lines.get(0));
        int written = 0;
        if (g != null && g.matches()) {
            for (String t : g.group(2).trim().split("\\s+")) {
                ElementType type = type(t, template);
                String name = substitute(g.group(1), type);
                String text = header(template)
                        + translate(render(lines.subList(1, lines.size()), type, template), vector[0]);
                written += write(folder.resolve(name + ".java"), text);
            }
        } else {
            String text = translate(render(lines, null, template), vector[0]);
            for (String spec : hoists) {
                text = hoist(text, spec);
            }
            written += write(folder.resolve(base + ".java"), header(template) + text);
        }
        return written;
    }

    /**
     * With {@code //#hoist c DoubleVector} in a template, every {@code c(<literal>)} in the generated text becomes a
     * {@code private static final DoubleVector} constant, declared where the line {@code // hoisted constants}
     * stands. A loop that evaluates a long polynomial then reads its coefficients instead of building them: C2 stops
     * inlining a method after about 18,000 IR nodes, and every Vector API broadcast costs hundreds of them.
     */
    private static String hoist(String text, String spec) {
        if (spec == null) {
            return text;
        }
        String[] parts = spec.split("\\s+");
        Pattern call = Pattern.compile("\\b" + Pattern.quote(parts[0])
                + "\\(([-+0-9a-fA-FxXpP.]+|(?:Double|Float)\\.\\w+)\\)");
        String prefix = parts[0].equals("c") ? "K" : "K" + parts[0].toUpperCase(java.util.Locale.ROOT);
        String marker = "// hoisted constants";
        int at = text.indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException("#hoist without a '" + marker + "' line");
        }
        Map<String, String> names = new java.util.LinkedHashMap<>();
        Matcher m = call.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = names.computeIfAbsent(m.group(1), v -> prefix + names.size());
            m.appendReplacement(out, name);
        }
        m.appendTail(out);
        StringBuilder declarations = new StringBuilder(marker + ": the " + parts[0] + "(...) literals of the loops\n");
        names.forEach((literal, name) -> declarations.append("    private static final ").append(parts[1]).append(' ')
                .append(name).append(" = ").append(parts[0]).append('(').append(literal).append(");\n"));
        String result = out.toString();
        return result.replace(marker + "\n", declarations.toString() + marker + "\n");
    }

    private static String header(Path template) {
        return "// Generated from " + template.getFileName() + " by core/src/build/GenerateKernels.java: edit the "
                + "template, not this file.\n";
    }

    private static ElementType type(String name, Path template) {
        ElementType t = TYPES.get(name);
        if (t == null) {
            throw new IllegalArgumentException(template + ": unknown element type '" + name + "', known: "
                    + TYPES.keySet());
        }
        return t;
    }

    /** Expands repeat blocks and conditionals for one type (null: outside any per-type context). */
    /** The current template's {@code //#define} substitutions. */
    private static final ThreadLocal<Map<String, String>> DEFINES = ThreadLocal.withInitial(Map::of);

    private static String render(List<String> lines, ElementType type, Path template) {
        StringBuilder sb = new StringBuilder();
        // Each open #if holds whether its current branch is emitted.
        Deque<boolean[]> conditions = new ArrayDeque<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher d = DIRECTIVE.matcher(line);
            if (!d.matches()) {
                if (emitting(conditions)) {
                    sb.append(substitute(line, type)).append('\n');
                }
                continue;
            }
            String arg = d.group(2).trim();
            switch (d.group(1)) {
                case "use" -> {
                    if (emitting(conditions)) {
                        sb.append(render(use(arg, template, i), type, template));
                    }
                }
                case "staged" -> {
                    if (emitting(conditions)) {
                        sb.append(staged(arg, type, template, i));
                    }
                }
                case "lanes" -> {
                    if (emitting(conditions)) {
                        sb.append(lanes(arg, type, template, i));
                    }
                }
                case "binaryLanes" -> {
                    if (emitting(conditions)) {
                        sb.append(binaryLanes(arg, type, template, i));
                    }
                }
                case "floatBinaryLanes" -> {
                    if (emitting(conditions)) {
                        sb.append(floatBinaryLanes(arg, template, i));
                    }
                }
                case "repeat" -> {
                    int end = matchingEnd(lines, i, template);
                    if (emitting(conditions)) {
                        List<String> body = lines.subList(i + 1, end);
                        for (String t : arg.split("[\\s,]+")) {
                            sb.append(render(body, type(t, template), template));
                        }
                    }
                    i = end;
                }
                case "if" -> {
                    boolean outer = emitting(conditions);
                    conditions.push(new boolean[] {outer && holds(arg, type, template, i), outer});
                }
                case "else" -> {
                    boolean[] top = require(conditions, template, i);
                    top[0] = top[1] && !holds(arg, type, template, i);
                }
                case "end" -> {
                    if (arg.equals("repeat")) {
                        throw new IllegalStateException(template + ":" + (i + 1) + ": #end[repeat] without #repeat");
                    }
                    require(conditions, template, i);
                    conditions.pop();
                }
                default -> throw new AssertionError(d.group(1));
            }
        }
        if (!conditions.isEmpty()) {
            throw new IllegalStateException(template + ": " + conditions.size() + " #if without #end");
        }
        return sb.toString();
    }

    /**
     * {@code #staged[fn]} in VectorKernels: the SIMD loop of snippet fn, cut at its
     * {@code #stage[a, b]} lines into one loop method per stage, run over chunks of STAGE_CHUNK elements. C2 stops
     * inlining a method after about 18,000 IR nodes and a Vector API call costs hundreds, so a long function in one
     * loop would leave calls un-inlined and box every vector; a stage stays well below. The variables a stage line
     * names (doubles only) go to the next stage through the per-thread STAGES buffer; the input v is reloaded by
     * every stage. In ScalarKernels the stage lines are simply dropped. Only float64 erf is staged now (see
     * {@link #lanes}).
     */
    private static String staged(String arg, ElementType type, Path template, int line) {
        String fn = arg.trim();
        String body = render(use(fn + "(v, y)", template, line), type, template);
        List<List<String>> stages = new java.util.ArrayList<>();
        List<List<String>> carried = new java.util.ArrayList<>();
        carried.add(List.of());
        List<String> current = new java.util.ArrayList<>();
        for (String l : body.split("\n", -1)) {
            Matcher st = STAGE.matcher(l);
            if (st.matches()) {
                stages.add(current);
                current = new java.util.ArrayList<>();
                carried.add(Arrays.stream(st.group(1).split("[,\\s]+")).filter(v -> !v.isEmpty() && !v.equals("v"))
                        .toList());
            } else if (!l.isEmpty()) {
                current.add(l);
            }
        }
        stages.add(current);
        for (List<String> c : carried) {
            if (c.size() > 8) {
                throw new IllegalStateException(template + ":" + (line + 1) + ": " + fn + " carries " + c
                        + " across a stage; at most 8");
            }
        }
        boolean isFloat = type.type().equals("float");
        String name = fn + type.letter();
        String t = type.type();
        StringBuilder sb = new StringBuilder();
        sb.append("    private static void ").append(name).append('(').append(t).append("[] x, int xo, ").append(t)
                .append("[] out, int oo, int len) {\n");
        sb.append("        double[] s = STAGES.get();\n");
        sb.append("        for (int c = 0; c < len; c += STAGE_CHUNK) {\n");
        sb.append("            int cl = Math.min(STAGE_CHUNK, len - c);\n");
        for (int k = 0; k < stages.size(); k++) {
            sb.append("            ").append(name).append(k).append("(x, xo + c, s, out, oo + c, cl);\n");
        }
        sb.append("        }\n    }\n\n");
        for (int k = 0; k < stages.size(); k++) {
            sb.append("    private static void ").append(name).append(k).append('(').append(t)
                    .append("[] x, int xo, double[] s, ").append(t).append("[] out, int oo, int cl) {\n");
            sb.append("        for (int i = 0; i < cl; i += DL) {\n");
            sb.append(isFloat ? "            DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, xo + i)"
                    + ".convertShape(F2D, DS, 0);\n" : "            DoubleVector v = DoubleVector.fromArray(DS, x, xo + i);\n");
            List<String> in = carried.get(k);
            for (int j = 0; j < in.size(); j++) {
                sb.append("            DoubleVector ").append(in.get(j)).append(" = DoubleVector.fromArray(DS, s, ")
                        .append(j).append(" * STAGE_CHUNK + i);\n");
            }
            for (String l : stages.get(k)) {
                boolean marked = l.startsWith(SNIPPET_MARK);
                sb.append(marked ? SNIPPET_MARK : "").append("    ").append(marked ? l.substring(1) : l).append('\n');
            }
            if (k + 1 < stages.size()) {
                List<String> outVars = carried.get(k + 1);
                for (int j = 0; j < outVars.size(); j++) {
                    sb.append("            ").append(outVars.get(j)).append(".intoArray(s, ").append(j)
                            .append(" * STAGE_CHUNK + i);\n");
                }
            } else {
                sb.append(isFloat ? "            ((FloatVector) y.convertShape(D2F, FH, 0)).intoArray(out, oo + i);\n"
                        : "            y.intoArray(out, oo + i);\n");
            }
            sb.append("        }\n    }\n\n");
        }
        return sb.toString();
    }

    /**
     * {@code #lanes[fn, method]} (or {@code #lanes[fn, method, guard]}) in VectorKernels: one loop method running
     * snippet fn on each vector of x, two vectors per iteration (see {@link #interleave}), in float lanes (a float32
     * snippet, $F$ = FloatVector) or double lanes (a float64 one, $V$ = DoubleVector) by the type being expanded.
     * Every function but float64 erf is short enough for C2 to compile the whole loop at once with its constants in
     * registers (measured: float64 exp 1.5 -> 1.05 ns per
     * element against the staged loop, log 1.7 -> 1.25); float64 erf stays {@link #staged} (C1 gives up on it in one
     * piece, "out of virtual registers", so it would run interpreted until C2 compiles it). With {@code guard}, a
     * vector holding an |x| >= ScalarKernels' TRIG_REDUCTION_LIMIT(_F) (+-Inf included) runs ScalarKernels'
     * function lane by lane instead, which gives the other lanes the same bits. With {@code wide=snippet}, fn is the
     * fast range's snippet, NAMEFast(X, Y, M) with M the lanes it computes (NAME: the whole function's snippet, whose
     * ScalarKernels method takes a float64 loop's last lanes), and a vector holding another lane takes those lanes
     * from the wide snippet, generated as a method {@code methodWide(v)} of its own.
     */
    private static String lanes(String arg, ElementType type, Path template, int line) {
        String[] args = arg.split("\\s*,\\s*");
        String fn = args[0].trim();
        String method = args[1].trim();
        boolean guard = java.util.Arrays.stream(args).skip(2).anyMatch(a -> a.trim().equals("guard"));
        int copies = java.util.Arrays.stream(args).skip(2).map(String::trim).filter(a -> a.matches("\\d+"))
                .mapToInt(Integer::parseInt).findFirst().orElse(2);
        String wide = java.util.Arrays.stream(args).skip(2).map(String::trim).filter(a -> a.startsWith("wide="))
                .map(a -> a.substring("wide=".length())).findFirst().orElse(null);
        if (wide != null && !fn.endsWith("Fast")) {
            throw new IllegalStateException(template + ":" + (line + 1) + ": #lanes with wide= needs the fast snippet "
                    + "named NAMEFast (NAME: the whole function's snippet), not " + fn);
        }
        boolean isFloat = type.type().equals("float");
        String t = type.type();
        String vector = isFloat ? "FloatVector" : "DoubleVector";
        String species = isFloat ? "FS" : "DS";
        String lanes = isFloat ? "FL" : "DL";
        String constantHelper = isFloat ? "cf" : "c";
        String limit = isFloat ? "ScalarKernels.TRIG_REDUCTION_LIMIT_F" : "ScalarKernels.TRIG_REDUCTION_LIMIT";
        StringBuilder sb = new StringBuilder();
        sb.append("    private static void ").append(method).append('(').append(t).append("[] x, int xo, ").append(t)
                .append("[] out, int oo, int len) {\n");
        // The constants go to locals before the loop: read from static final fields inside it, each costs loads
        // per iteration (measured: a third of exp's time), as locals they stay in registers.
        String body = render(use(fn + (wide == null ? "(v, y)" : "(v, y, ok)"), template, line), type, template);
        Matcher constant = Pattern.compile("\\b" + constantHelper
                + "\\(([-+0-9a-fA-FxXpP.]+|(?:Float|Double)\\.\\w+)\\)").matcher(body);
        Map<String, String> locals = new java.util.LinkedHashMap<>();
        StringBuilder replaced = new StringBuilder();
        while (constant.find()) {
            String local = locals.computeIfAbsent(constant.group(1), v -> "k" + locals.size());
            constant.appendReplacement(replaced, local);
        }
        constant.appendTail(replaced);
        body = replaced.toString();
        locals.forEach((literal, local) -> sb.append("        ").append(vector).append(' ').append(local).append(" = ")
                .append(constantHelper).append('(').append(literal).append(");\n"));
        // Two vectors per iteration (or the number given), their statements interleaved: each function is one long
        // dependency chain, and the core overlaps independent chains where a loop of one vector waits on latencies
        // (measured: float32 exp 0.39 -> 0.29 ns per element with two). A last partial group of vectors goes to
        // ScalarKernels, which gives the same bits.
        sb.append("        int pairs = len - len % (").append(copies).append(" * ").append(lanes).append(");\n");
        sb.append("        for (int i = 0; i < pairs; i += ").append(copies).append(" * ").append(lanes).append(") {\n");
        for (int c = 0; c < copies; c++) {
            String name = c == 0 ? "v" : "v_" + (c + 1);
            sb.append("            ").append(vector).append(' ').append(name).append(" = ").append(vector)
                    .append(".fromArray(").append(species).append(", x, xo + i").append(c == 0 ? "" : " + " + c + " * " + lanes)
                    .append(");\n");
        }
        if (guard) {
            sb.append("            if (v.abs().compare(VectorOperators.GE, ").append(limit).append(")");
            for (int c = 1; c < copies; c++) {
                sb.append(".or(v_").append(c + 1).append(".abs().compare(VectorOperators.GE, ").append(limit).append("))");
            }
            sb.append(".anyTrue()) {\n");
            sb.append("                for (int j = 0; j < ").append(copies).append(" * ").append(lanes).append("; j++) out[oo + i + j] = ")
                    .append("ScalarKernels.").append(isFloat ? method : fn).append("(x[xo + i + j]);\n");
            sb.append("                continue;\n");
            sb.append("            }\n");
        }
        sb.append(interleave(body, List.of(), copies));
        for (int c = 0; c < copies; c++) {
            String suffix = c == 0 ? "" : "_" + (c + 1);
            if (wide != null) {
                sb.append("            if (!ok").append(suffix).append(".allTrue()) {\n");
                sb.append("                y").append(suffix).append(" = ").append(method).append("Wide(v").append(suffix)
                        .append(").blend(y").append(suffix).append(", ok").append(suffix).append(");\n");
                sb.append("            }\n");
            }
            sb.append("            y").append(suffix).append(".intoArray(out, oo + i")
                    .append(c == 0 ? "" : " + " + c + " * " + lanes).append(");\n");
        }
        sb.append("        }\n");
        String scalar = isFloat ? method : wide != null ? fn.substring(0, fn.length() - "Fast".length()) : fn;
        sb.append("        for (int i = pairs; i < len; i++) {\n");
        sb.append("            out[oo + i] = ScalarKernels.").append(scalar).append("(x[xo + i]);\n");
        sb.append("        }\n    }\n\n");
        if (wide != null) {
            // The rare lanes' function as a method of its own, called only for a vector holding such a lane: inline
            // in the loop (copies times), it made the loop too large for C1, which gave up on it ("out of virtual
            // registers"), and the loop could then stay in its slow first tier for a whole run (float32 sigmoid
            // alone on 8,192 elements: 40 ns per element instead of 0.55).
            sb.append("    private static ").append(vector).append(' ').append(method).append("Wide(").append(vector)
                    .append(" v) {\n");
            appendLines(sb, render(use(wide + "(v, y)", template, line), type, template), "");
            sb.append("        return y;\n    }\n\n");
        }
        return sb.toString();
    }

    private static final Pattern DECLARATION = Pattern.compile("^\\s*[\\w.<>]+\\s+(\\w+)\\s*=");

    /**
     * The lines of a loop body (v and inputs in, y out) for two vectors: the second copy's locals renamed with suffix
     * _2 (v_2, y_2...), the two copies' statements alternating; an if block is one statement.
     */
    private static String interleave(String body, List<String> inputs) {
        return interleave(body, inputs, 2);
    }

    /** As {@link #interleave(String, List)} for {@code copies} vectors: copy c's locals get suffix _c (c >= 2). */
    private static String interleave(String body, List<String> inputs, int copies) {
        List<List<String>> units = new java.util.ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>(List.of("v", "y"));
        names.addAll(inputs);
        List<String> open = null;
        int depth = 0;
        for (String l : body.split("\n", -1)) {
            if (l.isEmpty() || STAGE.matcher(l).matches()) {
                continue;
            }
            String text = l.startsWith(SNIPPET_MARK) ? l.substring(1) : l;
            Matcher d = DECLARATION.matcher(text);
            if (d.find()) {
                names.add(d.group(1));
            }
            int change = (int) text.chars().filter(ch -> ch == '{').count()
                    - (int) text.chars().filter(ch -> ch == '}').count();
            if (open == null) {
                open = new java.util.ArrayList<>();
            }
            open.add(l);
            depth += change;
            if (depth == 0) {
                units.add(open);
                open = null;
            }
        }
        Pattern local = Pattern.compile("\\b(" + String.join("|", names) + ")\\b");
        StringBuilder sb = new StringBuilder();
        for (List<String> unit : units) {
            for (int copy = 0; copy < copies; copy++) {
                for (String l : unit) {
                    boolean marked = l.startsWith(SNIPPET_MARK);
                    String text = marked ? l.substring(1) : l;
                    if (copy > 0) {
                        text = local.matcher(text).replaceAll("$1_" + (copy + 1));
                    }
                    sb.append(marked ? SNIPPET_MARK : "").append("    ").append(text).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /**
     * {@code #binaryLanes[fn, method, scalarFn]} in VectorKernels: one loop method running snippet fn(X, W, Y), written
     * in double lanes ($V$), over x and w; float arrays are read and written through half-width float vectors
     * converted exactly to and from doubles. x and w advance by their step (the lane count, or 0 for a broadcast
     * buffer of one vector). A snippet line {@code #check[mask]} hands the vector to ScalarKernels' scalarFn lane by
     * lane unless every lane of mask is set (the snippet's rare cases), which gives the other lanes the same bits. A
     * line {@code #merge[mask, other]} after the snippet's result (doubles only) runs loop method {@code other} (same
     * parameters) on this one vector unless every lane of mask is set, and keeps its results outside mask.
     * Constants go to locals before the loop, as in {@link #lanes}.
     */
    private static String binaryLanes(String arg, ElementType type, Path template, int line) {
        String[] args = arg.split("\\s*,\\s*");
        String fn = args[0].trim();
        String method = args[1].trim();
        String scalarFn = args[2].trim();
        boolean isFloat = type.type().equals("float");
        if (args.length > 5) {
            return wideBinaryLanes(args, args[5].trim(), template, line);
        }
        if (args.length > 4) {
            return wideBinaryLanes(args, method + "Halves", template, line)
                    + binaryLanes(fn + ", " + method + "Halves, " + scalarFn, type, template, line);
        }
        String t = type.type();
        StringBuilder sb = new StringBuilder();
        sb.append("    private static void ").append(method).append('(').append(t).append("[] x, int xo, int xStep, ")
                .append(t).append("[] w, int wo, int wStep, ").append(t).append("[] out, int oo, int len) {\n");
        String body = render(use(fn + "(v, u, y)", template, line), type, template);
        Matcher constant = Pattern.compile("\\bc\\(([-+0-9a-fA-FxXpP.]+|Double\\.\\w+)\\)").matcher(body);
        Map<String, String> locals = new java.util.LinkedHashMap<>();
        StringBuilder replaced = new StringBuilder();
        while (constant.find()) {
            String local = locals.computeIfAbsent(constant.group(1), v -> "k" + locals.size());
            constant.appendReplacement(replaced, local);
        }
        constant.appendTail(replaced);
        body = replaced.toString();
        locals.forEach((literal, local) -> sb.append("        DoubleVector ").append(local).append(" = c(")
                .append(literal).append(");\n"));
        sb.append("        for (int i = 0; i < len; i += DL, xo += xStep, wo += wStep) {\n");
        if (isFloat) {
            sb.append("            DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, xo).convertShape(F2D, DS, 0);\n");
            sb.append("            DoubleVector u = (DoubleVector) FloatVector.fromArray(FH, w, wo).convertShape(F2D, DS, 0);\n");
        } else {
            sb.append("            DoubleVector v = DoubleVector.fromArray(DS, x, xo);\n");
            sb.append("            DoubleVector u = DoubleVector.fromArray(DS, w, wo);\n");
        }
        for (String l : body.split("\n", -1)) {
            if (l.isEmpty() || STAGE.matcher(l).matches()) {
                continue;
            }
            boolean marked = l.startsWith(SNIPPET_MARK);
            String text = marked ? l.substring(1) : l;
            Matcher merge = MERGE.matcher(text);
            if (merge.matches() && !isFloat) {
                // the lanes outside mask come from the other loop method run on this one vector
                sb.append("            if (!").append(merge.group(1)).append(".allTrue()) {\n");
                sb.append("                ").append(merge.group(2))
                        .append("(x, xo, xStep, w, wo, wStep, out, oo + i, DL);\n");
                sb.append("                y = DoubleVector.fromArray(DS, out, oo + i).blend(y, ")
                        .append(merge.group(1)).append(");\n");
                sb.append("            }\n");
                continue;
            }
            Matcher check = CHECK.matcher(text);
            if (check.matches()) {
                sb.append("            if (!").append(check.group(1)).append(".allTrue()) {\n");
                sb.append("                for (int j = 0; j < DL; j++) {\n");
                sb.append("                    out[oo + i + j] = ScalarKernels.").append(scalarFn)
                        .append("(x[xStep == 0 ? xo : xo + j], w[wStep == 0 ? wo : wo + j]);\n");
                sb.append("                }\n");
                sb.append("                continue;\n");
                sb.append("            }\n");
                continue;
            }
            sb.append(marked ? SNIPPET_MARK : "").append("    ").append(text).append('\n');
        }
        sb.append(isFloat ? "            ((FloatVector) y.convertShape(D2F, FH, 0)).intoArray(out, oo + i);\n"
                : "            y.intoArray(out, oo + i);\n");
        sb.append("        }\n    }\n\n");
        return sb.toString();
    }

    /**
     * {@code #binaryLanes[fn, method, scalarFn, quick, fast]} for floats: the loop steps by a whole float vector.
     * Float-lane snippet quick(X, W, M) sets M where a lane is an ordinary case; a vector whose lanes all are
     * converts each half to doubles and runs double-lane snippet fast(X, W, Y) on it, any other vector goes to
     * methodHalves (the plain {@code #binaryLanes[fn, methodHalves, scalarFn]} loop, emitted beside it) for its two
     * halves. fast must give exactly fn's bits on the lanes quick accepts, except where a #check[mask] line
     * of fast finds a lane unset: that vector goes to methodHalves too. x and w advance by FL, or 0 for a broadcast
     * buffer (methodHalves takes DL steps). A sixth argument names an existing halves method instead and declares w
     * one exponent for every lane (a broadcast buffer, step 0): it is converted once, before the loop.
     */
    private static String wideBinaryLanes(String[] args, String halves, Path template, int line) {
        String method = args[1].trim();
        String quick = args[3].trim();
        String fast = args[4].trim();
        ElementType type = TYPES.get("float");
        String quickBody = render(use(quick + "(vf, uf, ok)", template, line), type, template);
        String fastBody = render(use(fast + "(v, u, y)", template, line), type, template);
        Map<String, String> floats = new java.util.LinkedHashMap<>();
        Map<String, String> doubles = new java.util.LinkedHashMap<>();
        quickBody = hoist(quickBody, "cf", "f", floats);
        fastBody = hoist(fastBody, "c", "k", doubles);
        StringBuilder sb = new StringBuilder();
        sb.append("    private static void ").append(method).append("(float[] x, int xo, int xStep, float[] w, int wo, ")
                .append("int wStep, float[] out, int oo, int len) {\n");
        floats.forEach((literal, local) -> sb.append("        FloatVector ").append(local).append(" = cf(")
                .append(literal).append(");\n"));
        doubles.forEach((literal, local) -> sb.append("        DoubleVector ").append(local).append(" = c(")
                .append(literal).append(");\n"));
        boolean oneExponent = args.length > 5;
        if (oneExponent) {
            sb.append("        FloatVector uf = FloatVector.broadcast(FS, w[wo]);\n");
            sb.append("        DoubleVector u = DoubleVector.broadcast(DS, (double) w[wo]);\n");
        }
        if (oneExponent) {
            sb.append(twoFloatVectors(quickBody, fastBody, halves));
        }
        sb.append("        for (int i = 0; i < len; i += FL, xo += xStep, wo += wStep) {\n");
        sb.append("            FloatVector vf = FloatVector.fromArray(FS, x, xo);\n");
        if (!oneExponent) {
            sb.append("            FloatVector uf = FloatVector.fromArray(FS, w, wo);\n");
        }
        appendLines(sb, quickBody, "");
        sb.append("            if (!ok.allTrue()) {\n");
        sb.append("                ").append(halves).append("(x, xo, xStep == 0 ? 0 : DL, w, wo, ")
                .append("wStep == 0 ? 0 : DL, out, oo + i, FL);\n");
        sb.append("                continue;\n");
        sb.append("            }\n");
        // the two halves are independent: their statements interleaved (see lanes)
        sb.append("            DoubleVector v = (DoubleVector) vf.convertShape(F2D, DS, 0);\n");
        sb.append("            DoubleVector v_2 = (DoubleVector) vf.convertShape(F2D, DS, 1);\n");
        if (!oneExponent) {
            sb.append("            DoubleVector u = (DoubleVector) uf.convertShape(F2D, DS, 0);\n");
            sb.append("            DoubleVector u_2 = (DoubleVector) uf.convertShape(F2D, DS, 1);\n");
        }
        // a #check[mask] line of fast (a rare lane it does not compute as fn would, e.g. out of range) sends the
        // whole float vector to methodHalves, which computes it by fn
        for (String l : interleave(fastBody, oneExponent ? List.of() : List.of("u")).split("\n", -1)) {
            Matcher check = CHECK.matcher(l.startsWith(SNIPPET_MARK) ? l.substring(1) : l);
            if (check.matches()) {
                sb.append("            if (!").append(check.group(1)).append(".allTrue()) {\n");
                sb.append("                ").append(halves).append("(x, xo, xStep == 0 ? 0 : DL, w, wo, ")
                        .append("wStep == 0 ? 0 : DL, out, oo + i, FL);\n");
                sb.append("                continue;\n");
                sb.append("            }\n");
            } else if (!l.isEmpty()) {
                sb.append(l).append('\n');
            }
        }
        sb.append("            ((FloatVector) y.convertShape(D2F, FH, 0)).intoArray(out, oo + i);\n");
        sb.append("            ((FloatVector) y_2.convertShape(D2F, FH, 0)).intoArray(out, oo + i + DL);\n");
        sb.append("        }\n    }\n\n");
        return sb.toString();
    }

    /**
     * The first loop of a one-exponent {@link #wideBinaryLanes} method: two float vectors (four double halves, their
     * statements interleaved) per iteration, so the core has four independent chains to overlap; the loop after it
     * takes the last odd vector. A vector pair failing quick, or a #check of fast, goes to halves whole.
     */
    private static String twoFloatVectors(String quickBody, String fastBody, String halves) {
        String toHalves = "                " + halves + "(x, xo, xStep == 0 ? 0 : DL, w, wo, 0, out, oo + i, 2 * FL);\n"
                + "                continue;\n            }\n";
        StringBuilder sb = new StringBuilder();
        sb.append("        int pairs = len - len % (2 * FL);\n");
        sb.append("        for (int i = 0; i < pairs; i += 2 * FL, xo += 2 * xStep) {\n");
        sb.append("            FloatVector vf = FloatVector.fromArray(FS, x, xo);\n");
        sb.append("            FloatVector vf_2 = FloatVector.fromArray(FS, x, xo + xStep);\n");
        appendLines(sb, interleave(quickBody, List.of("vf", "ok"), 2), "");
        sb.append("            if (!ok.and(ok_2).allTrue()) {\n").append(toHalves);
        sb.append("            DoubleVector v = (DoubleVector) vf.convertShape(F2D, DS, 0);\n");
        sb.append("            DoubleVector v_2 = (DoubleVector) vf.convertShape(F2D, DS, 1);\n");
        sb.append("            DoubleVector v_3 = (DoubleVector) vf_2.convertShape(F2D, DS, 0);\n");
        sb.append("            DoubleVector v_4 = (DoubleVector) vf_2.convertShape(F2D, DS, 1);\n");
        for (String l : interleave(fastBody, List.of(), 4).split("\n", -1)) {
            Matcher check = CHECK.matcher(l.startsWith(SNIPPET_MARK) ? l.substring(1) : l);
            if (check.matches()) {
                sb.append("            if (!").append(check.group(1)).append(".allTrue()) {\n").append(toHalves);
            } else if (!l.isEmpty()) {
                sb.append(l).append('\n');
            }
        }
        sb.append("            ((FloatVector) y.convertShape(D2F, FH, 0)).intoArray(out, oo + i);\n");
        sb.append("            ((FloatVector) y_2.convertShape(D2F, FH, 0)).intoArray(out, oo + i + DL);\n");
        sb.append("            ((FloatVector) y_3.convertShape(D2F, FH, 0)).intoArray(out, oo + i + FL);\n");
        sb.append("            ((FloatVector) y_4.convertShape(D2F, FH, 0)).intoArray(out, oo + i + FL + DL);\n");
        sb.append("        }\n");
        sb.append("        len -= pairs;\n        oo += pairs;\n");
        return sb.toString();
    }

    /**
     * {@code #floatBinaryLanes[fn, method, wide]} (or {@code [fn, method, wide, one]}) in VectorKernels: a loop over
     * float vectors of x and w running float-lane snippet fn(X, W, Y, M), two vectors per iteration (statements
     * interleaved, see {@link #interleave}), the last odd vector alone. M marks the lanes fn computes as the scalar
     * function does; a vector with another lane runs loop method {@code wide} (same parameters) on that one vector
     * and keeps wide's results outside M. x and w advance by their step (FL, or 0 for a broadcast buffer); with
     * {@code one}, w is one exponent for every lane, read once before the loop.
     */
    private static String floatBinaryLanes(String arg, Path template, int line) {
        String[] args = arg.split("\\s*,\\s*");
        String fn = args[0].trim();
        String method = args[1].trim();
        String wide = args[2].trim();
        boolean one = Arrays.stream(args).skip(3).anyMatch(a -> a.trim().equals("one"));
        int most = Arrays.stream(args).skip(3).map(String::trim).filter(a -> a.matches("\\d+"))
                .mapToInt(Integer::parseInt).findFirst().orElse(2);
        ElementType type = TYPES.get("float");
        Map<String, String> floats = new java.util.LinkedHashMap<>();
        String body = hoist(render(use(fn + "(v, u, y, ok)", template, line), type, template), "cf", "k", floats);
        StringBuilder sb = new StringBuilder();
        sb.append("    private static void ").append(method).append("(float[] x, int xo, int xStep, float[] w, int wo, ")
                .append("int wStep, float[] out, int oo, int len) {\n");
        floats.forEach((literal, local) -> sb.append("        FloatVector ").append(local).append(" = cf(")
                .append(literal).append(");\n"));
        if (one) {
            sb.append("        FloatVector u = FloatVector.broadcast(FS, w[wo]);\n");
        }
        for (int copies = most; copies >= 1; copies = copies == 1 ? 0 : 1) {
            if (most == 1) {
                sb.append("        int pairs = 0;\n");
            } else if (copies > 1) {
                sb.append("        int pairs = len - len % (").append(copies).append(" * FL);\n");
                sb.append("        for (int i = 0; i < pairs; i += ").append(copies).append(" * FL, xo += ")
                        .append(copies).append(" * xStep, wo += ").append(copies).append(" * wStep) {\n");
            }
            if (copies == 1) {
                sb.append("        for (int i = pairs; i < len; i += FL, xo += xStep, wo += wStep) {\n");
            }
            for (int c = 0; c < copies; c++) {
                String suffix = c == 0 ? "" : "_" + (c + 1);
                String offset = c == 0 ? "" : c == 1 ? " + xStep" : " + " + c + " * xStep";
                sb.append("            FloatVector v").append(suffix).append(" = FloatVector.fromArray(FS, x, xo")
                        .append(offset).append(");\n");
                if (!one) {
                    sb.append("            FloatVector u").append(suffix).append(" = FloatVector.fromArray(FS, w, wo")
                            .append(offset.replace("xStep", "wStep")).append(");\n");
                }
            }
            appendLines(sb, interleave(body, one ? List.of() : List.of("u"), copies), "");
            for (int c = 0; c < copies; c++) {
                String suffix = c == 0 ? "" : "_" + (c + 1);
                String offset = c == 0 ? "" : c == 1 ? " + xStep" : " + " + c + " * xStep";
                String at = c == 0 ? "oo + i" : c == 1 ? "oo + i + FL" : "oo + i + " + c + " * FL";
                sb.append("            if (!ok").append(suffix).append(".allTrue()) {\n");
                sb.append("                ").append(wide).append("(x, xo").append(offset)
                        .append(", xStep, w, wo").append(offset.replace("xStep", "wStep")).append(", wStep, out, ")
                        .append(at).append(", FL);\n");
                sb.append("                y").append(suffix).append(" = FloatVector.fromArray(FS, out, ").append(at)
                        .append(").blend(y").append(suffix).append(", ok").append(suffix).append(");\n");
                sb.append("            }\n");
                sb.append("            y").append(suffix).append(".intoArray(out, ").append(at).append(");\n");
            }
            sb.append("        }\n");
        }
        sb.append("    }\n\n");
        return sb.toString();
    }

    /** Replaces helper(literal) by locals named prefix0, prefix1...; locals maps each literal to its local. */
    private static String hoist(String body, String helper, String prefix, Map<String, String> locals) {
        Matcher constant = Pattern.compile("\\b" + helper + "\\(([-+0-9a-fA-FxXpP.]+|(?:Float|Double)\\.\\w+)\\)")
                .matcher(body);
        StringBuilder replaced = new StringBuilder();
        while (constant.find()) {
            String local = locals.computeIfAbsent(constant.group(1), v -> prefix + locals.size());
            constant.appendReplacement(replaced, local);
        }
        constant.appendTail(replaced);
        return replaced.toString();
    }

    private static void appendLines(StringBuilder sb, String body, String indent) {
        for (String l : body.split("\n", -1)) {
            if (l.isEmpty() || STAGE.matcher(l).matches()) {
                continue;
            }
            boolean marked = l.startsWith(SNIPPET_MARK);
            sb.append(marked ? SNIPPET_MARK : "").append("    ").append(indent).append(marked ? l.substring(1) : l)
                    .append('\n');
        }
    }

    private static boolean[] require(Deque<boolean[]> conditions, Path template, int line) {
        if (conditions.isEmpty()) {
            throw new IllegalStateException(template + ":" + (line + 1) + ": #else or #end without #if");
        }
        return conditions.peek();
    }

    private static boolean emitting(Deque<boolean[]> conditions) {
        return conditions.isEmpty() || conditions.peek()[0];
    }

    private static boolean holds(String condition, ElementType type, Path template, int line) {
        if (type == null) {
            throw new IllegalStateException(template + ":" + (line + 1) + ": #if[" + condition
                    + "] outside a per-type file or #repeat block");
        }
        boolean negate = condition.startsWith("!");
        String alternatives = negate ? condition.substring(1) : condition;
        boolean any = Arrays.stream(alternatives.split(",")).map(String::trim).anyMatch(type::is);
        return negate != any;
    }

    private static int matchingEnd(List<String> lines, int start, Path template) {
        int depth = 0;
        for (int i = start; i < lines.size(); i++) {
            Matcher d = DIRECTIVE.matcher(lines.get(i));
            if (d.matches() && d.group(1).equals("repeat")) {
                depth++;
            } else if (d.matches() && d.group(1).equals("end") && d.group(2).trim().equals("repeat")) {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        throw new IllegalStateException(template + ":" + (start + 1) + ": #repeat without #end[repeat]");
    }

    private static String substitute(String line, ElementType type) {
        if (line.indexOf('$') < 0) {
            return line;
        }
        String result = line;
        for (Map.Entry<String, String> e : DEFINES.get().entrySet()) {
            result = result.replace(e.getKey(), e.getValue());
        }
        if (type != null) {
            for (Map.Entry<String, String> e : type.substitutions().entrySet()) {
                result = result.replace(e.getKey(), e.getValue());
            }
        }
        return result;
    }

    private static int write(Path file, String text) throws IOException {
        text = Arrays.stream(text.split("\n", -1)).filter(l -> !STAGE.matcher(l).matches())
                .collect(java.util.stream.Collectors.joining("\n"));
        if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            return 0;
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return 1;
    }
}
