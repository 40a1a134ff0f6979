package io.papa.plugins.architectures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.papa.api.nn.ZeroPadShortcut;
import org.junit.jupiter.api.Test;

class ZeroPadShortcutTest {

    @Test
    void subsampledInputFillsTheMiddleChannelsAndZerosTheRest() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(2 * 2 * 4 * 4).toType(DataType.FLOAT32, false).add(1).reshape(2, 2, 4, 4);
            ZeroPadShortcut shortcut = new ZeroPadShortcut(2, 4, 2);
            shortcut.initialize(manager, DataType.FLOAT32, x.getShape());
            NDArray y = Nets.forward(manager, shortcut, x, false);

            assertEquals(new Shape(2, 4, 2, 2), y.getShape());
            assertTrue(y.get(new NDIndex(":, 0")).eq(0f).all().getBoolean());
            assertTrue(y.get(new NDIndex(":, 3")).eq(0f).all().getBoolean());
            // sample 0, input channel 0 is 1..16 in row-major order: rows 0 and 2, columns 0 and 2
            assertArrayEquals(new float[] {1, 3, 9, 11}, y.get(new NDIndex("0, 1")).toFloatArray());
            assertTrue(y.get(new NDIndex(":, 1:3")).contentEquals(x.get(new NDIndex(":, :, ::2, ::2"))));
        }
    }

    @Test
    void oddSizesRoundUpLikeAStridedConvolution() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ZeroPadShortcut shortcut = new ZeroPadShortcut(16, 32, 2);
            Shape input = new Shape(3, 16, 7, 7);
            shortcut.initialize(manager, DataType.FLOAT32, input);
            NDArray y = Nets.forward(manager, shortcut, manager.ones(input), false);
            assertEquals(new Shape(3, 32, 4, 4), y.getShape());
            assertEquals(y.getShape(), shortcut.getOutputShapes(new Shape[] {input})[0]);
            assertEquals(3 * 16 * 4 * 4, y.sum().getFloat(), 0f);
            assertTrue(shortcut.getParameters().isEmpty());
        }
    }

    @Test
    void rejectsAnOddChannelIncreaseAndTheWrongInputWidth() {
        assertThrows(IllegalArgumentException.class, () -> new ZeroPadShortcut(16, 33, 2));
        assertThrows(IllegalArgumentException.class, () -> new ZeroPadShortcut(32, 16, 2));
        ZeroPadShortcut shortcut = new ZeroPadShortcut(16, 32, 2);
        assertThrows(IllegalArgumentException.class, () -> shortcut.getOutputShapes(new Shape[] {new Shape(1, 8, 4, 4)}));
    }
}
