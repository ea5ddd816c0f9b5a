package io.caravan.core.workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Checks across tasks: dependencies exist and form no cycle, targets exist, templates name only what exists. */
final class WorkflowChecks {
    static final Set<String> RUN_FIELDS = Set.of("id", "workflow", "date", "timestamp");

    private final Map<String, ParsedTask> tasks;
    private final Set<String> declared;
    private final boolean storedPoolsUnchecked;
    private final Map<String, Object> params;
    private final Map<String, ConnectionDefinition> connections;
    private final Set<String> pools;
    private final Problems problems;

    /**
     * @param declared             every task name of the file, also of those too broken to read
     * @param storedPoolsUnchecked the database's pools are not known: a remote job's unknown target may be one
     */
    WorkflowChecks(
            Map<String, ParsedTask> tasks,
            Set<String> declared,
            Map<String, Object> params,
            Map<String, ConnectionDefinition> connections,
            Set<String> filePools,
            Set<String> storedPools,
            boolean storedPoolsUnchecked,
            Problems problems) {
        this.tasks = tasks;
        this.declared = declared;
        this.storedPoolsUnchecked = storedPoolsUnchecked;
        this.params = params;
        this.connections = connections;
        this.pools = new HashSet<>(filePools);
        this.pools.addAll(storedPools);
        this.problems = problems;
    }

    void run() {
        tasks.values().forEach(this::dependencies);
        cycles();
        tasks.values().forEach(this::target);
        tasks.values().forEach(this::templates);
    }

    private void dependencies(ParsedTask task) {
        for (ScalarNode dep : task.dependsOnNodes()) {
            if (!declared.contains(dep.getValue())) {
                problems.at(
                        dep,
                        "task '" + task.definition().id() + "' depends on unknown task '" + dep.getValue() + "'"
                                + Suggestions.didYouMean(dep.getValue(), declared));
            } else if (dep.getValue().equals(task.definition().id())) {
                problems.at(dep, "task '" + dep.getValue() + "' depends on itself");
            }
        }
    }

    /**
     * Depth-first; a task met again on the current path closes a cycle, reported with its path. Iterative, with
     * the path indexed, so that a chain of thousands of tasks costs neither the stack nor quadratic time.
     */
    private void cycles() {
        Set<String> done = new HashSet<>();
        for (String id : tasks.keySet()) {
            if (!done.contains(id)) {
                walk(id, done);
            }
        }
    }

    private void walk(String root, Set<String> done) {
        List<String> path = new ArrayList<>(List.of(root));
        Map<String, Integer> onPath = new HashMap<>(Map.of(root, 0));
        Deque<Iterator<String>> pending = new ArrayDeque<>(List.of(dependsOn(root)));
        while (!pending.isEmpty()) {
            Iterator<String> deps = pending.peek();
            if (!deps.hasNext()) {
                pending.pop();
                String finished = path.remove(path.size() - 1);
                onPath.remove(finished);
                done.add(finished);
                continue;
            }
            String dep = deps.next();
            if (!tasks.containsKey(dep) || done.contains(dep) || dep.equals(path.get(path.size() - 1))) {
                continue;
            }
            Integer seen = onPath.get(dep);
            if (seen != null) {
                List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
                cycle.add(dep);
                problems.at(tasks.get(dep).idNode(), "dependency cycle: " + shown(cycle));
                done.addAll(path); // report each cycle once, not once per task on it
                return;
            }
            onPath.put(dep, path.size());
            path.add(dep);
            pending.push(dependsOn(dep));
        }
    }

    private Iterator<String> dependsOn(String id) {
        return tasks.get(id).definition().dependsOn().iterator();
    }

    /** A cycle as one readable line: a long one by its ends and its length. */
    private static String shown(List<String> cycle) {
        if (cycle.size() <= 21) {
            return String.join(" -> ", cycle);
        }
        return String.join(" -> ", cycle.subList(0, 10)) + " -> … (" + (cycle.size() - 20) + " more) -> "
                + String.join(" -> ", cycle.subList(cycle.size() - 10, cycle.size()));
    }

