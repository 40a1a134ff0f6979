package io.papa.workflow.camel;

import io.papa.engine.report.ReportWriter;
import io.papa.engine.report.RunReport;
import io.papa.workflow.WorkflowException;
import io.papa.workflow.session.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.camel.Exchange;

/** Writes the report of the current checkpoint's evaluation. */
final class ReportProducer extends PapaProducer<ReportEndpoint> {

    ReportProducer(ReportEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    protected void work(Session session, Exchange exchange) throws java.io.IOException {
        RunReport report = session.work(experiment -> {
            RunReport r = experiment.report(session.evaluation().orElseThrow(() -> new WorkflowException(
                    "papa:report: " + session.directory() + " has no evaluation of its latest checkpoint; put"
                            + " papa:evaluate before papa:report")));
            ReportWriter.write(session.directory(), r);
            return r;
        });
        if (!endpoint.resultsFile().isBlank()) {
            Files.writeString(Path.of(endpoint.resultsFile()), report.results().summaryLine() + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        exchange.getMessage().setBody(ReportWriter.summary(report));
    }
}
