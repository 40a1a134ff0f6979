package io.papa.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.engine.data.imagenet.MiniImageNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** workflows/imagenet-prepare.yaml on a miniature pair of ILSVRC archives with a corrupt image. */
class ImageNetPrepareRouteTest {

    @TempDir
    Path work;

    @Test
    void theRouteWritesClassFoldersResizedAndReportsTheCorruptImage() throws IOException {
        MiniImageNet archives = new MiniImageNet(work.resolve("ilsvrc"));
        Path out = work.resolve("imagenet");
        Exchange done = Routes.run(Routes.file("imagenet-prepare.yaml"), Map.of(
                "imagenet_dir", work.resolve("ilsvrc").toString(),
                "valprep", archives.valprep.toString(),
                "output", out.toString(),
                "resize", "32",
                "threads", "2"));
        String summary = done.getMessage().getBody(String.class);
        assertTrue(summary.contains(MiniImageNet.CORRUPT), summary);
        for (String wnid : MiniImageNet.CLASSES) {
            assertTrue(Files.isDirectory(out.resolve("train").resolve(wnid)), wnid);
            assertTrue(Files.isDirectory(out.resolve("val").resolve(wnid)), wnid);
        }
        try (Stream<Path> images = Files.walk(out.resolve("train"))) {
            for (Path image : images.filter(p -> p.toString().endsWith(".JPEG")).toList()) {
                var decoded = ImageIO.read(image.toFile());
                assertEquals(32, Math.min(decoded.getWidth(), decoded.getHeight()), image + " shorter side");
            }
        }
        assertTrue(Files.readString(out.resolve("prepare-unreadable.txt")).contains(MiniImageNet.CORRUPT));
    }
}
