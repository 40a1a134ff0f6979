package io.papa.plugins.architectures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.papa.api.ImageShape;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Trainable parameters (BatchNorm running statistics excluded), as PyTorch counts them for the reference. */
class ParameterCountTest {

    private static long count(String id, int classes) {
        return count(id, Nets.CIFAR, classes, Map.of());
    }

    private static long count(String id, ImageShape input, int classes, Map<String, String> options) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return Nets.trainableParameterCount(Nets.initialized(manager, Nets.byId(id), input, classes, options));
        }
    }

    @ParameterizedTest(name = "{1} classes")
    @CsvSource({"resnet18, 10, 11173962", "resnet18, 100, 11220132"})
    void resnet18HasThePapersParameterCount(String id, int classes, long expected) {
        assertEquals(expected, count(id, classes));
    }

    @ParameterizedTest(name = "{1} classes")
    @CsvSource({"resnet20, 10, 269722", "resnet20, 100, 275572"})
    void resnet20HasThePapersParameterCount(String id, int classes, long expected) {
        assertEquals(expected, count(id, classes));
    }

    @ParameterizedTest(name = "{0}, {1} classes")
    @CsvSource({
        "vgg11, 10, 9231114", "vgg11, 100, 9277284",
        "vgg16, 10, 14728266", "vgg16, 100, 14774436",
        // VGG-11 plus a 64->64 and a 128->128 conv with BN: + (36928 + 128) + (147584 + 256)
        "vgg13, 10, 9416010", "vgg13, 100, 9462180",
        // VGG-16 plus a 256->256 and two 512->512 convs with BN: + (590080 + 512) + 2 * (2359808 + 1024)
        "vgg19, 10, 20040522", "vgg19, 100, 20086692"})
    void vggHasTheReferenceParameterCount(String id, int classes, long expected) {
        assertEquals(expected, count(id, classes));
    }

    @Test
    void cnnWidthScalesEveryConvolution() {
        // convs 1*32*9 + 32*64*9 + 64*128*9, BN 2*(32+64+128), linear 128*10+10
        assertEquals(94186, count("cnn", Nets.MNIST, 10, Map.of()));
        // convs 1*8*9 + 8*16*9 + 16*32*9, BN 2*(8+16+32), linear 32*10+10
        assertEquals(6274, count("cnn", Nets.MNIST, 10, Map.of("width", "8")));
    }

    @Test
    void mlpHiddenOptionSetsTheLayers() {
        // 784*512+512 + 512*256+256 + 256*10+10
        assertEquals(535818, count("mlp", Nets.MNIST, 10, Map.of()));
        assertEquals(784 * 64 + 64 + 64 * 10 + 10, count("mlp", Nets.MNIST, 10, Map.of("hidden", "64")));
        assertEquals(784 * 10 + 10, count("mlp", Nets.MNIST, 10, Map.of("hidden", "")));
    }

    @Test
    void widthOptionShrinksTheResNetsAndVgg() {
        // ResNet-20 at width 8 has a quarter of the conv weights: every conv has half the inputs and outputs
        long convs20 = 3 * 8 * 9 + 6 * 8 * 8 * 9 + (8 * 16 * 9 + 5 * 16 * 16 * 9) + (16 * 32 * 9 + 5 * 32 * 32 * 9);
        long bn20 = 2 * (8 + 6 * 8 + 6 * 16 + 6 * 32);
        assertEquals(convs20 + bn20 + 32 * 10 + 10, count("resnet20", Nets.CIFAR, 10, Map.of("width", "8")));
        assertEquals(count("vgg11", Nets.CIFAR, 10, Map.of("width", "32")),
                3 * 32 * 9 + 32 + 32 * 64 * 9 + 64 + 64 * 128 * 9 + 128 + 128 * 128 * 9 + 128
                        + 128 * 256 * 9 + 256 + 3 * (256 * 256 * 9 + 256)
                        + 2 * (32 + 64 + 128 + 128 + 4 * 256) + 256 * 10 + 10);
        assertEquals(count("resnet18", Nets.CIFAR, 10, Map.of("width", "64")), count("resnet18", 10));
    }
}
