package io.papa.workflow.camel;

import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * {@code papa:report}: writes the last evaluation's report into the run directory: results.json
 * (every number, the configuration, provenance), summary.txt, a line appended to results.txt (the
 * reference's results file) and accuracy.png when accuracies were recorded per epoch. The body
 * becomes the summary text.
 */
@UriEndpoint(scheme = "papa", syntax = "papa:report", title = "PAPA report", producerOnly = true,
        category = {org.apache.camel.Category.AI})
public final class ReportEndpoint extends RunEndpoint {

    @UriParam(description = "Also append the summary line to this file, as the reference's results_file")
    private String resultsFile = "";

    public ReportEndpoint(String uri, PapaComponent component) {
        super(uri, component, "report");
    }

    String resultsFile() {
        return resultsFile;
    }

    @Override
    public Producer createProducer() {
        return new ReportProducer(this);
    }
}
