package io.papa.plugins.datasets;

import io.papa.api.DatasetException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Helpers shared by the providers; every I/O failure becomes a DatasetException naming the file. */
final class DataFiles {

    private DataFiles() {
    }

    /** Expands a leading {@code ~} so defaults and values like {@code ~/data} work without a shell. */
    static Path expandHome(String raw) {
        String home = System.getProperty("user.home");
        if (raw.equals("~")) {
            return Path.of(home);
        }
        if (raw.startsWith("~/")) {
            return Path.of(home, raw.substring(2));
        }
        return Path.of(raw);
    }

    /** The default data directory {@code ~/.papa/data/<name>}, spelled out so listings show the real path. */
    static String defaultDataDir(String name) {
        return Path.of(System.getProperty("user.home"), ".papa", "data", name).toString();
    }

    static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e, e);
        }
    }

    /** The whole file, decompressed when its name ends in {@code .gz}. */
    static byte[] readMaybeGzipped(Path file) {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return readAll(file);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new DatasetException(file + " is not a readable gzip file (" + e
                    + "); replace it or store it uncompressed without the .gz suffix", e);
        }
    }

    static byte[] gunzip(byte[] compressed, String what) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new DatasetException(what + " is not a readable gzip stream: " + e, e);
        }
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java runtime", e);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] bytes) {
        MessageDigest digest = digest("SHA-256");
        digest.update(bytes);
        return hex(digest);
    }

    static int bigEndianInt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16)
                | ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
    }

    /** Class names "0".."classes-1", for sources that carry no names. */
    static List<String> numberedClasses(int classes) {
        List<String> names = new ArrayList<>(classes);
        for (int k = 0; k < classes; k++) {
            names.add(Integer.toString(k));
        }
        return names;
    }
}
