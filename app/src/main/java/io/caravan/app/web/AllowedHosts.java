package io.caravan.app.web;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The names a request's {@code Host} may carry: the bound address with the bound port (on loopback also
 * {@code 127.0.0.1}, {@code localhost} and {@code [::1]}; bound to every address, each of this machine's), and
 * with any port the names given with {@code --allowed-host} (a DNS name, a reverse proxy's). A page on another
 * site whose name an attacker points at this machine (DNS rebinding) sends its own name, and gets no answer.
 */
final class AllowedHosts {
    private static final List<String> LOOPBACK_NAMES = List.of("127.0.0.1", "localhost", "::1");

    private final Set<String> local;
    private final Set<String> named;
    private final int port;
    private final int defaultPort;

    private AllowedHosts(Set<String> local, Set<String> named, int port, int defaultPort) {
        this.local = local;
        this.named = named;
        this.port = port;
        this.defaultPort = defaultPort;
    }

    static AllowedHosts of(WebServer.Settings settings) {
        Set<String> local = new HashSet<>();
        local.add(normal(settings.bind()));
        InetAddress bound = settings.address();
        local.add(normal(bound.getHostAddress()));
        if (bound.isLoopbackAddress() || bound.isAnyLocalAddress()) {
            LOOPBACK_NAMES.forEach(n -> local.add(normal(n)));
        }
        if (bound.isAnyLocalAddress()) {
            local.addAll(interfaceAddresses());
        }
        Set<String> named = new HashSet<>();
        settings.allowedHosts().forEach(n -> named.add(normal(n)));
        return new AllowedHosts(local, named, settings.port(), settings.tls() != null ? 443 : 80);
    }

    /**
     * @param host the Host header's name or address, brackets around an IPv6 address or not
     * @param port its port, negative when it names none
     */
    boolean allows(String host, int port) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String name = normal(host);
        if (named.contains(name)) {
            return true;
        }
        return local.contains(name) && (port == this.port || port < 0 && this.port == defaultPort);
    }

    /** One spelling per name: lower case, no trailing dot, an IPv6 address in Java's full form without brackets. */
    static String normal(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        int scope = h.indexOf('%');
        if (scope >= 0) {
            h = h.substring(0, scope);
        }
        if (h.indexOf(':') >= 0) {
            try {
                // in brackets Java parses it as an IPv6 literal and never asks DNS
                return InetAddress.getByName("[" + h + "]").getHostAddress();
            } catch (UnknownHostException e) {
                return h;
            }
        }
        return h;
    }

    private static Set<String> interfaceAddresses() {
        Set<String> found = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                Collections.list(nic.getInetAddresses()).forEach(a -> found.add(normal(a.getHostAddress())));
            }
        } catch (SocketException e) {
            // no interfaces to list: the loopback names and --allowed-host still apply
        }
        return found;
    }
}
