package io.caravan.core.ssh;

/**
 * A server's address as one value, spelled one way: {@code host:port}, an IPv6 literal in brackets
 * ({@code [::1]:22}) so that the port stays readable. The handshake gates, the per-host figures, the slot
 * boards and the stored placements are keyed by this spelling, so every place that names a host by its
 * address builds it here rather than by hand.
 *
 * @param host a name or an address, without brackets
 * @param port 1..65535
 */
public record HostAndPort(String host, int port) {

    public HostAndPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isBlank() || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            throw new IllegalArgumentException("host must be a name or an address, got '" + host + "'");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
    }

    /** The one spelling of {@code host} and {@code port}, for keys and messages alike. */
    public static String format(String host, int port) {
        return new HostAndPort(host, port).toString();
    }

    /**
     * Reads {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; an IPv6 literal without brackets
     * is taken whole as the host, since its last colon is no port separator.
     *
     * @throws IllegalArgumentException naming {@code text} and what is wrong with it
     */
    public static HostAndPort parse(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected HOST[:PORT], got '" + text + "'");
        }
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 < text.length() && text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [ADDRESS] or [ADDRESS]:PORT, got '" + text + "'");
            }
            host = text.substring(1, close);
            port = close + 1 < text.length() ? text.substring(close + 2) : null;
        } else {
            int colon = text.indexOf(':');
            boolean onePort = colon >= 0 && colon == text.lastIndexOf(':');
            host = onePort ? text.substring(0, colon) : text;
            port = onePort ? text.substring(colon + 1) : null;
        }
        try {
            return new HostAndPort(host, port == null ? defaultPort : parsePort(port));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in '" + text + "'", e);
        }
    }

    private static int parsePort(String text) {
        if (!text.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("port must be a number 1..65535, got '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
