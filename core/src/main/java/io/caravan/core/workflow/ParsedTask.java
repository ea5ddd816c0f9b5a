package io.caravan.core.workflow;

import java.util.List;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** A task as read, with the nodes that checks across tasks report problems at; {@code expands} even if its expand: was invalid. */
record ParsedTask(
        TaskDefinition definition,
        Node idNode,
        List<ScalarNode> dependsOnNodes,
        Node targetNode,
        List<TemplateAt> templates,
        boolean expands) {

    /** A template and where it stands; {@code inExpand} templates are evaluated before any item exists. */
    record TemplateAt(Template template, Node node, boolean inExpand) {}
}
