package io.papa.engine.fused;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.papa.api.ImageShape;
import io.papa.api.nn.Residual;
import io.papa.api.nn.ZeroPadShortcut;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one block that runs {@code n} members of an architecture at once, from the block an
 * {@link io.papa.api.Architecture} built for one member. Activations keep the members side by side:
 * image-like tensors stack them along channels ({@code (B, n*C, H, W)}, member-major), vectors along
 * a member axis ({@code (B, n, F)}). Per leaf:
 *
 * <ul>
 *   <li>{@code Conv2d(C -> O, groups g)} becomes {@code Conv2d(n*C -> n*O, groups n*g)}: a grouped
 *       convolution never mixes groups, so each member sees only its own channels;
 *   <li>{@code BatchNorm} over {@code O} channels becomes one over {@code n*O} (statistics are per
 *       channel, hence per member), same epsilon and momentum;
 *   <li>{@code Linear(F -> K)} becomes a {@link BatchedLinear};
 *   <li>{@link ZeroPadShortcut} becomes a {@link FusedZeroPadShortcut};
 *   <li>{@link SequentialBlock} and {@link Residual} keep their structure;
 *   <li>a {@link LambdaBlock} is reused when it acts on each member's channels (ReLU, pooling) or
 *       turns {@code (B, C, H, W)} into {@code (B, F)} (flatten, global pooling; then split into
 *       {@code (B, n, F)}). Lambdas are opaque, so each is checked on a probe input: the fused result
 *       must equal the member results side by side.
 * </ul>
 *
 * Anything else throws {@link UnfusableBlockException} naming the block's path and type.
 */
public final class PopulationFuser {

    /** How members sit side by side in an activation. */
    private enum Layout {
        /** member {@code (B, C, ...)} is fused {@code (B, n*C, ...)} */
        CHANNELS,
        /** member {@code (B, F)} is fused {@code (B, n, F)} */
        MEMBER_AXIS
    }

    private record Fused(Block block, Shape memberOut, Layout layout) {
    }

    private static final long PROBE_BATCH = 2;
    private static final double PROBE_TOLERANCE = 1e-5;

    private final int members;
    private final NDManager manager;
    private final ParameterStore probeStore;
    /** member parameter -> fused parameter, and whether the fused one adds a member axis in front */
    private final Map<Parameter, Parameter> fusedOf = new IdentityHashMap<>();
    private final Map<Parameter, Boolean> stacked = new IdentityHashMap<>();

    private PopulationFuser(int members, NDManager manager) {
        this.members = members;
        this.manager = manager;
        this.probeStore = new ParameterStore(manager, false);
    }

    /**
     * @param member one member's network (its structure only; values are loaded with
     *     {@link FusedNetwork#load})
     * @param members how many members the fused network runs
     * @param input one member's image shape
     * @param manager owns the fused parameters
     * @throws UnfusableBlockException naming the first block that cannot be fused
     */
    public static FusedNetwork fuse(Block member, int members, ImageShape input, NDManager manager) {
        if (members < 1) {
            throw new IllegalArgumentException("a fused network needs at least one member, got " + members);
        }
        PopulationFuser fuser = new PopulationFuser(members, manager);
        Shape in = new Shape(PROBE_BATCH, input.channels(), input.height(), input.width());
        Fused fused = fuser.visit("", member, in, Layout.CHANNELS);
        if (fused.layout != Layout.MEMBER_AXIS || fused.memberOut.dimension() != 2) {
            throw new UnfusableBlockException("", member, "the network must end in (B, classes) logits, it gives "
                    + fused.memberOut);
        }
        Block block = fused.block;
        // values are copied in from the members, so skip random initialisation (and the engine RNG)
        block.setInitializer(Initializer.ZEROS, p -> true);
        block.initialize(manager, DataType.FLOAT32,
                new Shape(1, (long) members * input.channels(), input.height(), input.width()));
        return new FusedNetwork(block, members, manager, fuser.parameters(member));
    }

