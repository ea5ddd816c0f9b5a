package io.caravan.core.engine;

import java.time.Clock;
import java.util.concurrent.ExecutorService;

import io.caravan.core.notify.Notifier;
import io.caravan.core.storage.RunStore;

/**
 * What every run an engine drives shares: where runs are kept, what runs their tasks and on which threads,
 * where attempts may go, and where notifications go.
 *
 * @param pools pools kept outside workflows, for tasks that target one
 * @param admission the hosts this engine may start attempts on now
 */
record EngineParts(
        RunStore store,
        TaskExecutors executors,
        EngineSettings settings,
        Clock clock,
        ExecutorService workers,
        PoolDirectory pools,
        HostAdmission admission,
        Notifier notifier) {}
