package io.caravan.core.workflow;

import java.util.List;

/**
 * A host pool declared in a workflow: tasks aimed at it run on whichever host has a free slot.
 *
 * @param hosts connection names
 * @param slots jobs each host runs at once
 */
public record PoolDefinition(String name, List<String> hosts, int slots) {
}
