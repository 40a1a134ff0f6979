package io.papa.plugins.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.DatasetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download path without a network: a file: URL goes through the same copy, MD5 check and rename. */
class DownloaderTest {

    @TempDir
    Path tmp;

    private List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void verifiedDownloadIsRenamedIntoPlaceWithoutLeftovers() throws IOException {
        byte[] content = "pretend archive".getBytes(StandardCharsets.UTF_8);
        Path source = Files.write(tmp.resolve("source.bin"), content);
        Path target = tmp.resolve("data").resolve("cifar-10-binary.tar.gz");
        String md5 = DataFiles.hex(md5Of(content));

        Downloader.download(source.toUri(), target, md5);

        assertArrayEquals(content, Files.readAllBytes(target));
        assertEquals(List.of("cifar-10-binary.tar.gz"), filesIn(target.getParent()));
    }

    @Test
    void md5MismatchNamesTheFileBothChecksumsAndKeepsNothing() throws IOException {
        byte[] content = "not the real CIFAR archive".getBytes(StandardCharsets.UTF_8);
        Path source = Files.write(tmp.resolve("source.bin"), content);
        Path target = tmp.resolve("data").resolve("cifar-10-binary.tar.gz");
        String expected = CifarFormat.CIFAR10.md5();
        String actual = DataFiles.hex(md5Of(content));

        DatasetException e = assertThrows(DatasetException.class,
                () -> Downloader.download(source.toUri(), target, expected));

        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected md5 " + expected), e.getMessage());
        assertTrue(e.getMessage().contains("got " + actual), e.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), filesIn(target.getParent()));
    }

    @Test
    void unreachableSourceIsADatasetExceptionNamingTheTarget() {
        Path target = tmp.resolve("cifar-100-binary.tar.gz");
        DatasetException e = assertThrows(DatasetException.class,
                () -> Downloader.download(tmp.resolve("absent").toUri(), target, CifarFormat.CIFAR100.md5()));
        assertTrue(e.getMessage().contains("place it at " + target), e.getMessage());
    }

    private static MessageDigest md5Of(byte[] content) {
        MessageDigest md5 = DataFiles.digest("MD5");
        md5.update(content);
        return md5;
    }
}