    private void target(ParsedTask task) {
        TaskDefinition t = task.definition();
        if (t.target() == null) {
            if (t.kind().needsTarget()) {
                problems.at(
                        task.idNode(),
                        "task '" + t.id() + "' (" + t.kind().key()
                                + ") needs a target: set 'target:' or 'defaults: { target: … }'");
            }
        } else if (pools.contains(t.target()) && !t.kind().onPools()) {
            problems.at(
                    task.targetNode() != null ? task.targetNode() : task.idNode(),
                    "task '" + t.id() + "' (" + t.kind().key() + ") targets pool '" + t.target()
                            + "', but only remote jobs run on pools: name a connection");
        } else if (!connections.containsKey(t.target())
                && !pools.contains(t.target())
                && !(storedPoolsUnchecked && t.kind().onPools())) {
            Set<String> known = new TreeSet<>(connections.keySet());
            known.addAll(pools);
            problems.at(
                    task.targetNode() != null ? task.targetNode() : task.idNode(),
                    "task '" + t.id() + "' targets unknown connection or pool '" + t.target() + "'"
                            + Suggestions.didYouMean(t.target(), known));
        }
    }

    private void templates(ParsedTask task) {
        for (ParsedTask.TemplateAt at : task.templates()) {
            for (Template.Ref ref : at.template().refs()) {
                String problem = problem(ref, task, at.inExpand());
                if (problem != null) {
                    problems.at(at.node(), ref.offset(), ref.written() + ": " + problem);
                }
            }
        }
    }

    private String problem(Template.Ref ref, ParsedTask parsed, boolean inExpand) {
        TaskDefinition task = parsed.definition();
        List<String> path = ref.path();
        switch (ref.root()) {
            case "params":
                if (path.size() < 2 || !params.containsKey(path.get(1))) {
                    String name = path.size() < 2 ? "" : path.get(1);
                    return "unknown param '" + name + "'" + Suggestions.didYouMean(name, params.keySet());
                }
                return null;
            case "run":
                return path.size() == 2 && RUN_FIELDS.contains(path.get(1))
                        ? null
                        : "run has "
                                + String.join(", ", RUN_FIELDS.stream().sorted().toList());
            case "item":
                if (!parsed.expands()) {
                    return "'item' exists only in a task with 'expand'";
                }
                return inExpand ? "'item' cannot define the expansion it comes from" : null;
            case "tasks":
                return upstreamProblem(path, task);
            default:
                return "unknown name '" + ref.root() + "': use params.*, run.*, item or tasks.<id>.output"
                        + Suggestions.didYouMean(ref.root(), List.of("params", "run", "item", "tasks"));
        }
    }

    private String upstreamProblem(List<String> path, TaskDefinition task) {
        if (path.size() < 3 || !path.get(2).equals("output")) {
            return "write tasks.<id>.output";
        }
        String upstream = path.get(1);
        if (!tasks.containsKey(upstream)) {
            return "unknown task '" + upstream + "'" + Suggestions.didYouMean(upstream, tasks.keySet());
        }
        return upstreamOf(task.id(), upstream)
                ? null
                : "task '" + upstream + "' is not upstream of '" + task.id() + "': add it to depends_on";
    }

    /** Whether {@code candidate} is upstream of {@code task}; iterative, for the same reason as {@link #walk}. */
    private boolean upstreamOf(String task, String candidate) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(task));
        while (!todo.isEmpty()) {
            String t = todo.pop();
            if (!seen.add(t) || !tasks.containsKey(t)) {
                continue;
            }
            for (String dep : tasks.get(t).definition().dependsOn()) {
                if (dep.equals(candidate)) {
                    return true;
                }
                todo.push(dep);
            }
        }
        return false;
    }
}
