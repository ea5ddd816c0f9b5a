package io.caravan.core.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.caravan.spi.posix.ShellQuote;

/**
 * Text with {@code {{ path }}} references, parsed once when the workflow is loaded so that unknown names
 * fail before anything runs. Where the text goes decides how values are written into it: in shell text each
 * value is written for the quoting context it stands in (found by {@link ShellLexer}: a bare word, double or
 * single quotes, a here-document), and a reference where no quoting is safe is refused at load; in a Camel
 * URI each value is written for its part of the URI. {@code | raw} inserts a value as it is.
 */
public final class Template {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Writer PLAIN_WRITER = new Writer() {
        @Override
        public List<TemplateException.Problem> problems(List<Ref> refs) {
            return List.of();
        }

        @Override
        public String write(Template template, List<String> values) {
            StringBuilder out = new StringBuilder(template.text(0));
            for (int i = 0; i < values.size(); i++) {
                out.append(values.get(i)).append(template.text(i + 1));
            }
            return out.toString();
        }
    };

    /** Where the rendered text goes, which decides how values are written into it. */
    public enum Quoting {
        SHELL,
        URI,
        PLAIN
    }

    /** A reference: a dotted path such as {@code params.shards} or {@code tasks.prepare.output}, at its '{{'. */
    public record Ref(List<String> path, boolean raw, int offset) {
        public String root() {
            return path.get(0);
        }

        public String dotted() {
            return String.join(".", path);
        }

        /** As a message names it: {@code {{ params.x }}}. */
        public String written() {
            return "{{ " + dotted() + " }}";
        }
    }

    /** A reference's place in the text, {@code [start, end)}, as the writers' lexers see it. */
    record Span(int start, int end, boolean raw) {}

    /** Writes the values into the text; made once per template, from its text alone. */
    interface Writer {
        /** References this writer cannot place safely. */
        List<TemplateException.Problem> problems(List<Ref> refs);

        /** @throws IllegalArgumentException naming the reference whose value cannot be written */
        String write(Template template, List<String> values);
    }

    private final String source;
    private final Quoting quoting;
    /** The text between references: one more than there are references. */
    private final List<String> texts;

    private final int[] textStarts;
    private final List<Ref> refs;
    private final Writer writer;

    private Template(
            String source, Quoting quoting, List<String> texts, int[] textStarts, List<Ref> refs, List<Span> spans) {
        this.source = source;
        this.quoting = quoting;
        this.texts = texts;
        this.textStarts = textStarts;
        this.refs = refs;
        this.writer = switch (quoting) {
            case SHELL -> ShellLexer.lex(source, spans);
            case URI -> CamelUri.read(source, spans);
            case PLAIN -> PLAIN_WRITER;
        };
    }

    /** Text whose values are inserted as they are. */
    public static Template parse(String source) {
        return parse(source, Quoting.PLAIN);
    }

    /** @throws TemplateException naming the offset of each problem: bad references, values that cannot be placed safely */
    public static Template parse(String source, Quoting quoting) {
        List<String> texts = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<Ref> refs = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        int at = 0;
        while (true) {
            int open = source.indexOf("{{", at);
            texts.add(source.substring(at, open < 0 ? source.length() : open));
            starts.add(at);
            if (open < 0) {
                break;
            }
            int close = source.indexOf("}}", open + 2);
            if (close < 0) {
                throw TemplateException.at(open, "unclosed '{{': write {{ name }}");
            }
            Ref ref = ref(source.substring(open + 2, close), open);
            refs.add(ref);
            spans.add(new Span(open, close + 2, ref.raw()));
            at = close + 2;
        }
        Template template = new Template(
                source,
                quoting,
                List.copyOf(texts),
                starts.stream().mapToInt(Integer::intValue).toArray(),
                List.copyOf(refs),
                List.copyOf(spans));
        List<TemplateException.Problem> problems = template.writer.problems(template.refs);
        if (!problems.isEmpty()) {
            throw new TemplateException(problems);
        }
        return template;
    }

    private static Ref ref(String expression, int offset) {
        String[] pipeline = expression.split("\\|");
        String path = pipeline[0].strip();
        boolean raw = false;
        for (int i = 1; i < pipeline.length; i++) {
            String filter = pipeline[i].strip();
            if (!filter.equals("raw")) {
                throw TemplateException.at(
                        offset,
                        "unknown filter '" + filter + "' in '{{" + expression + "}}': the only filter is 'raw'");
            }
            raw = true;
        }
        List<String> segments = List.of(path.split("\\.", -1));
        if (path.isEmpty() || segments.stream().anyMatch(s -> !IDENT.matcher(s).matches())) {
            throw TemplateException.at(
                    offset,
                    "bad reference '{{" + expression + "}}': expected a name such as "
                            + "params.shards, item or tasks.prepare.output");
        }
        return new Ref(segments, raw, offset);
    }

    public List<Ref> refs() {
        return refs;
    }

    /** The whole template is one reference, so it can stand for a number or a list, not only text. */
    public boolean isSingleRef() {
        return refs.size() == 1 && texts.get(0).isEmpty() && texts.get(1).isEmpty();
    }

    /**
     * The text with each reference's value written for where it stands.
     *
     * @throws IllegalArgumentException naming the reference whose value cannot be written: a NUL character or text
     *                                  that is not Unicode anywhere, or what its place cannot carry (a line that would
     *                                  end a here-document, say)
     */
    public String render(Function<Ref, Object> values) {
        List<String> strings = new ArrayList<>(refs.size());
        for (Ref ref : refs) {
            String value = String.valueOf(values.apply(ref));
            try {
                strings.add(ShellQuote.carriable(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ref.written() + ": " + e.getMessage(), e);
            }
        }
        return writer.write(this, strings);
    }

    public Quoting quoting() {
        return quoting;
    }

    public String source() {
        return source;
    }

    /** The text before reference {@code i} (after the last, for {@code i} = the number of references). */
    String text(int i) {
        return texts.get(i);
    }

    Ref ref(int i) {
        return refs.get(i);
    }

    /** Where an offset of the source that lies in its text (not inside a reference) ends up in a rendering. */
    int outputOffset(int sourceOffset, int[] textOutputStarts) {
        for (int i = texts.size() - 1; i >= 0; i--) {
            if (sourceOffset >= textStarts[i]) {
                return textOutputStarts[i]
                        + Math.min(sourceOffset - textStarts[i], texts.get(i).length());
            }
        }
        return sourceOffset;
    }

    @Override
    public String toString() {
        return source;
    }
}
