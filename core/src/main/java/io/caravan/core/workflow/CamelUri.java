package io.caravan.core.workflow;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code camel:} endpoint URI with {@code {{ }}} in it. Camel decodes a URI's %-escapes more than once
 * ({@code %26} in an option's value becomes a second option, {@code %3F} in the path starts the options)
 * and resolves {@code {{…}}} property placeholders and {@code #bean}/{@code #class:} references in option
 * values, RAW or not. So a value is written for its part of the URI as follows, or refused:
 * <ul>
 *   <li>in the path (after {@code scheme:}, before '?'): %-encoded but for unreserved characters and '/'; a value
 *       holding '?', '&amp;' or '%' is refused, since Camel reads them as URI syntax once decoded;</li>
 *   <li>in an option's value: the option's whole value is passed as Camel's {@code RAW(…)} (or {@code RAW{…}})
 *       when it holds more than unreserved characters;</li>
 *   <li>in the scheme, an option's name, or a RAW(…) the author wrote: refused when the workflow is loaded.</li>
 * </ul>
 * Anywhere, a value with control characters, or one that would make a {@code {{} or {@code ${} (a property
 * placeholder, a simple expression), is refused, and an option's value may not start with a value's '#'.
 */
final class CamelUri implements Template.Writer {
    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    private sealed interface Segment permits Literal, Value, Option {}

    private record Literal(int start, int end) implements Segment {}

    /** A reference's value; {@code inPath} unless it is part of an option's value. */
    private record Value(int slot, boolean raw, boolean inPath) implements Segment {}

    /** An option's value that holds a reference. */
    private record Option(List<Segment> parts) implements Segment {}

    private enum State {
        SCHEME,
        PATH,
        NAME,
        VALUE
    }

    private final String source;
    private final List<Segment> segments = new ArrayList<>();
    private final String[] refusals;

    private CamelUri(String source, int slots) {
        this.source = source;
        this.refusals = new String[slots];
    }

    static CamelUri read(String source, List<Template.Span> spans) {
        CamelUri uri = new CamelUri(source, spans.size());
        State state = State.SCHEME;
        List<Segment> option = null;
        int literal = 0;
        int s = 0;
        for (int i = 0; i <= source.length(); ) {
            List<Segment> into = state == State.VALUE ? option : uri.segments;
            if (s < spans.size() && spans.get(s).start() == i) {
                uri.literal(into, literal, i);
                Template.Span span = spans.get(s);
                if (!span.raw() && state != State.PATH && state != State.VALUE) {
                    uri.refusals[s] = "%1$s stands in the "
                            + (state == State.SCHEME ? "URI's scheme" : "name of an option")
                            + ", where no encoding keeps a value from changing the endpoint: write it literally, or use | raw";
                }
                into.add(new Value(s++, span.raw(), state != State.VALUE));
                i = span.end();
                literal = i;
                continue;
            }
            char c = i < source.length() ? source.charAt(i) : '&';
            if (state == State.SCHEME && c == ':') {
                state = State.PATH;
            } else if (state == State.NAME && c == '=') {
                uri.literal(uri.segments, literal, i + 1);
                literal = i + 1;
                option = new ArrayList<>();
                state = State.VALUE;
            } else if ((state == State.PATH && c == '?')
                    || ((state == State.NAME || state == State.VALUE) && c == '&')) {
                if (state == State.VALUE) {
                    uri.literal(option, literal, Math.min(i, source.length()));
                    literal = i;
                    uri.option(option);
                }
                state = State.NAME;
            }
            i++;
        }
        uri.literal(state == State.VALUE ? option : uri.segments, literal, source.length());
        return uri;
    }

    private void literal(List<Segment> into, int start, int end) {
        if (end > start) {
            into.add(new Literal(start, end));
        }
    }

    /** An option's value ends: if it holds a reference, it is written as a whole, RAW when need be. */
    private void option(List<Segment> parts) {
        if (parts.stream().noneMatch(p -> p instanceof Value v && !v.raw())) {
            segments.addAll(parts);
            return;
        }
        String text = parts.stream()
                .filter(Literal.class::isInstance)
                .map(p -> text((Literal) p))
                .reduce("", String::concat);
        String why = text.startsWith("RAW(") || text.startsWith("RAW{")
                ? "%1$s stands inside a RAW(…) of the URI: drop the RAW(…), Caravan passes a value RAW itself when it needs to"
                : text.contains("%") || text.contains("+")
                        ? "%1$s stands in an option whose text holds '%%' or '+', which mean something else once Caravan passes the "
                                + "option RAW(…): write the characters themselves"
                        : null;
        for (Segment p : parts) {
            if (why != null && p instanceof Value v && !v.raw()) {
                refusals[v.slot()] = why;
            }
        }
        segments.add(new Option(parts));
    }

    @Override
    public List<TemplateException.Problem> problems(List<Template.Ref> refs) {
        List<TemplateException.Problem> problems = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (refusals[i] != null) {
                problems.add(new TemplateException.Problem(
                        refs.get(i).offset(), refusals[i].formatted(refs.get(i).written())));
            }
        }
        return problems;
    }

    @Override
    public String write(Template template, List<String> values) {
        StringBuilder out = new StringBuilder();
        for (Segment segment : segments) {
            if (segment instanceof Literal l) {
                out.append(text(l));
            } else if (segment instanceof Value v) {
                out.append(v.raw() ? values.get(v.slot()) : path(template.ref(v.slot()), values.get(v.slot())));
            } else {
                out.append(option(template, ((Option) segment).parts(), values));
            }
        }
        return out.toString();
    }

    private String path(Template.Ref ref, String value) {
        refuseControls(ref, value);
        if (value.contains("?") || value.contains("&") || value.contains("%")) {
            throw new IllegalArgumentException(
                    ref.written() + ": a value in a camel: URI's path cannot hold '?', '&' or '%', "
                            + "which Camel reads as URI syntax once decoded: pass it as an option's value (name="
                            + ref.written() + ")");
        }
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (UNRESERVED.indexOf(c) >= 0 || c == '/')) {
                out.append(c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private String option(Template template, List<Segment> parts, List<String> values) {
        StringBuilder content = new StringBuilder();
        List<int[]> valueRanges = new ArrayList<>();
        List<Template.Ref> valueRefs = new ArrayList<>();
        for (Segment p : parts) {
            if (p instanceof Value v && !v.raw()) {
                Template.Ref ref = template.ref(v.slot());
                String value = values.get(v.slot());
                refuseControls(ref, value);
                if (content.isEmpty() && value.startsWith("#")) {
                    throw new IllegalArgumentException(
                            ref.written() + ": Camel reads an option's value that starts with '#' "
                                    + "as a bean reference or a class to create: put text before it");
                }
                valueRanges.add(new int[] {content.length(), content.length() + value.length()});
                valueRefs.add(ref);
                content.append(value);
            } else {
                content.append(p instanceof Value v ? values.get(v.slot()) : text((Literal) p));
            }
        }
        for (String syntax : List.of("{{", "${")) {
            for (int at = content.indexOf(syntax); at >= 0; at = content.indexOf(syntax, at + 1)) {
                for (int i = 0; i < valueRanges.size(); i++) {
                    if (valueRanges.get(i)[0] < at + 2 && valueRanges.get(i)[1] > at) {
                        throw new IllegalArgumentException(
                                valueRefs.get(i).written() + ": the value would make '" + syntax
                                        + "' in a camel: URI, which Camel reads as a property placeholder or an expression");
                    }
                }
            }
        }
        String text = content.toString();
        if (text.chars().allMatch(c -> UNRESERVED.indexOf(c) >= 0)) {
            return text;
        }
        if (!text.contains(")&")) {
            return "RAW(" + text + ")";
        }
        if (!text.contains("}&")) {
            return "RAW{" + text + "}";
        }
        throw new IllegalArgumentException(
                valueRefs.get(0).written() + ": the option's value holds both ')&' and '}&', "
                        + "so no RAW(…) or RAW{…} can carry it in a camel: URI");
    }

    private static void refuseControls(Template.Ref ref, String value) {
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(
                    ref.written() + ": the value holds a control character (a newline, a tab…), "
                            + "which a camel: URI cannot carry");
        }
    }

    private String text(Literal l) {
        return source.substring(l.start(), l.end());
    }
}
