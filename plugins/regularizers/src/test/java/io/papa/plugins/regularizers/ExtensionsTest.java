package io.papa.plugins.regularizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.ImageShape;
import io.papa.api.Options;
import io.papa.api.Regularizer;
import io.papa.api.Regularizer.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

class ExtensionsTest {

    private static final List<Regularizer> ALL = List.of(new Mixup(), new CutMix(), new LabelSmoothing(),
            new RandomErasing(), new RandomCrop(), new HorizontalFlip());

    @Test
    void idsStagesAndStrengthNamesAreTheDocumentedOnes() {
        Map<String, String> described = new TreeMap<>();
        for (Regularizer r : ALL) {
            described.put(r.id(), r.stage() + " " + r.strengthName());
            assertFalse(r.description().isBlank());
            assertTrue(r.getClass().isAnnotationPresent(Extension.class), r.getClass() + " lacks @Extension");
        }
        assertEquals(Map.of(
                "mixup", Stage.MIX + " alpha",
                "cutmix", Stage.MIX + " alpha",
                "label-smoothing", Stage.TARGETS + " smoothing",
                "random-erasing", Stage.NORMALIZED_IMAGE + " p",
                "random-crop", Stage.RAW_IMAGE + " p",
                "hflip", Stage.RAW_IMAGE + " p"), described);
    }

    @Test
    void everyRegularizerIsListedInThePf4jExtensionIndex() throws IOException {
        // the processor also writes an empty index for the test classes, so read every copy
        Set<String> listed = new HashSet<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = url.openStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .filter(line -> !line.isBlank() && !line.startsWith("#"))
                        .map(String::trim).forEach(listed::add);
            }
        }
        Set<String> expected = ALL.stream().map(r -> r.getClass().getName()).collect(Collectors.toSet());
        assertEquals(expected, listed);
    }

    @Test
    void strengthZeroIsInactiveForAll() {
        for (Regularizer r : ALL) {
            assertFalse(r.isActive(0), r.id());
            assertTrue(r.isActive(0.5), r.id());
        }
    }

    @Test
    void defaultOptionsResolve() {
        for (Regularizer r : ALL) {
            Options options = Options.resolve(r.id(), r.options(), Map.of());
            assertEquals(r.options().size(), options.asMap().size());
        }
    }

    @Test
    void batchStagesRefuseSingleImagesAndImageStagesRefuseBatches() {
        ImageShape shape = new ImageShape(1, 2, 2);
        for (Regularizer r : ALL) {
            Options options = Options.resolve(r.id(), r.options(), Map.of());
            boolean perImage = r.stage() == Stage.RAW_IMAGE || r.stage() == Stage.NORMALIZED_IMAGE;
            if (perImage) {
                assertThrows(UnsupportedOperationException.class,
                        () -> r.transformBatch(new Regularizer.Batch(null, null), 1, options, new SplittableRandom(1)));
            } else {
                assertThrows(UnsupportedOperationException.class,
                        () -> r.transformImage(new float[4], shape, 1, options, new SplittableRandom(1)));
            }
        }
    }
}
