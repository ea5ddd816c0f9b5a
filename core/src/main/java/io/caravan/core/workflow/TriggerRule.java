package io.caravan.core.workflow;

import java.util.Locale;

/** When a task may run, given how its upstream tasks ended (Airflow's names). */
public enum TriggerRule {
    ALL_SUCCESS,
    ALL_DONE,
    ALL_FAILED,
    ONE_SUCCESS,
    ONE_FAILED,
    NONE_FAILED;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
