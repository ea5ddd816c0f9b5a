package io.caravan.core.workflow;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.quartz.CronExpression;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads a workflow file (SPEC §5) and checks everything that can be checked before a run. Nothing of
 * an invalid file is used: it fails with every problem as {@code file:line:column: message}.
 *
 * <p>A little longer than most classes: it keeps the phases of a load (bounded read, compose, top-level keys,
 * schedule, params, defaults, then each part's own reader: {@link ConnectionsReader}, {@link PoolReader},
 * {@link TaskReader}, and last the checks across tasks) in their order in one place.
 */
public final class WorkflowLoader {
    private static final Set<String> TOP_KEYS = Set.of(
            "workflow",
            "description",
            "schedule",
            "catchup",
            "params",
            "connections",
            "pools",
            "defaults",
            "tasks",
            "on_failure",
            "on_success",
            "on_retry",
            "on_late",
            "sla",
            "timeout",
            "max_active_runs",
            "overlap");
    private static final Set<String> DEFAULT_KEYS =
            Set.of("retries", "retry_delay", "timeout", "target", "max_active", "resources");

    private final TaskKinds kinds;
    private final Set<String> storedPools;
    private final WorkflowLimits limits;
    private final boolean storedPoolsUnchecked;

    public WorkflowLoader(TaskKinds kinds) {
        this(kinds, Set.of());
    }

    /** @param storedPools pools kept in the database ({@code caravan pool add-ssh}) that tasks may target */
    public WorkflowLoader(TaskKinds kinds, Set<String> storedPools) {
        this(kinds, storedPools, WorkflowLimits.DEFAULTS, false);
    }

    public WorkflowLoader(TaskKinds kinds, Set<String> storedPools, WorkflowLimits limits) {
        this(kinds, storedPools, limits, false);
    }

    private WorkflowLoader(
            TaskKinds kinds, Set<String> storedPools, WorkflowLimits limits, boolean storedPoolsUnchecked) {
        this.kinds = kinds;
        this.storedPools = Set.copyOf(storedPools);
        this.limits = limits;
        this.storedPoolsUnchecked = storedPoolsUnchecked;
    }

    /**
     * A loader that does not know the database's pools (validating opens no database): a remote job's target
     * that is neither a connection nor a pool of the file is taken for a stored pool, for the run to check;
     * {@link #uncheckedTargets} lists them.
     */
    public static WorkflowLoader withUncheckedStoredPools(TaskKinds kinds) {
        return new WorkflowLoader(kinds, Set.of(), WorkflowLimits.DEFAULTS, true);
    }

    /** Targets of a loaded workflow that name neither one of its connections nor one of its pools. */
    public static Set<String> uncheckedTargets(WorkflowDefinition workflow) {
        Set<String> targets = new TreeSet<>();
        workflow.tasks().values().stream()
                .map(TaskDefinition::target)
                .filter(Objects::nonNull)
                .filter(t -> !workflow.connections().containsKey(t)
                        && !workflow.pools().containsKey(t))
                .forEach(targets::add);
        return targets;
    }

    public WorkflowDefinition load(Path file) throws IOException, InvalidWorkflowException {
        return load(file, Map.of());
    }

    /** @param overrides {@code --set name=value} pairs; each must name a declared param */
    public WorkflowDefinition load(Path file, Map<String, String> overrides)
            throws IOException, InvalidWorkflowException {
        return parse(file, read(file), overrides);
    }

    /**
     * A workflow file's text, refused before it is parsed when it is over the size limit or not UTF-8; at most
     * the limit and one byte are read, whatever the file is (a FIFO or a link to {@code /dev/zero} included).
     */
    public String read(Path file) throws IOException, InvalidWorkflowException {
        return WorkflowText.read(file, limits);
    }

    /**
     * A file's text once it is known to be within the limits and well-formed YAML, before anything costly (a
     * database, Camel) is started for it; what it says is checked by {@link #parse}.
     */
    public static String readYaml(Path file, WorkflowLimits limits) throws IOException, InvalidWorkflowException {
        WorkflowLoader syntaxOnly = new WorkflowLoader(TaskKinds.builtIn(), Set.of(), limits);
        String text = syntaxOnly.read(file);
        Problems problems = new Problems(file, text, limits.maxProblems());
        syntaxOnly.compose(file, text, problems);
        problems.throwIfAny();
        return text;
    }

