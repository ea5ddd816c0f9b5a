package io.caravan.app.workflow;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.caravan.app.console.ProgressLine;
import io.caravan.core.engine.RunListener;
import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;

/** Counts what a run's tasks are doing, and draws it: tasks done/running/failed, the busiest fan-out as a bar. */
public final class RunProgress implements RunListener {
    private final Map<String, Counts> tasks = new LinkedHashMap<>();
    private final Map<String, TaskState> ended = new ConcurrentHashMap<>();
    private final ProgressLine line;

    public RunProgress(Iterable<String> taskIds, PrintStream out) {
        taskIds.forEach(id -> tasks.put(id, new Counts()));
        this.line = new ProgressLine(out);
    }

    /** Instance counters of one task. */
    static final class Counts {
        final AtomicInteger items = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger retried = new AtomicInteger();
    }

    @Override
    public void taskReady(String taskId, int items) {
        tasks.get(taskId).items.set(items);
        draw();
    }

    @Override
    public void taskEnded(String taskId, TaskState state) {
        ended.put(taskId, state);
        draw();
    }

    @Override
    public void attemptStarted(String taskId, int itemIndex) {
        tasks.get(taskId).running.incrementAndGet();
    }

    @Override
    public void attemptEnded(String taskId, int itemIndex, TaskState state, String error) {
        Counts c = tasks.get(taskId);
        c.running.decrementAndGet();
        switch (state) {
            case SUCCEEDED -> c.done.incrementAndGet();
            case READY -> c.retried.incrementAndGet();
            default -> c.failed.incrementAndGet();
        }
        draw();
    }

    @Override
    public void runEnded(RunState state) {
        draw();
        line.finish();
    }

    void draw() {
        long done = ended.size();
        Map<TaskState, Long> byState =
                ended.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        Map.Entry<String, Counts> widest = tasks.entrySet().stream()
                .filter(e ->
                        !ended.containsKey(e.getKey()) && e.getValue().items.get() > 1)
                .max((a, b) -> Integer.compare(
                        a.getValue().items.get(), b.getValue().items.get()))
                .orElse(null);
        String running = tasks.entrySet().stream()
                .filter(e -> e.getValue().running.get() > 0)
                .map(Map.Entry::getKey)
                .collect(Collectors.joining(","));
        String details = "tasks done" + (byState.isEmpty() ? "" : " (" + RunSummary.tally(byState) + ")")
                + (running.isEmpty() ? "" : "; running: " + running);
        if (widest != null) {
            Counts c = widest.getValue();
            details += "; " + widest.getKey() + " " + ProgressLine.bar(c.done.get() + c.failed.get(), c.items.get())
                    + " " + (c.done.get() + c.failed.get()) + "/" + c.items.get()
                    + " (" + c.failed.get() + " failed, " + c.retried.get() + " retries)";
        }
        line.show("run", done, tasks.size(), details);
    }
}
