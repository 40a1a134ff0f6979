package io.papa.engine.fused;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.papa.api.MixingMatrix;
import io.papa.api.Network;
import io.papa.engine.compute.Compute;
import io.papa.engine.merge.Mixer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code n} members of one architecture as a single block (see {@link PopulationFuser}). Every fused
 * tensor (weight, bias, BatchNorm scale, shift and running statistics) holds the members one after
 * another along its first axis: viewed as {@code (n, -1)}, row {@code k} is member {@code k}'s tensor,
 * flattened. Conversions and merges work on that view.
 */
public final class FusedNetwork {

    /** A fused parameter and the shape of one member's part of it. */
    record Slot(Parameter parameter, Shape memberShape) {
    }

    private final Block block;
    private final int members;
    private final ParameterStore store;
    private final Map<String, Slot> slots;
    private final Map<String, Parameter> parameters;

    FusedNetwork(Block block, int members, NDManager manager, Map<String, Slot> slots) {
        this.block = block;
        this.members = members;
        this.store = new ParameterStore(manager, false);
        this.slots = Collections.unmodifiableMap(slots);
        Map<String, Parameter> named = new LinkedHashMap<>();
        slots.forEach((name, slot) -> named.put(name, slot.parameter()));
        this.parameters = Collections.unmodifiableMap(named);
    }

    public Block block() {
        return block;
    }

    /** How many members the network runs. */
    public int size() {
        return members;
    }

    /** Fused parameters by the member parameter names (in member block order), running statistics included. */
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** The shape of one member's {@code name} parameter. */
    public Shape memberShape(String name) {
        return slot(name).memberShape();
    }

    /**
     * @param images the members' batches side by side, {@code (B, n*C, H, W)}, member {@code k} in
     *     channels {@code [k*C, (k+1)*C)}
     * @return every member's logits, {@code (B, n, classes)}
     */
    public NDArray forward(NDArray images, boolean training) {
        return block.forward(store, new NDList(images), training).singletonOrThrow();
    }

    /** Every member's logits {@code (B, n, classes)} for the same images {@code (B, C, H, W)}, e.g. for evaluation. */
    public NDArray forwardShared(NDArray images, boolean training) {
        try (NDArray repeated = images.tile(new long[] {1, members, 1, 1})) {
            return forward(repeated, training);
        }
    }

    /** Sets every fused tensor from the members' values (running statistics included). */
    public void load(List<? extends Network> sources) {
        requireMembers(sources.size());
        Compute.noGradOnThisThread();
        slots.forEach((name, slot) -> {
            NDList values = new NDList(members);
            for (Network source : sources) {
                Parameter parameter = source.parameters().get(name);
                if (parameter == null) {
                    throw new IllegalArgumentException("networks differ: parameter " + name + " is missing");
                }
                values.add(parameter.getArray());
            }
            try (NDArray joined = join(name, values)) {
                Mixer.assign(slot.parameter().getArray(), joined);
            }
        });
    }

    /** Writes member {@code k}'s part of every fused tensor into {@code targets.get(k)}. */
    public void store(List<? extends Network> targets) {
        requireMembers(targets.size());
        Compute.noGradOnThisThread();
        slots.forEach((name, slot) -> {
            NDArray fused = slot.parameter().getArray();
            for (int k = 0; k < members; k++) {
                try (NDArray part = part(name, fused, k)) {
                    Mixer.assign(targets.get(k).parameters().get(name).getArray(), part);
                }
            }
        });
    }

    /**
     * Member {@code k}'s part of {@code fused}, an array laid out like parameter {@code name} (the
     * parameter itself, or optimiser state for it), as a new array in the member's shape.
     */
    public NDArray part(String name, NDArray fused, int k) {
        Slot slot = slot(name);
        try (NDArray rows = fused.reshape(members, -1); NDArray row = rows.get(k);
                NDArray view = row.reshape(slot.memberShape())) {
            return view.duplicate();
        }
    }

    /** A new array laid out like parameter {@code name} from one array per member in the member's shape. */
    public NDArray join(String name, NDList perMember) {
        Slot slot = slot(name);
        requireMembers(perMember.size());
        for (NDArray value : perMember) {
            if (!value.getShape().equals(slot.memberShape())) {
                throw new IllegalArgumentException("parameter " + name + ": a member value has shape " + value.getShape()
                        + ", expected " + slot.memberShape());
            }
        }
        try (NDArray stackedValues = NDArrays.stack(perMember)) {
            return stackedValues.reshape(slot.parameter().getArray().getShape());
        }
    }

    /**
     * Replaces member {@code k} by {@code sum_j M[k][j] * member_j} in every tensor, in place: one
     * matrix product per tensor over its {@code (n, -1)} view, or, when every row is the same mixture
     * (averaging, soups), one weighted reduction over the member axis broadcast to all rows. The only
     * extra memory is the result for one tensor at a time. Optimiser state is not touched, as in the
     * reference.
     */
    public void mix(MixingMatrix matrix) {
        requireMembers(matrix.size());
        if (matrix.isIdentity()) {
            return;
        }
        Compute.noGradOnThisThread();
        boolean sameRows = matrix.rowsEqual();
        boolean uniform = sameRows && isUniform(matrix.row(0));
        NDArray any = slots.values().iterator().next().parameter().getArray();
        try (NDManager scope = any.getManager().newSubManager(any.getDevice())) {
            NDArray weights = sameRows ? scope.create(toFloats(matrix.row(0)), new Shape(1, members))
                    : scope.create(toFloats(matrix), new Shape(members, members));
            for (Slot slot : slots.values()) {
                // rows is a view of the parameter: writing it (broadcasting a single row) writes the parameter
                try (NDArray rows = slot.parameter().getArray().reshape(members, -1);
                        NDArray mixed = uniform ? rows.mean(new int[] {0}, true) : weights.dot(rows)) {
                    rows.set(new NDIndex("..."), mixed);
                }
            }
        }
    }

    private static boolean isUniform(double[] row) {
        for (double w : row) {
            if (Math.abs(w - 1.0 / row.length) > 1e-12) {
                return false;
            }
        }
        return true;
    }

    private static float[] toFloats(double[] row) {
        float[] flat = new float[row.length];
        for (int j = 0; j < row.length; j++) {
            flat[j] = (float) row[j];
        }
        return flat;
    }

    private static float[] toFloats(MixingMatrix matrix) {
        int n = matrix.size();
        float[] flat = new float[n * n];
        for (int k = 0; k < n; k++) {
            System.arraycopy(toFloats(matrix.row(k)), 0, flat, k * n, n);
        }
        return flat;
    }

    private Slot slot(String name) {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("the fused network has no parameter " + name);
        }
        return slot;
    }

    private void requireMembers(int count) {
        if (count != members) {
            throw new IllegalArgumentException("the fused network runs " + members + " members, got " + count);
        }
    }
}
