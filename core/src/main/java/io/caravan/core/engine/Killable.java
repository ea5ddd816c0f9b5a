package io.caravan.core.engine;

/**
 * An attempt the engine can kill, not only let go of: when its run is cancelled, a remote job's process
 * group is killed on its host. An attempt without it is cancelled as a future.
 */
public interface Killable {
    void kill();
}
