package io.caravan.core.ssh;

import java.util.Arrays;
import java.util.Objects;

/**
 * A passphrase or password. It never prints itself, so it cannot leak through a log line,
 * an exception message or a report that formats a configuration record. One read from an environment variable
 * ({@link #fromEnv}) is read when it is used, and what is kept or stored of it is the variable's name.
 */
public final class Secret {
    private final char[] value;
    private final String envName;

    private Secret(char[] value, String envName) {
        this.value = value == null ? null : value.clone();
        this.envName = envName;
    }

    public static Secret of(String value) {
        return value == null ? null : new Secret(value.toCharArray(), null);
    }

    /** The value of the environment variable {@code name} at the time it is revealed. */
    public static Secret fromEnv(String name) {
        return name == null ? null : new Secret(null, name);
    }

    /** Whether {@code name} can be an environment variable's name (so that a typo is found when a file is loaded). */
    public static boolean validEnvName(String name) {
        return name != null && name.matches("[A-Za-z_][A-Za-z0-9_]*");
    }

    /**
     * @throws MissingException when it is read from an environment variable that is not set
     */
    public String reveal() {
        if (envName == null) {
            return new String(value);
        }
        String fromEnv = System.getenv(envName);
        if (fromEnv == null) {
            throw new MissingException(envName);
        }
        return fromEnv;
    }

    /** The environment variable it is read from, or null for a value given directly. */
    public String envName() {
        return envName;
    }

    /** The environment variable a secret is to be read from is not set in this process. */
    public static final class MissingException extends IllegalStateException {
        MissingException(String name) {
            super("the environment variable " + name + " is not set");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && Objects.equals(envName, other.envName) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(envName) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return envName == null ? "******" : "$" + envName;
    }
}
