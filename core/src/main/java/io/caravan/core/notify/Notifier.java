package io.caravan.core.notify;

/**
 * Delivers notifications. Called from engine threads: an implementation hands the event over and returns at once;
 * a delivery that fails never changes how the run goes.
 */
public interface Notifier {
    Notifier NONE = n -> {};

    void send(Notification notification);
}
