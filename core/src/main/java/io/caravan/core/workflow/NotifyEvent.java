package io.caravan.core.workflow;

/** What a notification is sent for; each has its YAML key. */
public enum NotifyEvent {
    FAILURE("on_failure"),
    SUCCESS("on_success"),
    RETRY("on_retry"),
    LATE("on_late");

    private final String key;

    NotifyEvent(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** "failure", as the state of a notification's body says what happened. */
    public String word() {
        return key.substring(3);
    }
}
