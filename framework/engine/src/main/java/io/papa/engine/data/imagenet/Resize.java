package io.papa.engine.data.imagenet;

import java.util.Locale;

/**
 * How prepared images are sized: kept as they are, shorter side scaled to {@code size} (aspect kept,
 * the longer side truncated as torchvision's {@code Resize(size)} does), or the whole image squashed
 * to {@code size x size} as the downsampled-ImageNet variants (32x32, 64x64) are made.
 */
public record Resize(Mode mode, int size) {

    public enum Mode { NONE, SHORTER_SIDE, SQUARE }

    public static final Resize NONE = new Resize(Mode.NONE, 0);

    public Resize {
        if (mode != Mode.NONE && (size < 1 || size > 16384)) {
            throw new IllegalArgumentException("resize size must be in [1, 16384], got " + size);
        }
    }

    public static Resize shorterSide(int size) {
        return new Resize(Mode.SHORTER_SIDE, size);
    }

    public static Resize square(int size) {
        return new Resize(Mode.SQUARE, size);
    }

    /** {@code none}, {@code 256} (shorter side) or {@code 64x64} (square), as a route or command line spells it. */
    public static Resize parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        String expected = "; expected 'none', N (shorter side to N, e.g. 256) or NxN (square, e.g. 64x64)";
        if (value.equals("none")) {
            return NONE;
        }
        try {
            int x = value.indexOf('x');
            if (x < 0) {
                return shorterSide(Integer.parseInt(value));
            }
            int side = Integer.parseInt(value.substring(0, x));
            if (side != Integer.parseInt(value.substring(x + 1))) {
                throw new IllegalArgumentException("resize '" + text + "' is not square" + expected);
            }
            return square(side);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("resize '" + text + "' is not understood" + expected, e);
        }
    }

    /** Output width and height for an image of the given size. */
    int[] target(int width, int height) {
        return switch (mode) {
            case NONE -> new int[] {width, height};
            case SQUARE -> new int[] {size, size};
            case SHORTER_SIDE -> width <= height
                    ? new int[] {size, (int) Math.max(1, (long) size * height / width)}
                    : new int[] {(int) Math.max(1, (long) size * width / height), size};
        };
    }

    @Override
    public String toString() {
        return switch (mode) {
            case NONE -> "none";
            case SHORTER_SIDE -> Integer.toString(size);
            case SQUARE -> size + "x" + size;
        };
    }
}
