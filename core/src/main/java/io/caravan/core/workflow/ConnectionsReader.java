package io.caravan.core.workflow;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.Secret;
import io.caravan.core.ssh.SshTarget;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/** Reads {@code connections:}: each SSH host a task can target, checked where it is written (jump hosts, key policy, passphrase variable). */
final class ConnectionsReader {
    private static final Set<String> CONNECTION_KEYS = Set.of(
            "host", "port", "user", "identity", "known_hosts", "host_key_policy", "jump", "identity_passphrase_env");

    private ConnectionsReader() {}

    static Map<String, ConnectionDefinition> read(MappingReader top, Problems problems) {
        Map<String, ConnectionDefinition> result = new LinkedHashMap<>();
        Map<String, NodeTuple> entries = top.node("connections")
                .map(n -> MappingReader.entries(n, problems, "connections"))
                .orElse(Map.of());
        entries.forEach((name, tuple) -> MappingReader.of(
                        tuple.getValueNode(), problems, "connection '" + name + "'", CONNECTION_KEYS)
                .ifPresent(c -> {
                    String policyText = c.text("host_key_policy").orElse(HostKeyPolicy.STRICT.configName());
                    HostKeyPolicy policy = HostKeyPolicy.STRICT;
                    try {
                        policy = HostKeyPolicy.parse(policyText);
                    } catch (IllegalArgumentException e) {
                        problems.at(c.node("host_key_policy").orElseThrow(), e.getMessage());
                    }
                    String jump = c.text("jump").orElse(null);
                    if (jump != null && !entries.containsKey(jump)) {
                        problems.at(
                                c.node("jump").orElseThrow(),
                                "connection '" + name + "' jumps through unknown connection '" + jump + "'"
                                        + Suggestions.didYouMean(jump, entries.keySet()));
                    }
                    String passphraseEnv = c.text("identity_passphrase_env").orElse(null);
                    if (passphraseEnv != null && !Secret.validEnvName(passphraseEnv)) {
                        problems.at(
                                c.node("identity_passphrase_env").orElseThrow(),
                                "identity_passphrase_env must name an environment"
                                        + " variable ([A-Za-z_][A-Za-z0-9_]*), not hold the passphrase itself");
                    } else if (passphraseEnv != null && c.node("identity").isEmpty()) {
                        problems.at(
                                c.node("identity_passphrase_env").orElseThrow(),
                                "identity_passphrase_env without identity: "
                                        + "name the key file it unlocks with identity:");
                    }
                    result.put(
                            name,
                            new ConnectionDefinition(
                                    name,
                                    c.requiredText("host").orElse("?"),
                                    c.integer("port", 1).orElse(SshTarget.DEFAULT_PORT),
                                    c.requiredText("user").orElse("?"),
                                    c.text("identity")
                                            .map(ConnectionsReader::expandHome)
                                            .orElse(null),
                                    c.text("known_hosts")
                                            .map(ConnectionsReader::expandHome)
                                            .orElse(null),
                                    policy,
                                    jump,
                                    passphraseEnv));
                }));
        return result;
    }

    private static Path expandHome(String path) {
        return Path.of(path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path);
    }
}
