package io.papa.plugins.permutation;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.util.Pair;
import io.papa.api.Network;
import io.papa.api.nn.Residual;
import io.papa.api.nn.ZeroPadShortcut;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The permutation spaces of a network, derived from its block graph: sets of hidden units that must
 * be permuted together for the network's function to stay the same. The walk follows
 * {@link io.papa.api.nn.Forward} (sequential children in order; a {@link Residual}'s branches from one
 * input, summed; everything else a leaf) and tracks, for the tensor between blocks, which space its
 * axis 1 carries and how many consecutive features ({@code block}) each channel occupies there (more
 * than one after flattening a feature map).
 *
 * <p>A convolution or linear layer opens a new space for its output and consumes its input's on
 * weight axis 1; BatchNorm, element-wise activations, pooling, identity and dropout keep the space;
 * a residual sum unifies the spaces of its branches; a {@link ZeroPadShortcut} opens a space whose
 * positions {@code [padding, padding + in)} are tied to its input's space. The spaces holding the
 * network's input or its output (the logits) are frozen: never permuted.
 */
final class ChannelSpaces {

    /** Channel {@code c} of a space is positions {@code [c * block, (c + 1) * block)} of {@code axis} of a parameter. */
    record AxisUse(String parameter, int axis, int block) {
    }

    /** Channel {@code c} of space {@code source} is channel {@code offset + c} of the space holding the tie. */
    record Tie(int source, int offset) {
    }

    /** A leaf whose output's axis 1 carries the space, {@code block} features per channel. */
    record Tap(String path, int block) {
    }

    /** One axis of a parameter that a space permutes, seen from the parameter. */
    record ParameterUse(int space, int axis, int block) {
    }

    /** A space seen from the space it is tied into, or from itself: channel {@code c} is channel {@code offset + c} of {@code space}. */
    record View(int space, int offset) {
    }

    static final class Space {
        private final int index;
        private final int size;
        private final boolean frozen;
        private final List<String> origins;
        private final List<AxisUse> uses;
        private final List<Tie> ties;
        private final List<Tap> taps;
        private final int[] free;

        private Space(int index, int size, boolean frozen, List<String> origins, List<AxisUse> uses, List<Tie> ties,
                List<Tap> taps, int[] free) {
            this.index = index;
            this.size = size;
            this.frozen = frozen;
            this.origins = List.copyOf(origins);
            this.uses = List.copyOf(uses);
            this.ties = List.copyOf(ties);
            this.taps = List.copyOf(taps);
            this.free = free;
        }

        int index() {
            return index;
        }

        int size() {
            return size;
        }

        boolean frozen() {
            return frozen;
        }

        /** What opened the space, e.g. {@code 00Conv2d}, {@code input} or a zero-pad shortcut's path. */
        List<String> origins() {
            return origins;
        }

        List<AxisUse> uses() {
            return uses;
        }

        List<Tie> ties() {
            return ties;
        }

        List<Tap> taps() {
            return taps;
        }

        /** Positions not fixed by a tie, ascending: the ones an alignment chooses. */
        int[] free() {
            return free.clone();
        }

        @Override
        public String toString() {
            return "space " + index + " (" + size + " channels" + (frozen ? ", frozen" : "")
                    + (ties.isEmpty() ? "" : ", ties " + ties) + ") from " + origins;
        }
    }

    private final List<Space> spaces;
    private final List<List<View>> views;
    private final Map<String, List<ParameterUse>> byParameter = new LinkedHashMap<>();

    private ChannelSpaces(List<Space> spaces) {
        this.spaces = List.copyOf(spaces);
        for (Space space : spaces) {
            for (AxisUse use : space.uses) {
                byParameter.computeIfAbsent(use.parameter(), k -> new ArrayList<>())
                        .add(new ParameterUse(space.index, use.axis(), use.block()));
            }
        }
        List<List<Tie>> dependents = new ArrayList<>();
        for (int i = 0; i < spaces.size(); i++) {
            dependents.add(new ArrayList<>());
        }
        for (Space target : spaces) {
            for (Tie tie : target.ties) {
                dependents.get(tie.source()).add(new Tie(target.index, tie.offset()));
            }
        }
        List<List<View>> all = new ArrayList<>();
        for (Space space : spaces) {
            List<View> list = new ArrayList<>();
            collectViews(space.index, 0, dependents, list);
            all.add(List.copyOf(list));
        }
        this.views = List.copyOf(all);
    }

