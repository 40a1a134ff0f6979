package io.papa.engine.data.imagenet;

import io.papa.api.DatasetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the class of each ILSVRC2012 validation image comes from. Two sources are accepted:
 * <ul>
 *   <li>{@link #valprep(Path)}: the widely used {@code valprep.sh}, whose lines
 *       {@code mv ILSVRC2012_val_00000001.JPEG n01751748/} give each image's WordNet id; other lines
 *       ({@code mkdir}, comments, the shebang) are ignored;</li>
 *   <li>{@link #groundTruth(Path, Path)}: the devkit's {@code ILSVRC2012_validation_ground_truth.txt}
 *       (line <i>n</i> holds the 1-based ILSVRC2012_ID of {@code ILSVRC2012_val_<n, 8 digits>.JPEG})
 *       plus a text mapping from ILSVRC2012_ID to WordNet id. The devkit keeps that mapping in
 *       {@code meta.mat}, which is not read here: export it once as a text file with one synset per
 *       line, {@code <ILSVRC2012_ID> <WNID>} separated by white space, e.g. {@code 1 n02119789};
 *       further columns (the synset words) and lines starting with {@code #} are ignored. Note that
 *       ILSVRC2012_IDs are not in sorted-WNID order (id 1 is n02119789, kit fox).</li>
 * </ul>
 *
 * @param valprep the valprep.sh file, or null
 * @param groundTruth the devkit ground-truth file, or null
 * @param idToWnid the ILSVRC2012_ID to WNID mapping, or null
 */
public record ValidationLabels(Path valprep, Path groundTruth, Path idToWnid) {

    public ValidationLabels {
        if ((valprep == null) == (groundTruth == null) || (groundTruth == null) != (idToWnid == null)) {
            throw new IllegalArgumentException("give either a valprep.sh file, or a ground-truth file and an id-to-wnid"
                    + " mapping");
        }
    }

    public static ValidationLabels valprep(Path file) {
        return new ValidationLabels(file, null, null);
    }

    public static ValidationLabels groundTruth(Path groundTruth, Path idToWnid) {
        return new ValidationLabels(null, groundTruth, idToWnid);
    }

    /** Human-readable source, for summaries and error messages. */
    public String describe() {
        return valprep != null ? "valprep mapping " + valprep : "ground truth " + groundTruth + " with mapping " + idToWnid;
    }

    /** Validation image file name to WordNet id. */
    public Map<String, String> read() {
        return valprep != null ? readValprep() : readGroundTruth();
    }

    private Map<String, String> readValprep() {
        Map<String, String> labels = new HashMap<>();
        List<String> lines = lines(valprep, "valprep.sh with lines like 'mv ILSVRC2012_val_00000001.JPEG n01751748/'");
        for (int n = 1; n <= lines.size(); n++) {
            String[] fields = lines.get(n - 1).trim().split("\\s+");
            if (!fields[0].equals("mv")) {
                continue;
            }
            if (fields.length != 3) {
                throw new DatasetException(valprep + " line " + n + " is '" + lines.get(n - 1).trim()
                        + "'; expected 'mv <image file> <wnid>/'");
            }
            String image = lastElement(fields[1]);
            String wnid = lastElement(fields[2]);
            String previous = labels.put(image, wnid);
            if (previous != null && !previous.equals(wnid)) {
                throw new DatasetException(valprep + " line " + n + " moves " + image + " to " + wnid
                        + " but an earlier line moved it to " + previous + "; expected one class per image");
            }
        }
        if (labels.isEmpty()) {
            throw new DatasetException(valprep + " has no 'mv <image file> <wnid>/' lines; expected the valprep.sh"
                    + " mapping of the ILSVRC2012 validation images");
        }
        return labels;
    }

    private Map<String, String> readGroundTruth() {
        Map<Integer, String> wnids = readMapping();
        List<String> lines = lines(groundTruth, "ILSVRC2012_validation_ground_truth.txt, one class id per line");
        int count = lines.size();
        while (count > 0 && lines.get(count - 1).isBlank()) {
            count--;
        }
        if (count == 0) {
            throw new DatasetException(groundTruth + " is empty; expected one ILSVRC2012_ID per validation image");
        }
        Map<String, String> labels = new HashMap<>();
        for (int n = 1; n <= count; n++) {
            String line = lines.get(n - 1).trim();
            Integer id = parseId(line);
            if (id == null) {
                throw new DatasetException(groundTruth + " line " + n + " is '" + line + "'; expected one ILSVRC2012_ID"
                        + " (a positive integer) per line, line n for ILSVRC2012_val_<n>.JPEG");
            }
            String wnid = wnids.get(id);
            if (wnid == null) {
                throw new DatasetException(groundTruth + " line " + n + " has class id " + id + ", which " + idToWnid
                        + " does not map; expected a line '" + id + " <wnid>' there");
            }
            labels.put(String.format(Locale.ROOT, "ILSVRC2012_val_%08d.JPEG", n), wnid);
        }
        return labels;
    }

    private Map<Integer, String> readMapping() {
        Map<Integer, String> wnids = new HashMap<>();
        List<String> lines = lines(idToWnid, "lines '<ILSVRC2012_ID> <WNID>', e.g. '1 n02119789'");
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            Integer id = parseId(fields[0]);
            if (id == null || fields.length < 2) {
                throw new DatasetException(idToWnid + " line " + n + " is '" + line
                        + "'; expected '<ILSVRC2012_ID> <WNID>', e.g. '1 n02119789'");
            }
            String previous = wnids.put(id, fields[1]);
            if (previous != null) {
                throw new DatasetException(idToWnid + " line " + n + " maps id " + id + " again (to " + fields[1]
                        + ", earlier to " + previous + "); expected each ILSVRC2012_ID once");
            }
        }
        if (wnids.isEmpty()) {
            throw new DatasetException(idToWnid + " maps no class ids; expected lines '<ILSVRC2012_ID> <WNID>'");
        }
        return wnids;
    }

    private static Integer parseId(String field) {
        try {
            int id = Integer.parseInt(field);
            return id > 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String lastElement(String path) {
        String trimmed = path.replaceAll("/+$", "");
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static List<String> lines(Path file, String expected) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("validation labels " + file + " do not exist; expected " + expected);
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DatasetException("cannot read validation labels " + file + " (" + e + "); expected " + expected, e);
        }
    }
}
