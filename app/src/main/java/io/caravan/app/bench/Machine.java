package io.caravan.app.bench;

/** What a figure was measured on, printed next to it. */
final class Machine {
    private Machine() {}

    static String describe() {
        Runtime rt = Runtime.getRuntime();
        return rt.availableProcessors() + " cores, " + (rt.maxMemory() >> 20) + " MiB max heap, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + ", Java " + System.getProperty("java.version");
    }
}
