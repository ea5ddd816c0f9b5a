package io.caravan.core.workflow;

import java.util.List;
import java.util.stream.Collectors;

/** A template that cannot be used: each problem at its offset in the template's text (the '{{' it concerns). */
public final class TemplateException extends IllegalArgumentException {
    /** One problem, {@code offset} characters into the template's text. */
    public record Problem(int offset, String message) {}

    private final transient List<Problem> problems;

    public TemplateException(List<Problem> problems) {
        super(problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    static TemplateException at(int offset, String message) {
        return new TemplateException(List.of(new Problem(offset, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
