package org.vnetscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.vnetscope.document.ReportJson;

/** One run of the command line in this JVM: its exit code and what it printed on each stream. */
record CommandRun(int exit, String out, String err) {

    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new CommandRun(exit, out.toString(), err.toString());
    }

    /** Standard output read as a JSON document. */
    JsonNode json() throws Exception {
        return ReportJson.MAPPER.readTree(out);
    }
}