    private Map<String, FusedNetwork.Slot> parameters(Block member) {
        Map<String, FusedNetwork.Slot> slots = new LinkedHashMap<>();
        member.getParameters().forEach(pair -> {
            Parameter fused = fusedOf.get(pair.getValue());
            if (fused == null) {
                throw new IllegalStateException("member parameter " + pair.getKey() + " has no fused counterpart");
            }
            Shape shape = fused.getArray().getShape();
            Shape memberShape = stacked.get(pair.getValue()) ? shape.slice(1)
                    : new Shape(shape.get(0) / members).addAll(shape.slice(1));
            slots.put(pair.getKey(), new FusedNetwork.Slot(fused, memberShape));
        });
        return slots;
    }

    private Fused visit(String path, Block block, Shape in, Layout layout) {
        if (block instanceof SequentialBlock sequential) {
            SequentialBlock fused = new SequentialBlock();
            Shape shape = in;
            Layout current = layout;
            for (var child : sequential.getChildren()) {
                Fused f = visit(join(path, child.getKey()), child.getValue(), shape, current);
                fused.add(f.block);
                shape = f.memberOut;
                current = f.layout;
            }
            return new Fused(fused, shape, current);
        }
        if (block instanceof Residual residual) {
            Fused main = visit(join(path, "main"), residual.main(), in, layout);
            Fused shortcut = visit(join(path, "shortcut"), residual.shortcut(), in, layout);
            if (!main.memberOut.equals(shortcut.memberOut) || main.layout != shortcut.layout) {
                throw new UnfusableBlockException(path, block, "its branches give " + main.memberOut + " and "
                        + shortcut.memberOut);
            }
            return new Fused(new Residual(main.block, shortcut.block), main.memberOut, main.layout);
        }
        if (block.getClass() == Conv2d.class) {
            return conv(path, (Conv2d) block, in, layout);
        }
        if (block.getClass() == BatchNorm.class) {
            return batchNorm(path, (BatchNorm) block, in, layout);
        }
        if (block.getClass() == Linear.class) {
            return linear(path, (Linear) block, in, layout);
        }
        if (block instanceof ZeroPadShortcut shortcut) {
            requireImages(path, block, in, layout);
            return new Fused(new FusedZeroPadShortcut(members, shortcut), shortcut.getOutputShapes(new Shape[] {in})[0],
                    Layout.CHANNELS);
        }
        if (block.getClass() == LambdaBlock.class) {
            return lambda(path, (LambdaBlock) block, in, layout);
        }
        throw new UnfusableBlockException(path, block, "no fused form is known for this block type");
    }

    private Fused conv(String path, Conv2d conv, Shape in, Layout layout) {
        requireImages(path, conv, in, layout);
        Conv2d fused = Conv2d.builder()
                .setKernelShape(conv.getKernelShape())
                .optStride(conv.getStride())
                .optPadding(conv.getPadding())
                .optDilation(conv.getDilation())
                .setFilters(members * conv.getFilters())
                .optGroups(members * conv.getGroups())
                .optBias(conv.isIncludeBias())
                .build();
        pairParameters(conv, fused, false);
        return new Fused(fused, conv.getOutputShapes(new Shape[] {in})[0], Layout.CHANNELS);
    }

    private Fused batchNorm(String path, BatchNorm norm, Shape in, Layout layout) {
        requireImages(path, norm, in, layout);
        int axis = (Integer) field(path, norm, "axis");
        if (axis != 1) {
            throw new UnfusableBlockException(path, norm, "only channel-axis (axis 1) BatchNorm is fused, this one"
                    + " normalises axis " + axis);
        }
        BatchNorm fused = BatchNorm.builder()
                .optAxis(1)
                .optEpsilon((Float) field(path, norm, "epsilon"))
                .optMomentum((Float) field(path, norm, "momentum"))
                .optCenter((Boolean) field(path, norm, "center"))
                .optScale((Boolean) field(path, norm, "scale"))
                .build();
        pairParameters(norm, fused, false);
        return new Fused(fused, in, Layout.CHANNELS);
    }

    /** BatchNorm keeps its settings in private fields without getters. */
    private static Object field(String path, BatchNorm norm, String name) {
        try {
            Field field = BatchNorm.class.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(norm);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new UnfusableBlockException(path, norm, "cannot read its '" + name + "' setting (" + e + ")");
        }
    }

