package io.papa.plugins.datasets;

import io.papa.api.AugmentationSpec;
import io.papa.api.Dataset;
import io.papa.api.DatasetException;
import io.papa.api.ImageShape;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Loads a CIFAR binary release from its extracted folder or, failing that, from the .tar.gz archive
 * in the same folder (read in memory), downloading the archive first only when {@code download=true}.
 * Only a download is MD5-checked; an archive already in place is trusted, as extracted files are.
 * The checksum covers the data files' contents in a fixed order (not the archive, not the names
 * file), so the archive and its extracted copy give the same value.
 */
final class CifarReader {

    static final String DIR = "dir";
    static final String DOWNLOAD = "download";

    private static final ImageShape SHAPE = new ImageShape(3, 32, 32);

    /** torchvision's RandomCrop(32, padding=4) and RandomHorizontalFlip() from the reference's train transform. */
    static final List<AugmentationSpec> AUGMENTATION = List.of(
            new AugmentationSpec("random-crop", 1.0, Map.of("padding", "4")),
            AugmentationSpec.of("hflip", 0.5));

    private CifarReader() {
    }

    static List<OptionSpec> options(CifarFormat format) {
        return List.of(
                OptionSpec.path(DIR, DataFiles.defaultDataDir(format.directoryName()),
                        "folder with the extracted " + format.directoryName() + " files or with " + format.archiveName()),
                OptionSpec.flag(DOWNLOAD, false,
                        "download " + format.archiveName() + " into dir (MD5-verified) when the files are missing"));
    }

    static Dataset load(CifarFormat format, Options options) {
        Path dir = DataFiles.expandHome(options.getString(DIR)).toAbsolutePath();
        Map<String, byte[]> files;
        String source;
        Function<String, String> where;
        if (format.dataFiles().stream().allMatch(name -> Files.isRegularFile(dir.resolve(name)))) {
            files = new LinkedHashMap<>();
            for (String name : format.dataFiles()) {
                files.put(name, DataFiles.readAll(dir.resolve(name)));
            }
            Path names = dir.resolve(format.namesFile());
            if (Files.isRegularFile(names)) {
                files.put(format.namesFile(), DataFiles.readAll(names));
            }
            source = dir.toString();
            where = name -> dir.resolve(name).toString();
        } else {
            Path archive = dir.resolve(format.archiveName());
            if (!Files.isRegularFile(archive)) {
                if (!options.getBoolean(DOWNLOAD)) {
                    throw missing(format, dir);
                }
                Downloader.download(format.url(), archive, format.md5());
            }
            Set<String> wanted = new HashSet<>(format.dataFiles());
            wanted.add(format.namesFile());
            files = TarGzReader.read(archive, wanted);
            for (String name : format.dataFiles()) {
                if (!files.containsKey(name)) {
                    throw new DatasetException("archive " + archive + " has no file " + name + "; expected the official "
                            + format.archiveName() + " from " + format.url() + ", replace it with that");
                }
            }
            source = archive.toString();
            where = name -> archive + " (entry " + name + ")";
        }

        MessageDigest checksum = DataFiles.digest("SHA-256");
        List<ByteImages.Chunk> trainChunks = new ArrayList<>();
        for (String name : format.trainFiles()) {
            trainChunks.add(chunk(format, name, files.get(name), where, dir));
            checksum.update(files.get(name));
        }
        ByteImages.Chunk testChunk = chunk(format, format.testFile(), files.get(format.testFile()), where, dir);
        checksum.update(files.get(format.testFile()));

        ByteImages train = new ByteImages(SHAPE, labels(format, trainChunks), trainChunks);
        ByteImages test = new ByteImages(SHAPE, labels(format, List.of(testChunk)), List.of(testChunk));
        return new Dataset(format.id() + " (" + source + ")", train, test,
                classNames(format, files.get(format.namesFile()), where),
                format.mean().clone(), format.std().clone(), AUGMENTATION, DataFiles.hex(checksum));
    }

    private static DatasetException missing(CifarFormat format, Path dir) {
        String advice = "; place " + format.archiveName() + " or its extracted " + format.directoryName()
                + " files in " + dir + ", or set " + DOWNLOAD + "=true when online";
        if (!Files.isDirectory(dir)) {
            return new DatasetException(format.id() + ": option " + DIR + " = " + dir + " is not a directory" + advice);
        }
        String first = format.dataFiles().stream().filter(name -> !Files.isRegularFile(dir.resolve(name)))
                .findFirst().orElseThrow();
        return new DatasetException(format.id() + ": " + dir.resolve(first) + " is missing (expected "
                + format.fullSize(first) + " bytes) and there is no " + dir.resolve(format.archiveName()) + advice);
    }

    private static ByteImages.Chunk chunk(CifarFormat format, String name, byte[] bytes,
            Function<String, String> where, Path dir) {
        int record = format.recordSize();
        if (bytes.length == 0 || bytes.length % record != 0) {
            throw new DatasetException(format.id() + ": " + where.apply(name) + " has " + bytes.length
                    + " bytes, not a whole number of " + record + "-byte records (the complete file has "
                    + format.fullSize(name) + " bytes); it is truncated or corrupt: extract it again from "
                    + format.archiveName() + ", or remove the extracted files and place the archive in " + dir
                    + " (" + DOWNLOAD + "=true fetches it when online)");
        }
        for (int r = 0; r < bytes.length / record; r++) {
            int label = label(format, bytes, r);
            if (label >= format.classes()) {
                throw new DatasetException(format.id() + ": record " + r + " of " + where.apply(name) + " has label "
                        + label + ", expected 0.." + (format.classes() - 1) + "; the file is corrupt, replace it");
            }
        }
        return new ByteImages.Chunk(bytes, format.labelBytes(), record, bytes.length / record);
    }

    /** The last label byte of a record: the only label for CIFAR-10, the fine label for CIFAR-100. */
    private static int label(CifarFormat format, byte[] bytes, int record) {
        return bytes[record * format.recordSize() + format.labelBytes() - 1] & 0xFF;
    }

    private static byte[] labels(CifarFormat format, List<ByteImages.Chunk> chunks) {
        byte[] labels = new byte[chunks.stream().mapToInt(ByteImages.Chunk::count).sum()];
        int next = 0;
        for (ByteImages.Chunk chunk : chunks) {
            for (int r = 0; r < chunk.count(); r++) {
                labels[next++] = (byte) label(format, chunk.bytes(), r);
            }
        }
        return labels;
    }

    private static List<String> classNames(CifarFormat format, byte[] namesFile, Function<String, String> where) {
        if (namesFile == null) {
            return DataFiles.numberedClasses(format.classes());
        }
        List<String> names = new String(namesFile, StandardCharsets.UTF_8).lines().map(String::trim)
                .filter(line -> !line.isEmpty()).collect(Collectors.toList());
        if (names.size() != format.classes()) {
            throw new DatasetException(format.id() + ": " + where.apply(format.namesFile()) + " lists " + names.size()
                    + " class names, expected " + format.classes() + " (one per line); fix or delete it");
        }
        return names;
    }
}