    /**
     * Every plain value under {@code key} anywhere in a workflow's text (say each {@code workdir_base} of its job
     * tasks, whatever plugin's); none when the text is not within the limits or not YAML.
     */
    public static Set<String> valuesOf(String key, Path file, String text) {
        WorkflowLoader syntaxOnly = new WorkflowLoader(TaskKinds.builtIn());
        Set<String> found = new LinkedHashSet<>();
        try {
            WorkflowText.checkSize(file, text, syntaxOnly.limits);
            Problems problems = new Problems(file, text, 1);
            syntaxOnly.compose(file, text, problems).ifPresent(root -> YamlValues.valuesOf(key, root, found));
        } catch (InvalidWorkflowException e) {
            // too large: no values
        }
        return found;
    }

    /**
     * The params a valid workflow's text declares, each with its rules (for a trigger form); plain {@code name: value}
     * entries are typed by their value. Empty for text that is not a valid workflow's.
     */
    public static Map<String, ParamSpec> paramSpecs(Path file, String text) {
        WorkflowLoader syntaxOnly = new WorkflowLoader(TaskKinds.builtIn());
        Problems problems = new Problems(file, text);
        try {
            WorkflowText.checkSize(file, text, syntaxOnly.limits);
            return syntaxOnly
                    .compose(file, text, problems)
                    .flatMap(root -> MappingReader.of(root, problems, "the workflow", TOP_KEYS))
                    .flatMap(top -> top.node("params"))
                    .map(n -> ParamReader.specs(MappingReader.entries(n, problems, "params"), problems))
                    .orElse(Map.of());
        } catch (InvalidWorkflowException | RuntimeException e) {
            return Map.of();
        }
    }

    /** A workflow from text, named {@code file} in messages (a resumed run's stored copy, say). */
    public WorkflowDefinition parse(Path file, String text, Map<String, String> overrides)
            throws InvalidWorkflowException {
        WorkflowText.checkSize(file, text, limits);
        Problems problems = new Problems(file, text, limits.maxProblems());
        Optional<Node> root = compose(file, text, problems);
        problems.throwIfAny();
        if (root.isEmpty()) {
            problems.at((Node) null, "empty workflow file: it needs at least 'workflow:' and 'tasks:'");
            problems.throwIfAny();
        }
        MappingReader top =
                MappingReader.of(root.get(), problems, "the workflow", TOP_KEYS).orElse(null);
        if (top == null) {
            problems.throwIfAny();
        }
        String id = top.requiredText("workflow").orElse("?");
        if (top.has("workflow") && !TaskReader.ID.matcher(id).matches()) {
            problems.at(top.node("workflow").orElseThrow(), "workflow id '" + id + "' must match [a-z0-9_-]+");
        }
        String schedule = top.text("schedule").orElse(null);
        if (schedule != null) {
            checkCron(schedule, top.node("schedule").orElseThrow(), problems);
        }
        try {
            Map<String, Object> params = ParamReader.values(top, overrides, problems);
            Map<String, ConnectionDefinition> connections = ConnectionsReader.read(top, problems);
            Map<String, PoolDefinition> pools = PoolReader.read(top, connections, problems);
            TaskDefaults defaults = defaults(top, problems);
            Set<String> declared = new LinkedHashSet<>();
            Map<String, ParsedTask> tasks = tasks(top, defaults, params, problems, declared);
            Notifications notifications = NotificationReader.read(top, params, problems);
            new WorkflowChecks(
                            tasks,
                            declared,
                            params,
                            connections,
                            pools.keySet(),
                            storedPools,
                            storedPoolsUnchecked,
                            problems)
                    .run();
            problems.throwIfAny();
            Map<String, TaskDefinition> definitions = new LinkedHashMap<>();
            tasks.forEach((name, t) -> definitions.put(name, t.definition()));
            RunLimits runLimits = runLimits(top, problems);
            problems.throwIfAny();
            return new WorkflowDefinition(
                    file,
                    id,
                    schedule,
                    top.bool("catchup").orElse(false),
                    params,
                    connections,
                    pools,
                    definitions,
                    notifications,
                    runLimits);
        } catch (YamlValues.BadValue e) {
            problems.at(e.node, e.getMessage()); // a value Java cannot hold: what was found so far, and this
            problems.throwIfAny();
            throw e;
        }
    }

