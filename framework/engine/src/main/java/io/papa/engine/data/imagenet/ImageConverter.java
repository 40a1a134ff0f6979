package io.papa.engine.data.imagenet;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Decodes one image, checks it, resizes it and encodes it as JPEG. Every image is decoded, even when
 * it is stored unchanged, because a file that cannot be decoded here cannot be trained on later.
 * Memory-cached streams keep ImageIO from spilling each image to a temporary file.
 */
final class ImageConverter {

    /** PIL's decompression-bomb limit: a damaged header claiming a huge size must not exhaust the heap. */
    private static final long MAX_PIXELS = 178_956_970L;

    /** An image that cannot be used; the reason goes into the report. */
    static final class UnreadableImage extends Exception {

        private static final long serialVersionUID = 1L;

        UnreadableImage(String reason) {
            super(reason);
        }
    }

    private ImageConverter() {
    }

    /**
     * The bytes to store for {@code source}: the source itself when its size is already the target
     * (no second JPEG generation loss), otherwise the resized image as JPEG at {@code quality} in (0, 1].
     */
    static byte[] convert(byte[] source, Resize resize, float quality) throws UnreadableImage {
        BufferedImage image = decode(source);
        int[] target = resize.target(image.getWidth(), image.getHeight());
        if (target[0] == image.getWidth() && target[1] == image.getHeight()) {
            return source;
        }
        return encode(resized(image, target[0], target[1]), quality);
    }

    static BufferedImage decode(byte[] source) throws UnreadableImage {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(source))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnreadableImage("not in an image format this Java runtime reads");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new UnreadableImage(reader.getWidth(0) + "x" + reader.getHeight(0) + " is larger than "
                            + MAX_PIXELS + " pixels");
                }
                BufferedImage image = reader.read(0);
                // a truncated JPEG decodes with grey where data is missing; PIL refuses it too
                for (String warning : warnings) {
                    String lower = warning.toLowerCase(Locale.ROOT);
                    if (lower.contains("truncated") || lower.contains("premature end")) {
                        throw new UnreadableImage("truncated: " + String.join("; ", warnings));
                    }
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new UnreadableImage(e.toString());
        }
    }

    /** Grey stays one channel; everything else (colour, palette, alpha) becomes RGB, as JPEG stores it. */
    private static BufferedImage resized(BufferedImage image, int outWidth, int outHeight) {
        int width = image.getWidth();
        int height = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] grey = (byte[]) image.getRaster().getDataElements(0, 0, width, height, null);
            BufferedImage out = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_BYTE_GRAY);
            out.getRaster().setDataElements(0, 0, outWidth, outHeight,
                    Resampler.resize(grey, width, height, 1, outWidth, outHeight));
            return out;
        }
        byte[] rgb;
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            // the JPEG decoder's usual output; its data elements come in band order, R G B
            rgb = (byte[]) image.getRaster().getDataElements(0, 0, width, height, null);
        } else {
            int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
            rgb = new byte[argb.length * 3];
            for (int i = 0; i < argb.length; i++) {
                rgb[3 * i] = (byte) (argb[i] >> 16);
                rgb[3 * i + 1] = (byte) (argb[i] >> 8);
                rgb[3 * i + 2] = (byte) argb[i];
            }
        }
        BufferedImage out = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_3BYTE_BGR);
        out.getRaster().setDataElements(0, 0, outWidth, outHeight,
                Resampler.resize(rgb, width, height, 3, outWidth, outHeight));
        return out;
    }

    private static byte[] encode(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 2);
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            // only memory streams are involved, so this is a bug, not bad input
            throw new IllegalStateException("JPEG encoding failed in memory", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