    private Fused linear(String path, Linear linear, Shape in, Layout layout) {
        if (layout != Layout.MEMBER_AXIS || in.dimension() != 2) {
            throw new UnfusableBlockException(path, linear, "a linear layer is fused only on (B, F) vectors that"
                    + " come from a flatten or global pooling, here its member input is " + in);
        }
        Shape out = linear.getOutputShapes(new Shape[] {in})[0];
        BatchedLinear fused = new BatchedLinear(members, out.get(1), linear.getDirectParameters().contains("bias"));
        pairParameters(linear, fused, true);
        return new Fused(fused, out, Layout.MEMBER_AXIS);
    }

    private void pairParameters(Block member, Block fused, boolean addsMemberAxis) {
        var memberParameters = member.getDirectParameters();
        var fusedParameters = fused.getDirectParameters();
        for (int i = 0; i < memberParameters.size(); i++) {
            Parameter p = memberParameters.valueAt(i);
            fusedOf.put(p, fusedParameters.get(memberParameters.keyAt(i)));
            stacked.put(p, addsMemberAxis);
        }
    }

    private Fused lambda(String path, LambdaBlock lambda, Shape in, Layout layout) {
        try (NDManager probe = manager.newSubManager()) {
            Shape fusedIn = fusedShape(in, layout);
            // deterministic, distinct values; random ones would advance the engine RNG
            NDArray x = probe.arange(0f, fusedIn.size(), 1f).mul(0.37f).sin().reshape(fusedIn);
            List<NDArray> expected = new ArrayList<>(members);
            for (int k = 0; k < members; k++) {
                NDArray y = run(lambda, slice(x, layout, k, in));
                if (!expected.isEmpty() && !y.getShape().equals(expected.get(0).getShape())) {
                    throw new UnfusableBlockException(path, lambda, "its output shape depends on the input values");
                }
                expected.add(y);
            }
            Shape out = expected.get(0).getShape();
            boolean split;
            Layout outLayout;
            if (layout == Layout.CHANNELS && in.dimension() > 2 && out.dimension() == 2) {
                split = true;
                outLayout = Layout.MEMBER_AXIS;
            } else if (layout == Layout.CHANNELS && out.dimension() > 2
                    || layout == Layout.MEMBER_AXIS && out.dimension() == 2) {
                split = false;
                outLayout = layout;
            } else {
                throw new UnfusableBlockException(path, lambda, "its output " + out + " for input " + in
                        + " has no per-member layout");
            }
            MemberLambda fused = new MemberLambda(lambda, members, split);
            NDArray y = run(fused, x);
            if (!y.getShape().equals(fusedShape(out, outLayout))) {
                throw new UnfusableBlockException(path, lambda, "on the " + members + " stacked members it gives "
                        + y.getShape() + ", not " + fusedShape(out, outLayout));
            }
            for (int k = 0; k < members; k++) {
                NDArray want = expected.get(k);
                double scale = 1 + want.abs().max().getFloat();
                if (slice(y, outLayout, k, out).sub(want).abs().max().getFloat() > PROBE_TOLERANCE * scale) {
                    throw new UnfusableBlockException(path, lambda, "it mixes the members' channels (its result on"
                            + " the stacked members differs from its result on each member)");
                }
            }
            return new Fused(fused, out, outLayout);
        }
    }

    private NDArray run(Block block, NDArray x) {
        return block.forward(probeStore, new NDList(x), false).singletonOrThrow();
    }

    private Shape fusedShape(Shape member, Layout layout) {
        if (layout == Layout.MEMBER_AXIS) {
            return new Shape(member.get(0), members).addAll(member.slice(1));
        }
        return new Shape(member.get(0), members * member.get(1)).addAll(member.slice(2));
    }

    /** Member {@code k}'s part of a fused activation, in the member's own shape. */
    private static NDArray slice(NDArray fused, Layout layout, int k, Shape member) {
        if (layout == Layout.MEMBER_AXIS) {
            return fused.get(new NDIndex(":, {}", k));
        }
        long c = member.get(1);
        return fused.get(new NDIndex(":, {}:{}", k * c, (k + 1) * c));
    }

    private void requireImages(String path, Block block, Shape in, Layout layout) {
        if (layout != Layout.CHANNELS || in.dimension() != 4) {
            throw new UnfusableBlockException(path, block, "expected a member input (B, C, H, W), got " + in);
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "/" + name;
    }
}
