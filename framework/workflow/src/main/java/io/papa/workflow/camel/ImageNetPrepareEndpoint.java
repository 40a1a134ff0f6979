package io.papa.workflow.camel;

import io.papa.engine.data.imagenet.ImageNetPreparer;
import io.papa.engine.data.imagenet.PreparationSummary;
import io.papa.engine.data.imagenet.Resize;
import io.papa.engine.data.imagenet.ValidationLabels;
import io.papa.engine.plugin.PluginHost;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code papa:imagenet-prepare}: turns {@code ILSVRC2012_img_train.tar} (a tar of per-class tars)
 * and {@code ILSVRC2012_img_val.tar} with their labels into the class-folder layout the
 * {@code image-folder} dataset reads ({@code output/train/<wnid>/}, {@code output/val/<wnid>/}),
 * optionally resized, in parallel, resumable; unreadable images are reported by name and counted.
 * The reference does this with {@code tar} and {@code valprep.sh} (experiments_imagenet.sh).
 */
@UriEndpoint(scheme = "papa", syntax = "papa:imagenet-prepare", title = "PAPA ImageNet preparation",
        producerOnly = true, category = {org.apache.camel.Category.AI})
public final class ImageNetPrepareEndpoint extends PapaEndpoint {

    @UriParam(defaultValue = "ILSVRC2012_img_train.tar", description = "ILSVRC2012_img_train.tar")
    private String train = "ILSVRC2012_img_train.tar";

    @UriParam(defaultValue = "ILSVRC2012_img_val.tar", description = "ILSVRC2012_img_val.tar")
    private String val = "ILSVRC2012_img_val.tar";

    @UriParam(defaultValue = "valprep.sh", description = "valprep.sh (lines 'mv ILSVRC2012_val_00000001.JPEG n01751748/'); leave empty to use groundTruth + idToWnid")
    private String valprep = "valprep.sh";

    @UriParam(defaultValue = "", description = "The devkit's ILSVRC2012_validation_ground_truth.txt (one 1-based class id per line), when there is no valprep.sh")
    private String groundTruth = "";

    @UriParam(defaultValue = "", description = "Text file mapping the devkit's class ids to WordNet ids, one 'id wnid' per line (with groundTruth)")
    private String idToWnid = "";

    @UriParam(defaultValue = "imagenet", description = "Folder that receives train/ and val/ (and the summary files)")
    private String output = "imagenet";

    @UriParam(defaultValue = "none", description = "none (keep the images), N (shorter side to N, e.g. 256) or NxN (square, e.g. 64x64)")
    private String resize = "none";

    @UriParam(defaultValue = "90", description = "JPEG quality of resized images, 1-100")
    private int quality = 90;

    @UriParam(defaultValue = "0", description = "Conversion threads (0 = one per processor)")
    private int threads;

    public ImageNetPrepareEndpoint(String uri, PapaComponent component) {
        super(uri, component, "imagenet-prepare");
    }

    @Override
    protected void check(PluginHost host) {
        Resize.parse(resize);
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("papa:imagenet-prepare option 'quality' is " + quality + "; expected 1-100");
        }
        if (valprep.isBlank() == groundTruth.isBlank()) {
            throw new IllegalArgumentException("papa:imagenet-prepare needs the validation labels either as 'valprep'"
                    + " (valprep.sh) or as 'groundTruth' with 'idToWnid', not both and not neither");
        }
    }

    private ImageNetPreparer.Settings settings() {
        ValidationLabels labels = valprep.isBlank()
                ? ValidationLabels.groundTruth(Path.of(groundTruth), Path.of(idToWnid))
                : ValidationLabels.valprep(Path.of(valprep));
        ImageNetPreparer.Settings settings = ImageNetPreparer.Settings.of(Path.of(train), Path.of(val), labels,
                Path.of(output)).withResize(Resize.parse(resize)).withQuality(quality);
        return threads > 0 ? settings.withThreads(threads) : settings;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                long started = System.nanoTime();
                long[] lastPrint = {0};
                PreparationSummary summary = ImageNetPreparer.prepare(settings(), (done, total) -> {
                    long now = System.nanoTime();
                    if (now - lastPrint[0] > 2_000_000_000L || done == total) {
                        lastPrint[0] = now;
                        getComponent().log(progressLine(done, total, (now - started) / 1e9));
                    }
                });
                exchange.getMessage().setBody(summary.text());
                getComponent().log("papa:imagenet-prepare " + output + ": " + summary.text().lines().findFirst().orElse(""));
            }
        };
    }

    /** {@code [=====>     ] 45% 1200/2600 images 210 images/s ETA 0:06}. */
    static String progressLine(long done, long total, double seconds) {
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        double rate = seconds > 0 ? done / seconds : 0;
        long eta = rate > 0 ? (long) ((total - done) / rate) : 0;
        return String.format(Locale.ROOT, "papa:imagenet-prepare [%s%s] %3d%% %d/%d images %.0f images/s ETA %d:%02d",
                "=".repeat(filled), " ".repeat(width - filled), total == 0 ? 100 : 100 * done / total, done, total, rate,
                eta / 60, eta % 60);
    }
}
