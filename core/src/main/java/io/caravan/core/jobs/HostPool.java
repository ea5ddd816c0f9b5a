package io.caravan.core.jobs;

import java.util.List;

import io.caravan.core.ssh.SshTarget;

/** Hosts that share a pool's work, each running at most {@code slots} jobs at once. */
public record HostPool(String name, List<Member> members) {

    public HostPool {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("pool '" + name + "' has no hosts");
        }
        members = List.copyOf(members);
    }

    /** One host of a pool. */
    public record Member(SshTarget target, int slots) {
        public Member {
            if (slots < 1) {
                throw new IllegalArgumentException("slots must be at least 1, got " + slots + " for " + target);
            }
        }
    }
}
