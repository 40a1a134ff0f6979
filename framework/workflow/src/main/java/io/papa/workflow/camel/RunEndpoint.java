package io.papa.workflow.camel;

import io.papa.workflow.WorkflowException;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.spi.UriParam;

/** A verb that works on an existing population: the one papa:create made, or any run directory. */
public abstract class RunEndpoint extends PapaEndpoint {

    @UriParam(description = "Run directory of the population; by default the PapaRunDirectory header that papa:create"
            + " sets. The population is reloaded from the directory's latest checkpoint when it is not in memory.")
    private String output = "";

    protected RunEndpoint(String uri, PapaComponent component, String verb) {
        super(uri, component, verb);
    }

    Path runDirectory(Exchange exchange) {
        if (!output.isBlank()) {
            return Path.of(output);
        }
        String header = exchange.getMessage().getHeader(PapaHeaders.RUN_DIRECTORY, String.class);
        if (header == null) {
            throw new WorkflowException("papa:" + verb() + ": no run directory: put papa:create before it, or give it"
                    + " output=<run directory>");
        }
        return Path.of(header);
    }
}
