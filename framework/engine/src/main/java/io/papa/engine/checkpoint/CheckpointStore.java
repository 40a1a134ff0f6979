package io.papa.engine.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.papa.engine.compute.Compute;
import io.papa.engine.merge.Mixer;
import io.papa.engine.population.Member;
import io.papa.engine.population.Population;
import io.papa.engine.population.PopulationConfig;
import io.papa.engine.population.PopulationTrainer;
import io.papa.engine.report.Provenance;
import io.papa.engine.report.ReportWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Population checkpoints in {@code <run>/checkpoints/step-<N>-<K>/} (the K-th save at optimiser step N:
 * a workflow saves after a training stage and again after the merge at the same step): one safetensors file per member
 * (parameters, running statistics and optimiser state) and a {@code manifest.json} with the
 * configuration, history and a SHA-256 per file. A checkpoint is written into a temporary
 * directory and renamed into place, then {@code LATEST} is replaced atomically, so a process killed
 * at any moment leaves the previous checkpoint intact. The state is entirely in files, so another
 * JVM can continue the run.
 */
public final class CheckpointStore {

    private static final String LATEST = "LATEST";
    private static final java.util.regex.Pattern COMPLETE = java.util.regex.Pattern.compile("step-\\d{9}-\\d{3,}");
    private static final String PARAM = "param/";
    private static final String OPTIM = "optim/";
    private static final ObjectMapper JSON = ReportWriter.json().copy().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path directory;
    private final int keep;

    /** @param keep how many complete checkpoints to keep (older ones are deleted) */
    public CheckpointStore(Path runDirectory, int keep) {
        this.directory = runDirectory.resolve("checkpoints");
        this.keep = Math.max(1, keep);
    }

    public Path directory() {
        return directory;
    }

    /** A verified checkpoint on disk. */
    public record Checkpoint(Path directory, Manifest manifest) {
    }

