package io.caravan.core.jobs;

import java.util.List;

import io.caravan.core.ssh.SshTarget;
import io.caravan.core.workflow.HostCapacity;

/** Hosts that share a pool's work, each running at most {@code slots} jobs at once within its capacity. */
public record HostPool(String name, List<Member> members) {

    public HostPool {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("pool '" + name + "' has no hosts");
        }
        members = List.copyOf(members);
    }

    /** Whether some host's GPUs are still to be read from it ({@code gpus: auto}). */
    public boolean readsGpus() {
        return members.stream().anyMatch(m -> m.capacity().gpusAuto());
    }

    /** One host of a pool: how many jobs it runs at once, and what it offers them. */
    public record Member(SshTarget target, int slots, HostCapacity capacity) {
        public Member {
            if (slots < 1) {
                throw new IllegalArgumentException("slots must be at least 1, got " + slots + " for " + target);
            }
            capacity = capacity == null ? HostCapacity.NONE : capacity;
        }

        public Member(SshTarget target, int slots) {
            this(target, slots, HostCapacity.NONE);
        }

        public String hostAndPort() {
            return target.hostAndPort();
        }
    }
}
