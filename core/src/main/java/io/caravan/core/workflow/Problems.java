package io.caravan.core.workflow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Collects the problems of one file, so a user sees all of them at once rather than one per attempt. */
final class Problems {
    private final Path file;
    private final String text;
    private final int max;
    private final List<WorkflowError> errors = new ArrayList<>();
    private int unlisted;
    private int[] codePoints;

    /** @param text the file's text, so that a problem inside a scalar can be placed where it is, not at the scalar */
    Problems(Path file, String text) {
        this(file, text, WorkflowLimits.DEFAULTS.maxProblems());
    }

    /** @param max problems listed; a file with more (a generated one, say) gets the count of the rest */
    Problems(Path file, String text, int max) {
        this.file = file;
        this.text = text;
        this.max = max;
    }

    /** The file being read: where its relative local paths (staged files) are resolved. */
    Path file() {
        return file;
    }

    void at(Node node, String message) {
        at(node == null ? null : node.getStartMark().orElse(null), message);
    }

    void at(Mark mark, String message) {
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        add(new WorkflowError(file, line, column, message));
    }

    private void add(WorkflowError error) {
        if (errors.size() < max) {
            errors.add(error);
        } else {
            unlisted++;
        }
    }

    /**
     * A problem at the '{{' that starts {@code offset} characters into a template's text, the value of {@code node}:
     * it is placed at the same '{{' of the scalar as the file writes it (counted from the scalar's start, past a
     * block scalar's indicator line), or at the scalar if that cannot be found.
     */
    void at(Node node, int offset, String message) {
        if (errors.size() >= max) {
            unlisted++; // not placed: finding the place scans the scalar, and a file may have thousands of these
            return;
        }
        int[] place = node instanceof ScalarNode scalar ? place(scalar, offset) : null;
        if (place == null) {
            at(node, message);
        } else {
            add(new WorkflowError(file, place[0] + 1, place[1] + 1, message));
        }
    }

    private int[] place(ScalarNode scalar, int offset) {
        Mark start = scalar.getStartMark().orElse(null);
        Mark end = scalar.getEndMark().orElse(null);
        String value = scalar.getValue();
        if (start == null || end == null || !value.startsWith("{{", offset)) {
            return null;
        }
        int wanted = 0;
        for (int at = value.indexOf("{{"); at >= 0 && at < offset; at = value.indexOf("{{", at + 2)) {
            wanted++;
        }
        if (codePoints == null) {
            codePoints = text.codePoints().toArray();
        }
        boolean header =
                scalar.getScalarStyle() == ScalarStyle.LITERAL || scalar.getScalarStyle() == ScalarStyle.FOLDED;
        int line = start.getLine();
        int column = start.getColumn();
        for (int i = start.getIndex(); i < Math.min(end.getIndex(), codePoints.length); i++, column++) {
            int c = codePoints[i];
            if (!header && c == '{' && i + 1 < codePoints.length && codePoints[i + 1] == '{') {
                if (wanted-- == 0) {
                    return new int[] {line, column};
                }
                i++;
                column++;
            } else if (c == '\n' || (c == '\r' && (i + 1 == codePoints.length || codePoints[i + 1] != '\n'))) {
                line++;
                column = -1;
                header = false;
            }
        }
        return null;
    }

    /** How many problems were found so far, listed or not. */
    int count() {
        return errors.size() + unlisted;
    }

    boolean any() {
        return !errors.isEmpty();
    }

    void throwIfAny() throws InvalidWorkflowException {
        if (any()) {
            List<WorkflowError> sorted = new ArrayList<>(errors);
            Collections.sort(sorted);
            if (unlisted > 0) {
                WorkflowError lastListed = sorted.get(sorted.size() - 1);
                sorted.add(new WorkflowError(
                        file,
                        lastListed.line(),
                        lastListed.column(),
                        "... and " + unlisted + " more problems (only the first " + max + " are listed)"));
            }
            throw new InvalidWorkflowException(sorted);
        }
    }
}
