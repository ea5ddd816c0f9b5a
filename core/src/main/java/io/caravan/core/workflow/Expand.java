package io.caravan.core.workflow;

import java.util.List;

/**
 * A fan-out: one task instance per item. Exactly one of the three is set.
 *
 * @param range a template that yields a count n: items 0 … n-1
 * @param items literal items
 * @param itemsFrom a template that yields a list, e.g. an upstream task's output
 */
public record Expand(Template range, List<Object> items, Template itemsFrom) {}