    private static void collectViews(int space, int offset, List<List<Tie>> dependents, List<View> out) {
        out.add(new View(space, offset));
        for (Tie dependent : dependents.get(space)) {
            collectViews(dependent.source(), offset + dependent.offset(), dependents, out);
        }
    }

    /** Every parameter that some space touches, with the axes the spaces permute. */
    Map<String, List<ParameterUse>> byParameter() {
        return byParameter;
    }

    /** Every space in the order the forward pass opens it. */
    List<Space> all() {
        return spaces;
    }

    Space get(int index) {
        return spaces.get(index);
    }

    List<Space> permutable() {
        return spaces.stream().filter(s -> !s.frozen).toList();
    }

    /**
     * Where the channels of space {@code index} appear: itself at offset 0, and every space tied to
     * it (directly or through other ties) at the tie's offset. Choosing this space's permutation
     * moves all of them.
     */
    List<View> views(int index) {
        return views.get(index);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Space space : spaces) {
            text.append(space).append('\n');
        }
        return text.toString();
    }

    /** Derives the spaces of {@code network}, whose block was initialised for inputs of {@code inputShape}. */
    static ChannelSpaces derive(Network network, Shape inputShape) {
        return new Derivation(network).run(inputShape);
    }

    /** What flows between blocks: the raw space on axis 1, features per channel, and the tensor's shape. */
    private record Layout(int space, int block, Shape shape) {

        int channels() {
            return (int) (shape.get(1) / block);
        }
    }

    private static final Set<String> ELEMENTWISE = Set.of("identity", "ReLU", "ReLU6", "sigmoid", "Tanh", "softPlus",
            "softSign", "LeakyReLU", "ELU", "SELU", "GELU", "Swish", "Mish");

    private static final Set<String> POOLING = Set.of("maxPool1d", "maxPool2d", "maxPool3d", "avgPool1d", "avgPool2d",
            "avgPool3d", "lpPool1d", "lpPool2d", "lpPool3d", "globalMaxPool1d", "globalMaxPool2d", "globalMaxPool3d",
            "globalAvgPool1d", "globalAvgPool2d", "globalAvgPool3d", "globalLpPool1d", "globalLpPool2d", "globalLpPool3d");

    private record RawUse(String parameter, int space, int axis, int block) {
    }

    private record RawTie(int target, int source, int offset) {
    }

    private record RawTap(String path, int space, int block) {
    }

    /**
     * One walk: a raw space per opening, joined by union-find; a space is frozen if any of its raw
     * spaces is, and spaces are numbered by their first opening.
     */
    private static final class Derivation {
        private final Block root;
        private final Map<Parameter, String> names = new IdentityHashMap<>();
        private final List<Integer> sizes = new ArrayList<>();
        private final List<Integer> parent = new ArrayList<>();
        private final List<Boolean> frozen = new ArrayList<>();
        private final List<String> origins = new ArrayList<>();
        private final List<RawUse> rawUses = new ArrayList<>();
        private final List<RawTie> rawTies = new ArrayList<>();
        private final List<RawTap> rawTaps = new ArrayList<>();

        Derivation(Network network) {
            this.root = network.block();
            network.parameters().forEach((name, parameter) -> names.put(parameter, name));
        }

        ChannelSpaces run(Shape inputShape) {
            // batch 1: the walk asks blocks for output shapes, and parameter-free lambdas compute them on zeros
            Shape shape = new Shape(1).addAll(inputShape.slice(1));
            if (shape.dimension() < 2) {
                throw new IllegalArgumentException("permutation alignment needs inputs with a channel axis, got " + inputShape);
            }
            Layout input = new Layout(open((int) shape.get(1), "input"), 1, shape);
            frozen.set(input.space(), true);
            Layout output = visit("", root, input);
            frozen.set(output.space(), true);
            return build();
        }

        private int open(int size, String origin) {
            sizes.add(size);
            parent.add(sizes.size() - 1);
            frozen.add(false);
            origins.add(origin);
            return sizes.size() - 1;
        }

        private int find(int space) {
            int root = space;
            while (parent.get(root) != root) {
                root = parent.get(root);
            }
            while (parent.get(space) != root) {
                int next = parent.get(space);
                parent.set(space, root);
                space = next;
            }
            return root;
        }

        private void union(String path, int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra == rb) {
                return;
            }
            if (!sizes.get(ra).equals(sizes.get(rb))) {
                throw new IllegalArgumentException("residual at '" + path + "' sums spaces of " + sizes.get(ra)
                        + " and " + sizes.get(rb) + " channels");
            }
            parent.set(rb, ra);
        }

        private Layout visit(String path, Block block, Layout in) {
            if (block instanceof SequentialBlock sequential) {
                Layout current = in;
                for (Pair<String, Block> child : sequential.getChildren()) {
                    current = visit(join(path, child.getKey()), child.getValue(), current);
                }
                return current;
            }
            if (block instanceof Residual residual) {
                Layout main = visit(join(path, "main"), residual.main(), in);
                Layout shortcut = visit(join(path, "shortcut"), residual.shortcut(), in);
                if (!main.shape().equals(shortcut.shape()) || main.block() != shortcut.block()) {
                    throw new IllegalArgumentException("residual at '" + path + "': branches give " + main.shape()
                            + " and " + shortcut.shape() + " with different channel layouts");
                }
                union(path, main.space(), shortcut.space());
                return main;
            }
            Layout out = leaf(path, block, in);
            rawTaps.add(new RawTap(path, out.space(), out.block()));
            return out;
        }

        private Layout leaf(String path, Block block, Layout in) {
            Shape outShape = block.getOutputShapes(new Shape[] {in.shape()})[0];
            String where = "'" + (path.isEmpty() ? "(root)" : path) + "' (" + block.getClass().getName() + ")";
            if (block instanceof Convolution conv) {
                if (conv.getGroups() != 1) {
                    throw new IllegalArgumentException("permutation alignment does not support grouped convolutions: "
                            + where + " has " + conv.getGroups() + " groups");
                }
                requireChannelMap(where, in);
                return weighted(path, where, block, in, outShape);
            }
            if (block instanceof Linear) {
                if (in.shape().dimension() != 2) {
                    throw new IllegalArgumentException("permutation alignment needs linear layers on (batch, features),"
                            + " but " + where + " gets " + in.shape());
                }
                return weighted(path, where, block, in, outShape);
            }
            if (block instanceof BatchNorm) {
                for (Pair<String, Parameter> p : block.getDirectParameters()) {
                    use(where, p.getValue(), 0, in);
                }
                return new Layout(in.space(), in.block(), outShape);
            }
            if (!block.getParameters().isEmpty()) {
                throw new IllegalArgumentException("permutation alignment does not know how hidden units flow through "
                        + where + ", which has parameters " + block.getParameters().keys()
                        + "; supported: convolutions, linear layers, BatchNorm, residuals and parameter-free blocks");
            }
            if (block instanceof ZeroPadShortcut pad) {
                requireChannelMap(where, in);
                if (pad.padding() == 0) {
                    return new Layout(in.space(), 1, outShape);
                }
                int space = open(pad.outChannels(), path);
                rawTies.add(new RawTie(space, in.space(), pad.padding()));
                return new Layout(space, 1, outShape);
            }
            String name = block instanceof LambdaBlock lambda ? lambda.getName() : null;
            boolean keepsShape = outShape.equals(in.shape());
            if ((block instanceof Dropout || ELEMENTWISE.contains(name)) && keepsShape) {
                return new Layout(in.space(), in.block(), outShape);
            }
            if (POOLING.contains(name) && in.block() == 1 && outShape.dimension() >= 2
                    && outShape.get(0) == in.shape().get(0) && outShape.get(1) == in.shape().get(1)) {
                return new Layout(in.space(), 1, outShape);
            }
            if ("batchFlatten".equals(name) && outShape.dimension() == 2 && outShape.size() == in.shape().size()) {
                return new Layout(in.space(), (int) (outShape.get(1) / in.channels()), outShape);
            }
            // a parameter-free block of unknown effect: safe only if nothing around it is permuted
            frozen.set(in.space(), true);
            int space = open(outShape.dimension() >= 2 ? (int) outShape.get(1) : 1, path);
            frozen.set(space, true);
            return new Layout(space, 1, outShape);
        }

        /** A convolution or linear layer: weight axis 0 and bias in a new space, weight axis 1 in the input's. */
        private Layout weighted(String path, String where, Block block, Layout in, Shape outShape) {
            int out = open((int) outShape.get(1), path);
            Layout output = new Layout(out, 1, outShape);
            for (Pair<String, Parameter> p : block.getDirectParameters()) {
                switch (p.getKey()) {
                    case "weight" -> {
                        use(where, p.getValue(), 0, output);
                        use(where, p.getValue(), 1, in);
                    }
                    case "bias" -> use(where, p.getValue(), 0, output);
                    default -> throw new IllegalArgumentException("permutation alignment does not know parameter '"
                            + p.getKey() + "' of " + where);
                }
            }
            return output;
        }

        private void use(String where, Parameter parameter, int axis, Layout layout) {
            String name = names.get(parameter);
            if (name == null) {
                throw new IllegalArgumentException("parameter '" + parameter.getName() + "' of " + where
                        + " is not among the network's parameters");
            }
            long length = parameter.getArray().getShape().get(axis);
            if (length != (long) sizes.get(layout.space()) * layout.block()) {
                throw new IllegalArgumentException("parameter '" + name + "' of " + where + " has " + length
                        + " entries on axis " + axis + " but its input carries " + sizes.get(layout.space())
                        + " channels of " + layout.block());
            }
            rawUses.add(new RawUse(name, layout.space(), axis, layout.block()));
        }

        private static void requireChannelMap(String where, Layout in) {
            if (in.block() != 1 || in.shape().dimension() < 3) {
                throw new IllegalArgumentException("permutation alignment needs a feature map (batch, channels, ...)"
                        + " into " + where + ", got " + in.shape());
            }
        }

        private ChannelSpaces build() {
            int raw = sizes.size();
            int[] index = new int[raw];
            Arrays.fill(index, -1);
            List<Integer> roots = new ArrayList<>();
            for (int r = 0; r < raw; r++) {
                int root = find(r);
                if (index[root] < 0) {
                    index[root] = roots.size();
                    roots.add(root);
                }
                index[r] = index[root];
            }
            int count = roots.size();
            List<List<String>> spaceOrigins = lists(count);
            List<List<AxisUse>> uses = lists(count);
            List<Set<Tie>> ties = new ArrayList<>();
            List<List<Tap>> taps = lists(count);
            boolean[] isFrozen = new boolean[count];
            for (int i = 0; i < count; i++) {
                ties.add(new LinkedHashSet<>());
            }
            for (int r = 0; r < raw; r++) {
                spaceOrigins.get(index[r]).add(origins.get(r));
                isFrozen[index[r]] |= frozen.get(r);
            }
            for (RawUse use : rawUses) {
                uses.get(index[use.space()]).add(new AxisUse(use.parameter(), use.axis(), use.block()));
            }
            for (RawTie tie : rawTies) {
                ties.get(index[tie.target()]).add(new Tie(index[tie.source()], tie.offset()));
            }
            for (RawTap tap : rawTaps) {
                taps.get(index[tap.space()]).add(new Tap(tap.path(), tap.block()));
            }
            // a frozen space keeps its tied channels in place, so their sources cannot move either
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int s = 0; s < count; s++) {
                    for (Tie tie : ties.get(s)) {
                        if (isFrozen[s] && !isFrozen[tie.source()]) {
                            isFrozen[tie.source()] = true;
                            changed = true;
                        }
                    }
                }
            }
            List<Space> spaces = new ArrayList<>();
            for (int s = 0; s < count; s++) {
                int size = sizes.get(roots.get(s));
                boolean[] tied = new boolean[size];
                for (Tie tie : ties.get(s)) {
                    for (int c = 0; c < sizes.get(roots.get(tie.source())); c++) {
                        if (tied[tie.offset() + c]) {
                            throw new IllegalArgumentException("permutation alignment cannot tie channel "
                                    + (tie.offset() + c) + " of " + spaceOrigins.get(s) + " to two sources");
                        }
                        tied[tie.offset() + c] = true;
                    }
                }
                int[] free = IntStream.range(0, size).filter(c -> !tied[c]).toArray();
                spaces.add(new Space(s, size, isFrozen[s], spaceOrigins.get(s), uses.get(s),
                        new ArrayList<>(ties.get(s)), taps.get(s), free));
            }
            return new ChannelSpaces(spaces);
        }

        private static <T> List<List<T>> lists(int count) {
            List<List<T>> lists = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                lists.add(new ArrayList<>());
            }
            return lists;
        }

        private static String join(String path, String name) {
            return path.isEmpty() ? name : path + "/" + name;
        }
    }
}
