package io.papa.engine.data.imagenet;

import io.papa.api.DatasetException;
import io.papa.engine.data.imagenet.ImageConverter.UnreadableImage;
import io.papa.engine.data.imagenet.TarIndex.ClassArchive;
import io.papa.engine.data.imagenet.TarIndex.Member;
import io.papa.engine.report.ReportWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns the ILSVRC2012 archives into the class-folder layout the {@code image-folder} dataset reads:
 * {@code output/train/<wnid>/<file>.JPEG} and {@code output/val/<wnid>/<file>.JPEG}, optionally
 * resized, what the reference's {@code experiments_imagenet.sh} does with tar and valprep.sh.
 *
 * <p>Inputs: {@code ILSVRC2012_img_train.tar} (a tar of per-class tars {@code n01440764.tar ...},
 * each holding JPEGs), {@code ILSVRC2012_img_val.tar} (flat {@code ILSVRC2012_val_00000001.JPEG ...})
 * and the {@link ValidationLabels}. The tars are read in place: their headers first (every image,
 * exact totals, a truncated archive or an unlabelled image reported before any conversion), then
 * each image's bytes in archive order, decoded, resized and written by a fixed pool of threads.
 * Nothing is extracted to a temporary directory. For the full ILSVRC2012 (1.33 million images) the
 * header pass makes as many 512-byte reads (about 100,000 a second from the page cache, fewer from
 * disk) and the index holds roughly 200 MB of heap.
 *
 * <p>Resumable: each output is written to a hidden temporary file beside it and renamed into place,
 * so an output that exists is complete, and a rerun with the same settings converts only what is
 * missing. (That holds when the process is stopped or killed; files are not forced to disk, which
 * would cost a sync per image, so after a power failure start the output afresh.) A rerun with a
 * different resize or quality is refused rather than mixing two sizes in one folder.
 *
 * <p>Images that cannot be decoded are skipped, counted, named in the summary and listed in
 * {@value PreparationSummary#UNREADABLE_FILE}; nothing is dropped silently. Java's built-in JPEG
 * decoder rejects CMYK JPEGs (about two dozen in the ILSVRC2012 training set): they are reported
 * this way too, and the image-folder dataset could not read them either. The summary is written
 * as {@value PreparationSummary#TEXT_FILE} and {@value PreparationSummary#JSON_FILE}.
 */
public final class ImageNetPreparer {

    /** Records the settings an output was made with, so a resume cannot mix sizes. */
    static final String SETTINGS_FILE = "prepare-settings.txt";

    private static final String[] SPLITS = {"train", "val"};
    private static final String TRAIN_EXPECTED = "ILSVRC2012_img_train.tar, a tar of per-class tars (n01440764.tar ...)"
            + " each holding that class's JPEGs";
    private static final String VAL_EXPECTED = "ILSVRC2012_img_val.tar, a tar of the validation JPEGs"
            + " (ILSVRC2012_val_00000001.JPEG ...)";

    /** Called after each image, from the conversion threads one at a time, with the images done and to do. */
    @FunctionalInterface
    public interface Progress {

        Progress NONE = (done, total) -> { };

        void update(long done, long total);
    }

    /**
     * What to prepare and how.
     *
     * @param trainArchive {@code ILSVRC2012_img_train.tar}
     * @param valArchive {@code ILSVRC2012_img_val.tar}
     * @param labels the validation labels
     * @param output the folder that receives {@code train/} and {@code val/}
     * @param resize image size in the output
     * @param quality JPEG quality, 1 to 100, for images that are resized (others are stored as they are)
     * @param threads conversion threads
     */
    public record Settings(Path trainArchive, Path valArchive, ValidationLabels labels, Path output, Resize resize,
            int quality, int threads) {

        public Settings {
            Objects.requireNonNull(trainArchive, "trainArchive");
            Objects.requireNonNull(valArchive, "valArchive");
            Objects.requireNonNull(labels, "labels");
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(resize, "resize");
            if (quality < 1 || quality > 100) {
                throw new IllegalArgumentException("JPEG quality must be in [1, 100], got " + quality);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }

        /** Images kept at their size, quality 90 for later resizes, one thread per processor. */
        public static Settings of(Path trainArchive, Path valArchive, ValidationLabels labels, Path output) {
            return new Settings(trainArchive, valArchive, labels, output, Resize.NONE, 90,
                    Runtime.getRuntime().availableProcessors());
        }

        public Settings withResize(Resize value) {
            return new Settings(trainArchive, valArchive, labels, output, value, quality, threads);
        }

        public Settings withQuality(int value) {
            return new Settings(trainArchive, valArchive, labels, output, resize, value, threads);
        }

        public Settings withThreads(int value) {
            return new Settings(trainArchive, valArchive, labels, output, resize, quality, value);
        }

        /** The settings that decide the output's pixels; a resume must match them. */
        String fingerprint() {
            return "resize=" + resize + "\n" + (resize.mode() == Resize.Mode.NONE ? "" : "quality=" + quality + "\n");
        }
    }

    /** One image to convert: split 0 (train) or 1 (val), its class's position, and where its bytes lie. */
    private record Task(int split, int classIndex, Member member) {
    }

    private ImageNetPreparer() {
    }

    public static PreparationSummary prepare(Settings settings, Progress progress) {
        long start = System.nanoTime();
        requireArchive(settings.trainArchive(), "training", TRAIN_EXPECTED);
        requireArchive(settings.valArchive(), "validation", VAL_EXPECTED);
        Map<String, String> labels = settings.labels().read();
        try (FileChannel train = FileChannel.open(settings.trainArchive(), StandardOpenOption.READ);
                FileChannel val = FileChannel.open(settings.valArchive(), StandardOpenOption.READ)) {
            List<ClassArchive> classes = TarIndex.perClass(settings.trainArchive(), train);
            List<Member> valImages = TarIndex.flat(settings.valArchive(), val, VAL_EXPECTED);
            Map<String, Integer> classIndex = classIndex(settings.trainArchive(), classes);
            List<Task> tasks = new ArrayList<>();
            for (int k = 0; k < classes.size(); k++) {
                for (Member image : classes.get(k).images()) {
                    tasks.add(new Task(0, k, image));
                }
            }
            for (Member image : valImages) {
                tasks.add(new Task(1, valClass(settings, labels, classIndex, image), image));
            }
            prepareOutput(settings, classes, tasks);

            int[][] present = new int[2][classes.size()];
            List<Task> missing = new ArrayList<>();
            for (Task task : tasks) {
                if (Files.exists(target(settings, classes, task))) {
                    present[task.split()][task.classIndex()]++;
                } else {
                    missing.add(task);
                }
            }
            long converting = System.nanoTime();
            Conversion conversion = new Conversion(settings, classes, progress, missing.size());
            conversion.run(missing, new FileChannel[] {train, val});
            long end = System.nanoTime();

            List<PreparationSummary.ClassCount> counts = new ArrayList<>();
            for (int k = 0; k < classes.size(); k++) {
                counts.add(new PreparationSummary.ClassCount(classes.get(k).wnid(),
                        present[0][k] + conversion.written[0].get(k), present[1][k] + conversion.written[1].get(k)));
            }
            List<PreparationSummary.Unreadable> unreadable = new ArrayList<>(conversion.unreadable);
            unreadable.sort(Comparator.comparing(PreparationSummary.Unreadable::image));
            double convertSeconds = (end - converting) / 1e9;
            PreparationSummary summary = new PreparationSummary(settings.output().toString(),
                    settings.trainArchive().toString(), settings.valArchive().toString(), settings.labels().describe(),
                    settings.resize().toString(), settings.quality(), settings.threads(), counts,
                    conversion.writtenTotal.get(), tasks.size() - missing.size(), unreadable, (converting - start) / 1e9,
                    convertSeconds, missing.isEmpty() ? 0 : missing.size() / convertSeconds);
            summary.write(settings.output());
            return summary;
        } catch (IOException e) {
            throw new DatasetException("ImageNet preparation into " + settings.output() + " failed: " + e, e);
        }
    }

    private static void requireArchive(Path archive, String role, String expected) {
        if (!Files.isRegularFile(archive)) {
            throw new DatasetException("the " + role + " archive " + archive + " does not exist or is not a file;"
                    + " expected " + expected);
        }
    }

    private static Map<String, Integer> classIndex(Path archive, List<ClassArchive> classes) {
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < classes.size(); k++) {
            if (index.put(classes.get(k).wnid(), k) != null) {
                throw new DatasetException(archive + " holds " + classes.get(k).wnid() + ".tar twice; expected one tar"
                        + " per class");
            }
        }
        return index;
    }

    private static int valClass(Settings settings, Map<String, String> labels, Map<String, Integer> classIndex,
            Member image) {
        String wnid = labels.get(image.name());
        if (wnid == null) {
            throw new DatasetException("validation image " + image.name() + " in " + settings.valArchive()
                    + " has no label in " + settings.labels().describe() + "; expected every validation image to be"
                    + " labelled (are the labels for this archive?)");
        }
        Integer k = classIndex.get(wnid);
        if (k == null) {
            throw new DatasetException(settings.labels().describe() + " labels " + image.name() + " as " + wnid
                    + ", which is not a class of " + settings.trainArchive() + " (no " + wnid + ".tar there); expected"
                    + " the WordNet ids of the training archive's per-class tars");
        }
        return k;
    }

    /** Creates the class folders and checks that an existing output was made with the same settings. */
    private static void prepareOutput(Settings settings, List<ClassArchive> classes, List<Task> tasks)
            throws IOException {
        Path output = settings.output();
        Files.createDirectories(output);
        Path recorded = output.resolve(SETTINGS_FILE);
        String fingerprint = settings.fingerprint();
        if (Files.exists(recorded)) {
            String previous = Files.readString(recorded, StandardCharsets.UTF_8);
            if (!previous.equals(fingerprint)) {
                throw new DatasetException(output + " was prepared with " + previous.trim().replace('\n', ' ')
                        + " (" + recorded + ") but this run asks for " + fingerprint.trim().replace('\n', ' ')
                        + "; expected the same settings to resume, or choose another output folder");
            }
        } else {
            ReportWriter.writeAtomically(recorded, fingerprint.getBytes(StandardCharsets.UTF_8));
        }
        Set<String> folders = new HashSet<>();
        for (Task task : tasks) {
            if (folders.add(task.split() + "/" + task.classIndex())) {
                Files.createDirectories(output.resolve(SPLITS[task.split()]).resolve(classes.get(task.classIndex()).wnid()));
            }
        }
    }

    private static Path target(Settings settings, List<ClassArchive> classes, Task task) {
        return settings.output().resolve(SPLITS[task.split()]).resolve(classes.get(task.classIndex()).wnid())
                .resolve(task.member().name());
    }

    /** The parallel part: this thread reads images in archive order, the pool converts and writes them. */
    private static final class Conversion {

        private final Settings settings;
        private final List<ClassArchive> classes;
        private final Progress progress;
        private final long total;
        private final AtomicIntegerArray[] written;
        private final AtomicInteger writtenTotal = new AtomicInteger();
        private final Queue<PreparationSummary.Unreadable> unreadable = new ConcurrentLinkedQueue<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private long done;

        Conversion(Settings settings, List<ClassArchive> classes, Progress progress, long total) {
            this.settings = settings;
            this.classes = classes;
            this.progress = progress;
            this.total = total;
            this.written = new AtomicIntegerArray[] {
                new AtomicIntegerArray(classes.size()), new AtomicIntegerArray(classes.size())};
        }

        void run(List<Task> tasks, FileChannel[] archives) throws IOException {
            progress.update(0, total);
            ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), runnable -> {
                Thread thread = new Thread(runnable, "imagenet-prepare");
                thread.setDaemon(true);
                return thread;
            });
            // a few images in flight per thread keep the pool busy while bounding the memory held
            Semaphore inFlight = new Semaphore(4 * settings.threads());
            try {
                for (Task task : tasks) {
                    inFlight.acquire();
                    if (failure.get() != null) {
                        break;
                    }
                    byte[] bytes = read(archives[task.split()], task);
                    pool.execute(() -> {
                        try {
                            convert(task, bytes);
                        } finally {
                            inFlight.release();
                        }
                    });
                }
                pool.shutdown();
                pool.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DatasetException("ImageNet preparation into " + settings.output() + " was interrupted; run it"
                        + " again with the same settings to resume", e);
            } finally {
                pool.shutdownNow();
            }
            Throwable thrown = failure.get();
            if (thrown instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (thrown instanceof Error error) {
                throw error;
            }
        }

        private byte[] read(FileChannel archive, Task task) throws IOException {
            Member member = task.member();
            if (member.size() > Integer.MAX_VALUE - 8) {
                throw new DatasetException(member.name() + " in " + source(task) + " is " + member.size()
                        + " bytes; expected an image small enough to decode");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) member.size());
            while (buffer.hasRemaining()) {
                if (archive.read(buffer, member.offset() + buffer.position()) < 0) {
                    throw new DatasetException(source(task) + " ended while reading " + member.name()
                            + "; expected the archive to stay unchanged during preparation");
                }
            }
            return buffer.array();
        }

        private void convert(Task task, byte[] bytes) {
            try {
                store(task, bytes);
                synchronized (this) {
                    progress.update(++done, total);
                }
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            }
        }

        private void store(Task task, byte[] bytes) {
            Path target = target(settings, classes, task);
            try {
                byte[] stored = ImageConverter.convert(bytes, settings.resize(), settings.quality() / 100f);
                Path temporary = target.resolveSibling("." + target.getFileName() + ".part");
                Files.write(temporary, stored);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                written[task.split()].incrementAndGet(task.classIndex());
                writtenTotal.incrementAndGet();
            } catch (UnreadableImage e) {
                unreadable.add(new PreparationSummary.Unreadable(settings.output().relativize(target).toString()
                        .replace('\\', '/'), source(task), e.getMessage()));
            } catch (IOException e) {
                throw new DatasetException("cannot write " + target + " (" + e
                        + "); expected a writable output folder with free space", e);
            }
        }

        private String source(Task task) {
            return task.split() == 0
                    ? classes.get(task.classIndex()).wnid() + ".tar inside " + settings.trainArchive()
                    : settings.valArchive().toString();
        }
    }
}
