package io.papa.engine.fused;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code n} independent linear layers as one batched matrix product: input {@code (B, n, F)}, weight
 * {@code (n, K, F)}, bias {@code (n, K)}, output {@code (B, n, K)}. Row {@code k} of the weight and
 * bias is member {@code k}'s DJL {@code Linear} weight {@code (K, F)} and bias {@code (K)}.
 */
final class BatchedLinear extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int members;
    private final long units;
    private final Parameter weight;
    private final Parameter bias;

    BatchedLinear(int members, long units, boolean withBias) {
        super(VERSION);
        this.members = members;
        this.units = units;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        this.bias = withBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build())
                : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape());
        Device device = x.getDevice();
        NDArray w = parameterStore.getValue(weight, device, training);
        // (n, B, F) x (n, F, K) -> (n, B, K)
        NDArray y = x.transpose(1, 0, 2).batchMatMul(w.transpose(0, 2, 1)).transpose(1, 0, 2);
        if (bias != null) {
            y = y.add(parameterStore.getValue(bias, device, training));
        }
        return new NDList(y);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        checkInput(in);
        weight.setShape(new Shape(members, units, in.get(2)));
        if (bias != null) {
            bias.setShape(new Shape(members, units));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        checkInput(in);
        return new Shape[] {new Shape(in.get(0), members, units)};
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 3 || shape.get(1) != members) {
            throw new IllegalArgumentException("batched linear expects (B, " + members + ", F), got " + shape);
        }
    }
}