    public Checkpoint save(Population population, PopulationTrainer trainer, String label) {
        Compute.noGradOnThisThread();
        long step = population.step();
        try {
            Files.createDirectories(directory);
            String name = nextName(step);
            Path temporary = Files.createTempDirectory(directory, name + ".tmp-");
            Map<String, Manifest.FileEntry> files = new LinkedHashMap<>();
            Map<String, Long> counters = new LinkedHashMap<>();
            for (Member member : population.members()) {
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                member.parameters().forEach((key, parameter) -> tensors.put(PARAM + key, parameter.getArray()));
                member.optimizer().state().forEach((key, value) -> tensors.put(OPTIM + key, value));
                member.optimizer().counters().forEach((key, value) -> counters.put(member.index() + "/" + key, value));
                String file = "member-" + member.index() + ".safetensors";
                SafeTensors.write(temporary.resolve(file), tensors, Map.of("papa.member", Integer.toString(member.index()),
                        "papa.step", Long.toString(step)));
                files.put(file, entry(temporary.resolve(file)));
            }
            Manifest manifest = new Manifest(Manifest.FORMAT, step, (int) (step / population.stepsPerEpoch()), label,
                    Instant.now().toString(), Provenance.version(), Provenance.commit(), population.config(),
                    trainer.history(), trainer.merges(), counters, files);
            ReportWriter.writeAtomically(temporary.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
            Path target = directory.resolve(name);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            ReportWriter.writeAtomically(directory.resolve(LATEST), name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            prune(name);
            return new Checkpoint(target, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint into " + directory, e);
        }
    }

    /**
     * The name of the newest complete checkpoint, without reading or verifying it: a cheap way to see
     * whether another process has moved the run on.
     */
    public Optional<String> latestName() {
        Path pointer = directory.resolve(LATEST);
        try {
            return Files.exists(pointer) ? Optional.of(Files.readString(pointer).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new CorruptCheckpointException("cannot read " + pointer + ": " + e.getMessage());
        }
    }

    /** The newest complete checkpoint, verified against its checksums; empty when there is none. */
    public Optional<Checkpoint> latest() {
        Path pointer = directory.resolve(LATEST);
        if (!Files.exists(pointer)) {
            return Optional.empty();
        }
        try {
            Path dir = directory.resolve(Files.readString(pointer).trim());
            return Optional.of(verify(dir));
        } catch (IOException e) {
            throw new CorruptCheckpointException("cannot read " + pointer + ": " + e.getMessage());
        }
    }

    /** Reads a checkpoint's manifest and checks every file against its SHA-256. */
    public static Checkpoint verify(Path checkpoint) {
        Path manifestFile = checkpoint.resolve("manifest.json");
        Manifest manifest;
        try {
            manifest = JSON.readValue(manifestFile.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new CorruptCheckpointException("checkpoint manifest " + manifestFile + " is missing or unreadable: "
                    + e.getMessage());
        }
        if (manifest.format() != Manifest.FORMAT) {
            throw new CorruptCheckpointException(manifestFile + " has format " + manifest.format() + "; this papa reads "
                    + Manifest.FORMAT);
        }
        for (Map.Entry<String, Manifest.FileEntry> file : manifest.files().entrySet()) {
            Path path = checkpoint.resolve(file.getKey());
            Manifest.FileEntry actual;
            try {
                actual = entry(path);
            } catch (IOException e) {
                throw new CorruptCheckpointException("checkpoint file " + path + " is missing: " + e.getMessage());
            }
            if (!actual.equals(file.getValue())) {
                throw new CorruptCheckpointException("checkpoint file " + path + " is corrupt: SHA-256 "
                        + actual.sha256() + " (" + actual.bytes() + " bytes), expected " + file.getValue().sha256()
                        + " (" + file.getValue().bytes() + " bytes); delete " + checkpoint
                        + " to resume from an earlier checkpoint");
            }
        }
        return new Checkpoint(checkpoint, manifest);
    }

    /**
     * Loads a checkpoint into a population built from the same configuration and positions its
     * data streams and step counter; the trainer gets the earlier history.
     */
    public static void restore(Checkpoint checkpoint, Population population, PopulationTrainer trainer) {
        Compute.noGradOnThisThread();
        Manifest manifest = checkpoint.manifest();
        requireSameConfig(checkpoint.directory(), manifest.config(), population.config());
        try (NDManager scope = population.manager().newSubManager()) {
            for (Member member : population.members()) {
                Path file = checkpoint.directory().resolve("member-" + member.index() + ".safetensors");
                SafeTensors.Contents contents = SafeTensors.read(file, scope);
                Map<String, NDArray> optimizerState = new LinkedHashMap<>();
                for (Map.Entry<String, Parameter> entry : member.parameters().entrySet()) {
                    NDArray value = contents.tensors().get(PARAM + entry.getKey());
                    if (value == null || !value.getShape().equals(entry.getValue().getArray().getShape())) {
                        throw new CorruptCheckpointException(file + " has no parameter " + entry.getKey()
                                + " of shape " + entry.getValue().getArray().getShape());
                    }
                    Mixer.assign(entry.getValue().getArray(), value.toDevice(population.device(), false));
                }
                contents.tensors().forEach((key, value) -> {
                    if (key.startsWith(OPTIM)) {
                        optimizerState.put(key.substring(OPTIM.length()), value.toDevice(population.device(), false));
                    }
                });
                Map<String, Long> counters = new LinkedHashMap<>();
                String prefix = member.index() + "/";
                manifest.counters().forEach((key, value) -> {
                    if (key.startsWith(prefix)) {
                        counters.put(key.substring(prefix.length()), value);
                    }
                });
                // detach from the scope: the optimiser takes ownership
                member.optimizer().restore(optimizerState, counters);
            }
        } catch (IOException e) {
            throw new CorruptCheckpointException("cannot read checkpoint " + checkpoint.directory() + ": " + e.getMessage());
        }
        population.resumeAt(manifest.step());
        trainer.restore(manifest.history(), manifest.merges());
    }

    private static void requireSameConfig(Path checkpoint, PopulationConfig saved, PopulationConfig current) {
        if (saved.equals(current)) {
            return;
        }
        Map<String, Object> a = JSON.convertValue(saved, Map.class);
        Map<String, Object> b = JSON.convertValue(current, Map.class);
        List<String> differences = new ArrayList<>();
        for (String key : a.keySet()) {
            if (!java.util.Objects.equals(a.get(key), b.get(key))) {
                differences.add(key + ": checkpoint " + a.get(key) + ", now " + b.get(key));
            }
        }
        if (differences.isEmpty()) {
            return;
        }
        throw new IllegalArgumentException("the checkpoint in " + checkpoint + " was made with another configuration ("
                + String.join("; ", differences) + "); resume with the same settings or use a new output directory");
    }

    private static Manifest.FileEntry entry(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return new Manifest.FileEntry(HexFormat.of().formatHex(digest.digest()), Files.size(file));
    }

    /**
     * A name no checkpoint has: a new directory per save, never one replaced in place, so that the one
     * {@code LATEST} names is complete at every moment. Names sort in the order they were written.
     */
    private String nextName(long step) throws IOException {
        String prefix = String.format("step-%09d-", step);
        int next = 0;
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : entries.toList()) {
                String file = p.getFileName().toString();
                if (file.startsWith(prefix) && COMPLETE.matcher(file).matches()) {
                    next = Math.max(next, Integer.parseInt(file.substring(prefix.length())) + 1);
                }
            }
        }
        return prefix + String.format("%03d", next);
    }

    private void prune(String newest) throws IOException {
        List<Path> complete;
        try (Stream<Path> entries = Files.list(directory)) {
            complete = entries.filter(p -> COMPLETE.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(Path::getFileName)).toList();
        }
        for (int i = 0; i < complete.size() - keep; i++) {
            if (!complete.get(i).getFileName().toString().equals(newest)) {
                deleteTree(complete.get(i));
            }
        }
        // temporary directories of writes that were killed
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path stale : entries.filter(p -> p.getFileName().toString().contains(".tmp-")).toList()) {
                deleteTree(stale);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
