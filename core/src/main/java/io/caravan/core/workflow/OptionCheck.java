package io.caravan.core.workflow;

import java.util.List;
import java.util.Map;

/** Checks a mapping kind's options when the workflow is loaded, so a bad value fails before anything runs. */
@FunctionalInterface
public interface OptionCheck {
    OptionCheck NONE = options -> List.of();

    /** Problems as (key or null for the whole mapping, message). */
    List<Map.Entry<String, String>> problems(Map<String, Object> options);
}
