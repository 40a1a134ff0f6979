package io.papa.engine.fused;

/**
 * A member network contains a block the fuser cannot turn into an n-member block. Callers catch it
 * to fall back to training the members one by one.
 */
public final class UnfusableBlockException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String blockType;

    UnfusableBlockException(String path, Object block, String reason) {
        super("cannot fuse block " + (path.isEmpty() ? "<root>" : path) + " ("
                + block.getClass().getName() + "): " + reason + "; use the per-member training path");
        this.path = path;
        this.blockType = block.getClass().getName();
    }

    /** Where the block sits, e.g. {@code 02SequentialBlock/01Residual/main/01Conv2d}; empty for the root. */
    public String path() {
        return path;
    }

    public String blockType() {
        return blockType;
    }
}
