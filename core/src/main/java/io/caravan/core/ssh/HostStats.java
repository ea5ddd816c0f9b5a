package io.caravan.core.ssh;

import java.util.Map;

/**
 * One sshd's figures as the run report shows them (SPEC §6, `ssh` per host).
 *
 * @param handshakes        completed logins (what sshd's log calls "Accepted ...")
 * @param handshakeFailures failed connection attempts by {@link FailureKind#tag()}
 * @param reconnects        connections opened again after a connection was lost or an attempt failed
 */
public record HostStats(
        String host,
        long handshakes,
        Map<String, Long> handshakeFailures,
        long channelsOpened,
        long channelRefusals,
        long reconnects) {

    public long handshakeFailureCount() {
        return handshakeFailures.values().stream().mapToLong(Long::longValue).sum();
    }
}
