package io.papa.plugins.datasets;

import io.papa.api.DatasetException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads chosen regular files out of a gzip-compressed ustar archive into memory, in one pass and
 * without extracting to disk. Just enough of the format for the dataset archives: 512-byte headers
 * with an octal size, the ustar name prefix, and data padded to 512 bytes; other entry types
 * (directories, links, pax headers) are skipped.
 */
final class TarGzReader {

    private static final int BLOCK = 512;

    private TarGzReader() {
    }

    /**
     * The contents of the archive's regular files whose last path element is in {@code wanted},
     * keyed by that element; names not found are simply absent from the result.
     */
    static Map<String, byte[]> read(Path archive, Set<String> wanted) {
        Map<String, byte[]> found = new HashMap<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16))) {
            byte[] header = new byte[BLOCK];
            long position = 0;
            while (true) {
                if (in.readNBytes(header, 0, BLOCK) < BLOCK) {
                    throw corrupt(archive, "it ends inside the header at byte " + position);
                }
                if (isZero(header)) {
                    return found;
                }
                verifyChecksum(archive, header, position);
                String name = name(header);
                long size = octal(archive, header, 124, 12, position);
                byte type = header[156];
                position += BLOCK;
                String baseName = name.substring(name.lastIndexOf('/') + 1);
                boolean regular = type == '0' || type == 0;
                if (regular && wanted.contains(baseName)) {
                    if (size > Integer.MAX_VALUE - 8) {
                        throw corrupt(archive, "entry " + name + " is too large to hold in memory (" + size + " bytes)");
                    }
                    byte[] data = in.readNBytes((int) size);
                    if (data.length < size) {
                        throw corrupt(archive, "entry " + name + " is truncated: " + data.length + " of " + size + " bytes");
                    }
                    found.put(baseName, data);
                } else {
                    skip(archive, in, size);
                }
                long padding = (BLOCK - size % BLOCK) % BLOCK;
                skip(archive, in, padding);
                position += size + padding;
            }
        } catch (IOException e) {
            throw corrupt(archive, "it cannot be read as .tar.gz (" + e + ")");
        }
    }

    private static String name(byte[] header) {
        String name = text(header, 0, 100);
        // only POSIX ustar ("ustar" NUL) has a name prefix; old GNU tar ("ustar  ") keeps other fields there
        boolean posix = text(header, 257, 6).equals("ustar");
        String prefix = posix ? text(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(Path archive, byte[] header, int offset, int length, long position) {
        String field = text(header, offset, length).trim();
        try {
            return field.isEmpty() ? 0 : Long.parseLong(field, 8);
        } catch (NumberFormatException e) {
            throw corrupt(archive, "the header at byte " + position + " has a malformed size '" + field + "'");
        }
    }

    /** The header checksum catches a misaligned or damaged archive before its sizes are trusted. */
    private static void verifyChecksum(Path archive, byte[] header, long position) {
        long stored = octal(archive, header, 148, 8, position);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xFF);
        }
        if (sum != stored) {
            throw corrupt(archive, "the header at byte " + position + " has a bad checksum");
        }
    }

    private static void skip(Path archive, InputStream in, long count) throws IOException {
        long remaining = count;
        while (remaining > 0) {
            long skipped = in.skip(remaining);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw corrupt(archive, "it ends in the middle of an entry");
                }
                skipped = 1;
            }
            remaining -= skipped;
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static DatasetException corrupt(Path archive, String problem) {
        return new DatasetException("archive " + archive + " is corrupt: " + problem
                + "; expected a complete gzip-compressed tar file, replace it with a fresh copy");
    }
}
