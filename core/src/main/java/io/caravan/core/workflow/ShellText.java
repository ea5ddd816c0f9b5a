package io.caravan.core.workflow;

import java.util.ArrayList;
import java.util.List;

/**
 * Shell text as {@link ShellLexer} read it: each {@code {{ }}}'s place (or why it is refused), and the
 * here-documents values stand in, whose rendered bodies are checked for a line that would end them early.
 */
final class ShellText implements Template.Writer {
    /** A here-document's body, {@code [bodyStart, bodyEnd)} in the template's text; it ends at a line {@code delimiter}. */
    record HereDocument(String delimiter, boolean stripTabs, boolean expanding, int bodyStart, int bodyEnd) {}

    /** Per slot: a {@link ShellPlace}, or a {@link ShellRefusal}. */
    private final List<Object> places;

    private final int[] hereDocOf;
    private final List<HereDocument> hereDocs;

    ShellText(List<Object> places, int[] hereDocOf, List<HereDocument> hereDocs) {
        this.places = places;
        this.hereDocOf = hereDocOf;
        this.hereDocs = hereDocs;
    }

    /** Whether {@code line} ends a here-document's body. */
    static boolean endsBody(String line, String delimiter, boolean stripTabs) {
        int from = 0;
        while (stripTabs && from < line.length() && line.charAt(from) == '\t') {
            from++;
        }
        return line.startsWith(delimiter, from) && line.length() - from == delimiter.length();
    }

    @Override
    public List<TemplateException.Problem> problems(List<Template.Ref> refs) {
        List<TemplateException.Problem> problems = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (places.get(i) instanceof ShellRefusal refusal) {
                problems.add(new TemplateException.Problem(
                        refs.get(i).offset(), refusal.format(refs.get(i).written())));
            }
        }
        return problems;
    }

    @Override
    public String write(Template template, List<String> values) {
        StringBuilder out = new StringBuilder();
        int[] textAt = new int[values.size() + 1];
        int[] slotAt = new int[values.size() + 1];
        for (int i = 0; i <= values.size(); i++) {
            textAt[i] = out.length();
            out.append(template.text(i));
            slotAt[i] = out.length();
            if (i < values.size()) {
                out.append(((ShellPlace) places.get(i)).write(values.get(i)));
            }
        }
        for (int h = 0; h < hereDocs.size(); h++) {
            check(h, template, values, out, textAt, slotAt);
        }
        return out.toString();
    }

    /**
     * Refuses values that would end the here-document early (a line equal to its delimiter, once bash has joined
     * backslash-newlines), or lose tabs that {@code <<-} strips. Raw values are the author's: not checked.
     */
    private void check(int h, Template template, List<String> values, StringBuilder out, int[] textAt, int[] slotAt) {
        HereDocument doc = hereDocs.get(h);
        List<Integer> in = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (hereDocOf[i] == h && places.get(i) != ShellPlace.RAW) {
                in.add(i);
                String value = values.get(i);
                boolean lineStart = out.substring(out.lastIndexOf("\n", slotAt[i] - 1) + 1, slotAt[i])
                        .chars()
                        .allMatch(c -> c == '\t');
                if (doc.stripTabs() && (value.contains("\n\t") || (lineStart && value.startsWith("\t")))) {
                    throw new IllegalArgumentException(
                            template.ref(i).written() + ": the value has a tab at the start of a "
                                    + "line, which <<- strips: use << for this here-document");
                }
            }
        }
        if (in.isEmpty()) {
            return;
        }
        int end = template.outputOffset(doc.bodyEnd(), textAt);
        String joined = "";
        int logical = template.outputOffset(doc.bodyStart(), textAt);
        for (int line = logical; line < end; ) {
            int stop = out.indexOf("\n", line);
            stop = stop < 0 || stop > end ? end : stop;
            String text = joined + out.substring(line, stop);
            int backslashes = 0;
            while (backslashes < text.length() && text.charAt(text.length() - 1 - backslashes) == '\\') {
                backslashes++;
            }
            boolean continues = doc.expanding() && backslashes % 2 == 1;
            joined = continues ? text.substring(0, text.length() - 1) : "";
            if (!continues && endsBody(text, doc.delimiter(), doc.stripTabs())) {
                for (int i : in) {
                    if (slotAt[i] <= stop && textAt[i + 1] >= logical) {
                        throw new IllegalArgumentException(
                                template.ref(i).written() + ": the value makes a line read '" + doc.delimiter()
                                        + "' in the here-document, which would end it there and run the rest as commands");
                    }
                }
            }
            line = stop + 1;
            logical = continues ? logical : line;
        }
    }
}