    private Optional<Node> compose(Path file, String text, Problems problems) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.toString())
                .setMaxAliasesForCollections(limits.maxAliases())
                .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxBytes()))
                .setAllowRecursiveKeys(false)
                .build();
        BoundedEvents events = new BoundedEvents(new ParserImpl(settings, new StreamReader(settings, text)), limits);
        try {
            return new Composer(settings, events).getSingleNode();
        } catch (BoundedEvents.LimitExceeded e) {
            problems.at(e.getProblemMark().orElse(null), e.getProblem());
        } catch (MarkedYamlEngineException e) {
            YamlSyntaxError syntax = YamlSyntaxError.of(e);
            problems.at(syntax.mark(), syntax.message());
        } catch (YamlEngineException e) {
            // SnakeYAML's own limits (aliases, code points) say no place: the last event read is where it stopped
            problems.at(events.lastMark().orElse(null), "refused by the YAML reader: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static RunLimits runLimits(MappingReader top, Problems problems) {
        RunLimits.Overlap overlap = RunLimits.DEFAULTS.overlap();
        String text = top.text("overlap").orElse(null);
        if (text != null) {
            try {
                overlap = RunLimits.Overlap.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.at(
                        top.node("overlap").orElseThrow(), "overlap must be skip, queue or allow, got '" + text + "'");
            }
        }
        return new RunLimits(
                top.duration("timeout").orElse(null),
                top.integer("max_active_runs", 1).orElse(RunLimits.DEFAULTS.maxActiveRuns()),
                overlap);
    }

    private static void checkCron(String schedule, Node node, Problems problems) {
        try {
            CronExpression.validateExpression(schedule);
            if (new CronExpression(schedule).getNextValidTimeAfter(new Date()) == null) {
                problems.at(
                        node,
                        "cron expression '" + schedule + "' never fires from now on (a date that does not"
                                + " exist, or a year past)");
            }
        } catch (ParseException | RuntimeException e) { // some it validates fail only when a time is asked of them
            problems.at(
                    node,
                    "bad cron expression '" + schedule + "': " + e.getMessage()
                            + " (Quartz syntax: seconds minutes hours day-of-month month day-of-week [year], e.g. \"0 0 2 * * ?\")");
        }
    }

    private static TaskDefaults defaults(MappingReader top, Problems problems) {
        TaskDefaults builtIn = TaskDefaults.builtIn();
        return top.node("defaults")
                .flatMap(n -> MappingReader.of(n, problems, "defaults", DEFAULT_KEYS))
                .map(d -> new TaskDefaults(
                        d.integer("retries", 0).orElse(builtIn.retries()),
                        d.duration("retry_delay").orElse(builtIn.retryDelay()),
                        d.duration("timeout").orElse(builtIn.timeout()),
                        d.text("target").orElse(builtIn.target()),
                        d.integer("max_active", 1).orElse(builtIn.maxActive()),
                        d.node("resources")
                                .map(r -> ResourcesReader.read(r, problems, "resources of defaults"))
                                .orElse(builtIn.resources())))
                .orElse(builtIn);
    }

    /** @param declared filled with every task name, also of tasks too broken to read (a dependency on one is no error of its own) */
    private Map<String, ParsedTask> tasks(
            MappingReader top,
            TaskDefaults defaults,
            Map<String, Object> params,
            Problems problems,
            Set<String> declared) {
        Map<String, ParsedTask> tasks = new LinkedHashMap<>();
        if (!top.has("tasks")) {
            problems.at(top.anchor(), "the workflow needs 'tasks:'");
            return tasks;
        }
        Map<String, NodeTuple> entries = MappingReader.entries(top.node("tasks").orElseThrow(), problems, "tasks");
        if (entries.isEmpty()) {
            problems.at(top.node("tasks").orElseThrow(), "'tasks' is empty: a workflow needs at least one task");
        }
        TaskReader reader = new TaskReader(kinds, defaults, params, problems);
        declared.addAll(entries.keySet());
        entries.forEach((id, entry) -> reader.read(id, entry).ifPresent(t -> tasks.put(id, t)));
        return tasks;
    }
}
