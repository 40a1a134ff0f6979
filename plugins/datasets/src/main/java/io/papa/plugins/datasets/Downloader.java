package io.papa.plugins.datasets;

import io.papa.api.DatasetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * Fetches an archive into place only if its MD5 matches: the bytes go to a temporary file next to the
 * target and are renamed atomically, so an interrupted or wrong download never looks like a dataset.
 */
final class Downloader {

    private static final int CONNECT_TIMEOUT_MS = 30_000;
    private static final int READ_TIMEOUT_MS = 120_000;

    private Downloader() {
    }

    static void download(URI source, Path target, String expectedMd5) {
        Path folder = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(folder);
            // same folder as the target, so the final rename is atomic
            temp = Files.createTempFile(folder, target.getFileName() + ".", ".part");
            MessageDigest md5 = DataFiles.digest("MD5");
            URLConnection connection = source.toURL().openConnection();
            connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
            connection.setReadTimeout(READ_TIMEOUT_MS);
            try (InputStream in = new DigestInputStream(connection.getInputStream(), md5);
                    OutputStream out = Files.newOutputStream(temp)) {
                in.transferTo(out);
            }
            String actual = DataFiles.hex(md5);
            if (!actual.equalsIgnoreCase(expectedMd5)) {
                throw new DatasetException("download of " + source + " to " + target + " failed verification: expected md5 "
                        + expectedMd5 + " but got " + actual + "; the file was discarded, retry the download or place a"
                        + " verified copy at " + target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new DatasetException("cannot download " + source + " to " + target + " (" + e
                    + "); download it by other means and place it at " + target, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // a stray .part file is harmless: it never has the archive's name
        }
    }
}
