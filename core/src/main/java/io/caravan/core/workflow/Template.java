package io.caravan.core.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.caravan.spi.posix.ShellQuote;

/**
 * Text with {@code {{ path }}} references, parsed once when the workflow is loaded so that unknown names
 * fail before anything runs. In shell text every value is shell-quoted unless the reference says
 * {@code | raw}: a parameter {@code x; rm -rf /} stays one harmless argument.
 */
public final class Template {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    /** Where the rendered text goes, which decides how values are quoted. */
    public enum Quoting { SHELL, PLAIN }

    /** A reference: a dotted path such as {@code params.shards} or {@code tasks.prepare.output}. */
    public record Ref(List<String> path, boolean raw, int offset) {
        public String root() {
            return path.get(0);
        }

        public String dotted() {
            return String.join(".", path);
        }
    }

    private sealed interface Part permits Text, Slot {
    }

    private record Text(String text) implements Part {
    }

    private record Slot(Ref ref) implements Part {
    }

    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /** @throws IllegalArgumentException naming the offset and what is wrong */
    public static Template parse(String source) {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < source.length()) {
            int open = source.indexOf("{{", at);
            if (open < 0) {
                parts.add(new Text(source.substring(at)));
                break;
            }
            if (open > at) {
                parts.add(new Text(source.substring(at, open)));
            }
            int close = source.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{{' at offset " + open + " in template '" + source + "'");
            }
            parts.add(new Slot(ref(source.substring(open + 2, close), open)));
            at = close + 2;
        }
        return new Template(source, List.copyOf(parts));
    }

    private static Ref ref(String expression, int offset) {
        String[] pipeline = expression.split("\\|");
        String path = pipeline[0].strip();
        boolean raw = false;
        for (int i = 1; i < pipeline.length; i++) {
            String filter = pipeline[i].strip();
            if (!filter.equals("raw")) {
                throw new IllegalArgumentException("unknown filter '" + filter + "' in '{{" + expression + "}}': the only filter is 'raw'");
            }
            raw = true;
        }
        List<String> segments = List.of(path.split("\\.", -1));
        if (path.isEmpty() || segments.stream().anyMatch(s -> !IDENT.matcher(s).matches())) {
            throw new IllegalArgumentException("bad reference '{{" + expression + "}}': expected a name such as "
                    + "params.shards, item or tasks.prepare.output");
        }
        return new Ref(segments, raw, offset);
    }

    public List<Ref> refs() {
        return parts.stream().filter(Slot.class::isInstance).map(p -> ((Slot) p).ref()).toList();
    }

    /** The whole template is one reference, so it can stand for a number or a list, not only text. */
    public boolean isSingleRef() {
        return parts.size() == 1 && parts.get(0) instanceof Slot;
    }

    public String render(Function<Ref, Object> values, Quoting quoting) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Text t) {
                out.append(t.text());
            } else {
                Ref ref = ((Slot) part).ref();
                String value = String.valueOf(values.apply(ref));
                out.append(quoting == Quoting.SHELL && !ref.raw() ? ShellQuote.quote(value) : value);
            }
        }
        return out.toString();
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
