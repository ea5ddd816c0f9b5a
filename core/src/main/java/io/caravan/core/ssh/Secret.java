package io.caravan.core.ssh;

import java.util.Arrays;

/**
 * A passphrase or password. It never prints itself, so it cannot leak through a log line,
 * an exception message or a report that formats a configuration record.
 */
public final class Secret {
    private final char[] value;

    private Secret(char[] value) {
        this.value = value.clone();
    }

    public static Secret of(String value) {
        return value == null ? null : new Secret(value.toCharArray());
    }

    public String reveal() {
        return new String(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "******";
    }
}
