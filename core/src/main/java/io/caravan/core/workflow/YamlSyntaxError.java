package io.caravan.core.workflow;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * A SnakeYAML syntax error as a workflow author can act on it: where it went wrong and the fix, for the mistakes
 * people make by hand (a key indented off its siblings, ': ' inside a plain value, a quote never closed); other
 * errors keep SnakeYAML's own words.
 */
record YamlSyntaxError(Mark mark, String message) {

    static YamlSyntaxError of(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        Mark at = e.getProblemMark().orElse(e.getContextMark().orElse(null));
        if (context.contains("scanning a quoted scalar")
                && problem.contains("end of stream")
                && e.getContextMark().isPresent()) {
            return new YamlSyntaxError(
                    e.getContextMark().get(),
                    "YAML syntax error: the quoted text that starts here is never closed: end it with the same quote");
        }
        if (problem.startsWith("expected <block end>") || problem.contains("could not find expected ':'")) {
            return new YamlSyntaxError(
                    at,
                    "YAML syntax error: a line is indented differently from the keys it belongs with: "
                            + "give the keys of one mapping the same indentation (spaces, not tabs)");
        }
        if (problem.contains("mapping values are not allowed here")) {
            return new YamlSyntaxError(
                    at,
                    "YAML syntax error: ': ' inside a plain value (or a line indented differently from "
                            + "the keys it belongs with): quote the value (\"…\" or '…'), or write it as a block after '|'");
        }
        return new YamlSyntaxError(
                at, "YAML syntax error: " + problem + (context.isEmpty() ? "" : " (" + context + ")"));
    }
}
