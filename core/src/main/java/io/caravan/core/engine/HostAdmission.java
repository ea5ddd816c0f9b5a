package io.caravan.core.engine;

import java.util.Map;

import io.caravan.core.jobs.HostPool;
import io.caravan.core.ssh.SshTarget;

/**
 * Which hosts this engine may start attempts on now, and how many: in a cluster only the hosts it owns,
 * and for a pool only as many attempts as those hosts have free slots, so the rest stay for other nodes.
 */
public interface HostAdmission {
    /** One process on its own: every host, and pool attempts wait for their slot in the process. */
    HostAdmission OPEN = new HostAdmission() {
        @Override
        public boolean admits(SshTarget target) {
            return true;
        }

        @Override
        public Map<String, Integer> freeSlots(HostPool pool) {
            return null;
        }
    };

    boolean admits(SshTarget target);

    /** Free slots per pool host ({@code host:port}) this engine may use; null: any host, no limit. */
    Map<String, Integer> freeSlots(HostPool pool);
}
