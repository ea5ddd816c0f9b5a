package io.caravan.core.storage;

import io.caravan.core.workflow.HostCapacity;
import io.caravan.core.workflow.MemorySize;
import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A host of a pool, how many jobs it takes at once and what it offers them. */
@Entity
@Table(name = "pool_hosts")
class PoolHostRecord {
    @EmbeddedId
    private PoolHostKey key;

    @Column(nullable = false)
    private int slots;
    /** GPUs 0 to gpus - 1; 0: none declared. */
    @Column(nullable = false)
    private int gpus;

    @Column(name = "gpus_auto", nullable = false)
    private boolean gpusAuto;

    @Column(name = "gpu_type")
    private String gpuType;

    @Column(nullable = false)
    private int cpus;

    @Column(name = "mem_bytes")
    private Long memBytes;

    protected PoolHostRecord() {}

    PoolHostRecord(String pool, String connection, int slots, HostCapacity capacity) {
        this.key = new PoolHostKey(pool, connection);
        this.slots = slots;
        this.gpus = capacity.gpus().size();
        this.gpusAuto = capacity.gpusAuto();
        this.gpuType = capacity.gpuType();
        this.cpus = capacity.cpus();
        this.memBytes = capacity.mem() == null ? null : capacity.mem().bytes();
    }

    public HostCapacity capacity() {
        return new HostCapacity(
                HostCapacity.indices(gpus),
                gpusAuto,
                gpuType,
                cpus,
                memBytes == null ? null : new MemorySize(memBytes));
    }

    String pool() {
        return key.pool();
    }

    String connection() {
        return key.connection();
    }

    int slots() {
        return slots;
    }
}
