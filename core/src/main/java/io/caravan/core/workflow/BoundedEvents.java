package io.caravan.core.workflow;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * SnakeYAML's parse events, passed on to its composer only while the document stays within {@link WorkflowLimits}.
 * The composer itself shares an aliased node rather than copying it, so a file of 25 doubling aliases composes
 * quickly, and only blows up later when the loader walks it (2^25 values); and it recurses once per nesting
 * level. So this counts what the walk will see, each alias weighing as much as its anchor's whole subtree, and
 * the depth, as events go by, and stops at the first event over a limit with that event's place in the file.
 */
final class BoundedEvents implements Parser {
    /** A limit exceeded, at the event that exceeded it. */
    static final class LimitExceeded extends MarkedYamlEngineException {
        LimitExceeded(String problem, Optional<Mark> mark) {
            super("", Optional.empty(), problem, mark);
        }
    }

    /** An open list or mapping: its anchor, if any, and the values in it so far (itself included). */
    private static final class Open {
        final Anchor anchor;
        long values = 1;

        Open(Anchor anchor) {
            this.anchor = anchor;
        }
    }

    private final Parser events;
    private final WorkflowLimits limits;
    private final Deque<Open> open = new ArrayDeque<>();
    private final Map<Anchor, Long> weights = new HashMap<>();
    private long values;
    private Optional<Mark> last = Optional.empty();

    BoundedEvents(Parser events, WorkflowLimits limits) {
        this.events = events;
        this.limits = limits;
    }

    /** The place of the last event read: where to put a problem SnakeYAML reports without one. */
    Optional<Mark> lastMark() {
        return last;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return events.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return events.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return events.hasNext();
    }

    @Override
    public Event next() {
        Event event = events.next();
        last = event.getStartMark().or(() -> last);
        switch (event.getEventId()) {
            case Scalar -> add(1, event);
            case Alias -> add(weightOf(((AliasEvent) event).getAlias(), event), event);
            case SequenceStart, MappingStart -> {
                if (open.size() >= limits.maxDepth()) {
                    throw new LimitExceeded(
                            "nested more than " + limits.maxDepth()
                                    + " levels deep (lists and mappings inside each other); a workflow needs a handful",
                            event.getStartMark());
                }
                add(1, event);
                open.push(new Open(((CollectionStartEvent) event).getAnchor().orElse(null)));
            }
            case SequenceEnd, MappingEnd -> close();
            default -> {
                // stream and document boundaries, comments: nothing to count
            }
        }
        if (event instanceof NodeEvent node
                && !(event instanceof CollectionStartEvent)
                && !(event instanceof AliasEvent)) {
            node.getAnchor().ifPresent(a -> weights.put(a, 1L));
        }
        return event;
    }

    private long weightOf(Anchor alias, Event event) {
        for (Open o : open) {
            if (alias.equals(o.anchor)) {
                throw new LimitExceeded(
                        "alias *" + alias + " refers to a list or mapping that contains it: a recursive"
                                + " value has no end",
                        event.getStartMark());
            }
        }
        return weights.getOrDefault(alias, 1L); // an unknown alias is the composer's error to report
    }

    private void add(long weight, Event event) {
        values += weight;
        open.forEach(o -> o.values += weight);
        if (values > limits.maxValues()) {
            throw new LimitExceeded(
                    "more than " + limits.maxValues() + " values once aliases are expanded"
                            + (event instanceof AliasEvent a
                                    ? " (alias *" + a.getAlias() + " stands for " + weight + ")"
                                    : "")
                            + "; a workflow needs far fewer",
                    event.getStartMark());
        }
    }

    private void close() {
        Open closed = open.pop();
        if (closed.anchor != null) {
            weights.put(closed.anchor, closed.values);
        }
    }
}
