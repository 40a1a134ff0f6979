package io.papa.plugins.datasets;

import io.papa.api.DatasetProvider;
import io.papa.api.LabeledImages;
import io.papa.api.Options;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Helpers for the tests: option maps, reading one image, and a minimal ustar writer for test archives. */
final class TestData {

    private TestData() {
    }

    /** Options from alternating names and values, validated as the host would. */
    static Options options(DatasetProvider provider, String... namesAndValues) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            given.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return Options.resolve("dataset '" + provider.id() + "'", provider.options(), given);
    }

    static float[] image(LabeledImages images, int index) {
        float[] out = new float[images.shape().size() + 2];
        images.read(index, out, 1);
        float[] image = new float[images.shape().size()];
        System.arraycopy(out, 1, image, 0, image.length);
        return image;
    }

    /** Writes {@code entries} (path inside the archive to contents) as a gzip-compressed POSIX ustar file. */
    static void tarGz(Path archive, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            byte[] header = new byte[512];
            put(header, 0, entry.getKey());
            put(header, 100, "0000644");
            put(header, 108, "0000000");
            put(header, 116, "0000000");
            put(header, 124, String.format("%011o", entry.getValue().length));
            put(header, 136, "00000000000");
            header[156] = '0';
            put(header, 257, "ustar");
            put(header, 263, "00");
            for (int i = 148; i < 156; i++) {
                header[i] = ' ';
            }
            long sum = 0;
            for (byte b : header) {
                sum += b & 0xFF;
            }
            put(header, 148, String.format("%06o", sum));
            header[154] = 0;
            tar.write(header);
            tar.write(entry.getValue());
            tar.write(new byte[(512 - entry.getValue().length % 512) % 512]);
        }
        tar.write(new byte[1024]);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            tar.writeTo(out);
        }
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
