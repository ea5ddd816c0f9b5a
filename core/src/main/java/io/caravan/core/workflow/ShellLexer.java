package io.caravan.core.workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A lexer of POSIX shell quoting, run once over a template's text when the workflow is loaded: for each
 * {@code {{ }}} it finds the place where the shell will read the value (a bare word, double or single quotes,
 * a here-document's body, nested in {@code $(…)} to any depth), or why no quoting is safe there. It reads
 * the text as both dash and bash do; where the two may disagree (bash-only syntax whose end dash sees
 * elsewhere), every value after that point is refused rather than guessed at. The values themselves are
 * not read: a value is written for its place so that it cannot change what the text around it means.
 *
 * <p>Longer than our other classes on purpose: it is one state machine (quotes, substitutions, here-documents
 * and the frames that open them share one position and one stack), and cutting it into classes would spread
 * that state over them; each construct has its own small method.
 */
final class ShellLexer {
    private record Open(String construct, int firstSlot) {}

    private record Pending(String delimiter, boolean stripTabs, boolean expanding) {}

    /** Deeper nesting of quotes and expansions is read no further: no script needs it, and recursion has a floor. */
    static final int MAX_NESTING = 100;

    private final String text;
    private final List<Template.Span> slots;
    private final Object[] places;
    private final int[] hereDocOf;
    private final List<ShellText.HereDocument> hereDocs = new ArrayList<>();
    /** Constructs opened and not closed yet, innermost first. */
    private final Deque<Open> open = new ArrayDeque<>();
    /** Here-documents whose bodies start at the next newline of the command frame that opened them. */
    private final List<Pending> pending = new ArrayList<>();

    private int pendingFrame;
    private int pos;
    private int next;
    /** Where reading stops: the text's end, or the end of a here-document's line. */
    private int end;
    /** Command frames met so far: each has its own number, so here-documents are read by the frame that opened them. */
    private int frames;
    /** Inside a construct no quoting makes safe: why every slot met there is refused. */
    private ShellRefusal refusal;

    private int hereDoc = -1;
    private ShellRefusal lost;

    private ShellLexer(String text, List<Template.Span> slots) {
        this.text = text;
        this.slots = slots;
        this.places = new Object[slots.size()];
        this.hereDocOf = new int[slots.size()];
        this.end = text.length();
    }

    static ShellText lex(String text, List<Template.Span> slots) {
        ShellLexer lexer = new ShellLexer(text, slots);
        lexer.commands(false);
        return lexer.finish();
    }

    private ShellText finish() {
        if (lost == null && !open.isEmpty()) {
            Open outermost = open.peekLast();
            for (int i = outermost.firstSlot(); i < next; i++) {
                places[i] = slots.get(i).raw() ? ShellPlace.RAW : ShellRefusal.unclosed(outermost.construct());
            }
        }
        for (int i = 0; i < places.length; i++) {
            if (places[i] == null) {
                places[i] = slots.get(i).raw() ? ShellPlace.RAW : lost;
            }
        }
        return new ShellText(List.of(places), hereDocOf, List.copyOf(hereDocs));
    }

    /** Commands, up to the text's end or, nested in {@code $(…)}, the ')' that closes them (then true). */
    private boolean commands(boolean nested) {
        int frame = ++frames;
        int parens = 0;
        boolean wordStart = true;
        while (more()) {
            if (atSlot()) {
                slot(ShellPlace.BARE);
                wordStart = false;
                continue;
            }
            char c = text.charAt(pos);
            boolean startsWord = wordStart;
            wordStart = " \t\n;&|<>()".indexOf(c) >= 0;
            if (c == '\n') {
                pos++;
                hereDocBodies(frame);
            } else if (c == '#' && startsWord) {
                comment();
            } else if (nested && startsWord && keyword("case")) {
                lose("case … esac inside $(…)", next);
            } else if (c == '(' && peek(1) == '(' && startsWord) {
                arithmetic("((…))", '(', ')');
            } else if (c == '<' && peek(1) == '<') {
                if (peek(2) == '<') {
                    pos += 3; // bash's here-string: an ordinary word follows (dash refuses the whole text)
                } else {
                    hereDocOperator(frame);
                }
            } else if (c == ')' && nested && parens-- == 0) {
                pos++;
                return true;
            } else if (c == '(' && nested) {
                parens++;
                pos++;
            } else {
                quoting(c, true);
            }
        }
        return false;
    }

    /** What starts a quote or an expansion in commands, double quotes and here-documents alike. */
    private void quoting(char c, boolean command) {
        if (c == '\\') {
            backslash();
        } else if (c == '\'' && command) {
            singleQuoted();
        } else if (c == '"' && command) {
            doubleQuoted("a \"…\" quote");
        } else if (c == '`') {
            backquotes();
        } else if (c == '$') {
            dollar(command);
        } else {
            if (c == '\n') {
                newlineInside();
            }
            pos++;
        }
    }

    private void backslash() {
        if (slotAt(pos + 1)) {
            pos++;
            refuseSlot(ShellRefusal.AFTER_BACKSLASH);
        } else {
            pos = Math.min(pos + 2, end);
        }
    }

    private void comment() {
        ShellRefusal outer = refusing(ShellRefusal.COMMENT);
        while (more() && (atSlot() || text.charAt(pos) != '\n')) {
            step(ShellPlace.BARE);
        }
        refusal = outer;
    }

    private void singleQuoted() {
        open("a '…' quote");
        pos++;
        while (more()) {
            if (atSlot()) {
                slot(ShellPlace.SINGLE_QUOTED);
            } else if (text.charAt(pos) == '\'') {
                pos++;
                close();
                return;
            } else {
                if (text.charAt(pos) == '\n') {
                    newlineInside();
                }
                pos++;
            }
        }
    }

    private void doubleQuoted(String construct) {
        open(construct);
        pos++;
        while (more()) {
            if (atSlot()) {
                slot(ShellPlace.DOUBLE_QUOTED);
            } else if (text.charAt(pos) == '"') {
                pos++;
                close();
                return;
            } else {
                quoting(text.charAt(pos), false);
            }
        }
    }

    private void backquotes() {
        open("backquotes");
        pos++;
        ShellRefusal outer = refusing(ShellRefusal.BACKQUOTES);
        while (more()) {
            if (!atSlot() && text.charAt(pos) == '`') {
                pos++;
                close();
                break;
            }
            if (!atSlot() && text.charAt(pos) == '\\') {
                pos++;
            }
            if (more()) {
                step(ShellPlace.BARE);
            }
        }
        refusal = outer;
    }

    /** At a '$': what follows decides. {@code command}: in commands, where $'…' and $"…" exist. */
    private void dollar(boolean command) {
        char n = peek(1);
        if (slotAt(pos + 1)) {
            pos++;
            refuseSlot(ShellRefusal.AFTER_DOLLAR);
        } else if (n == '(' && peek(2) == '(') {
            pos++;
            arithmetic("$((…))", '(', ')');
        } else if (n == '(') {
            pos += 2;
            open("$(…)");
            if (commands(true)) {
                close();
            }
        } else if (n == '{') {
            pos++;
            parameter();
        } else if (n == '[') {
            pos++;
            arithmetic("$[…]", '[', ']');
        } else if (n == '\'' && command) {
            ansiC();
        } else if (n == '"' && command) {
            pos++;
            ShellRefusal outer = refusing(ShellRefusal.LOCALE);
            doubleQuoted("a $\"…\" quote");
            refusal = outer;
        } else {
            pos++;
        }
    }

    /** From its first opening bracket to the one that balances it. */
    private void arithmetic(String construct, char opening, char closing) {
        open(construct);
        ShellRefusal outer = refusing(ShellRefusal.ARITHMETIC);
        int depth = 0;
        while (more()) {
            char c = atSlot() ? ' ' : text.charAt(pos);
            if (c == opening || c == closing) {
                pos++;
                depth += c == opening ? 1 : -1;
                if (depth == 0) {
                    close();
                    break;
                }
            } else if (c == '\'' || c == '"' || c == '\\') {
                lose("quotes or a backslash inside " + construct, next);
            } else {
                expansionOrStep();
            }
        }
        refusal = outer;
    }

    private void parameter() {
        open("${…}");
        pos++;
        ShellRefusal outer = refusing(ShellRefusal.PARAMETER);
        while (more()) {
            char c = atSlot() ? ' ' : text.charAt(pos);
            if (c == '}') {
                pos++;
                close();
                break;
            } else if (c == '\'' || c == '"' || c == '\\' || c == '`') {
                lose("quotes, a backslash or backquotes inside ${…}", next);
            } else {
                expansionOrStep();
            }
        }
        refusal = outer;
    }

    /** Inside arithmetic and ${…}: nested expansions are read as such, anything else passed over. */
    private void expansionOrStep() {
        if (!atSlot() && (text.charAt(pos) == '$' || text.charAt(pos) == '`')) {
            quoting(text.charAt(pos), false);
        } else {
            step(ShellPlace.BARE);
        }
    }

    /** bash's $'…' ends at the first quote not escaped by a backslash, dash's (a '$' and a '…' quote) at the first quote. */
    private void ansiC() {
        int from = pos + 2;
        int dashEnd = from;
        while (dashEnd < end && text.charAt(dashEnd) != '\'') {
            dashEnd++;
        }
        int bashEnd = from;
        while (bashEnd < end && text.charAt(bashEnd) != '\'') {
            bashEnd += text.charAt(bashEnd) == '\\' ? 2 : 1;
        }
        if (dashEnd != bashEnd) {
            lose("$'…' with an escaped quote", next);
            return;
        }
        open("a $'…' quote");
        ShellRefusal outer = refusing(ShellRefusal.ANSI_C);
        pos = from;
        while (more() && pos < dashEnd) {
            step(ShellPlace.BARE);
        }
        refusal = outer;
        if (more()) {
            pos++;
            close();
        }
    }

    private void hereDocOperator(int frame) {
        pos += 2;
        boolean stripTabs = peek(0) == '-';
        pos += stripTabs ? 1 : 0;
        while (pos < end && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
        StringBuilder delimiter = new StringBuilder();
        boolean quoted = false;
        while (more() && (atSlot() || " \t\n;&|<>()".indexOf(text.charAt(pos)) < 0)) {
            char c = atSlot() ? ' ' : text.charAt(pos);
            if (atSlot()) {
                refuseSlot(ShellRefusal.DELIMITER);
                lose("a here-document whose delimiter holds a {{ }}", next);
            } else if (c == '$' || c == '`') {
                lose("a here-document delimiter with '$' or a backquote", next);
            } else if (c == '\\' || c == '\'' || c == '"') {
                quoted = true;
                int close = c == '\\' ? pos + 2 : text.indexOf(c, pos + 1) + 1;
                String part =
                        close <= pos || close > end ? null : text.substring(pos + 1, c == '\\' ? close : close - 1);
                if (part == null
                        || part.contains("\\")
                        || part.contains("$")
                        || part.contains("`")
                        || slotBefore(close)) {
                    lose("a here-document delimiter quoted in a way Caravan does not read", next);
                } else {
                    delimiter.append(part);
                    pos = close;
                }
            } else {
                delimiter.append(c);
                pos++;
            }
        }
        if (lost != null) {
            return;
        }
        if (delimiter.isEmpty() || (!pending.isEmpty() && pendingFrame != frame)) {
            lose(delimiter.isEmpty() ? "'<<' without a delimiter" : "here-documents opened in different $(…)", next);
            return;
        }
        pending.add(new Pending(delimiter.toString(), stripTabs, !quoted));
        pendingFrame = frame;
    }

    /** After a newline of the command frame: the bodies of the here-documents its line opened. */
    private void hereDocBodies(int frame) {
        if (pending.isEmpty()) {
            return;
        }
        if (pendingFrame != frame) {
            lose("a here-document whose line goes on inside $(…)", next);
            return;
        }
        List<Pending> due = List.copyOf(pending);
        pending.clear();
        for (Pending p : due) {
            if (lost == null) {
                body(p);
            }
        }
    }

    private void body(Pending p) {
        int start = pos;
        int[] terminator = terminator(p);
        if (lost != null) {
            return;
        }
        int bodyEnd = terminator == null ? end : terminator[0];
        hereDoc = hereDocs.size();
        hereDocs.add(new ShellText.HereDocument(p.delimiter(), p.stripTabs(), p.expanding(), start, bodyEnd));
        int first = next;
        while (lost == null && pos < bodyEnd) {
            if (atSlot()) {
                slot(p.expanding() ? ShellPlace.HERE_DOCUMENT : ShellPlace.LITERAL_HERE_DOCUMENT);
            } else if (p.expanding() && "\\$`".indexOf(text.charAt(pos)) >= 0) {
                withinLine(bodyEnd);
            } else {
                pos++;
            }
        }
        hereDoc = -1;
        if (terminator == null) {
            open.push(new Open("a here-document (no line reads '" + p.delimiter() + "')", first));
        } else {
            pos = terminator[1];
        }
    }

    /**
     * An escape or expansion in an expanding here-document, read within its line: bash reads the body's lines
     * first and dash expansions first, so the two disagree about one that goes on past its line.
     */
    private void withinLine(int bodyEnd) {
        int lineEnd = text.indexOf('\n', pos);
        int outer = end;
        end = lineEnd < 0 || lineEnd > bodyEnd ? bodyEnd : lineEnd;
        int depth = open.size();
        int first = next;
        if (text.charAt(pos) == '\\' && pos + 1 == end) {
            pos = Math.min(pos + 2, bodyEnd); // backslash-newline: the line goes on, as the terminator search knew
        } else {
            quoting(text.charAt(pos), false);
        }
        end = outer;
        if (open.size() > depth) {
            while (open.size() > depth) {
                open.pop();
            }
            lose("a $(…), ${…} or backquotes that go on past their line in a here-document", first);
        }
    }

    /**
     * The line that ends a here-document: {its start, the position after it}, or null if the text ends first.
     * A line holding a {{ }} never ends it here (the rendered text is checked again). bash compares a line
     * continued by backslash-newline as a whole and dash does not; where that matters, the text is not read on.
     */
    private int[] terminator(Pending p) {
        int s = next;
        int lineStart = pos;
        boolean slotted = false;
        String joined = null;
        boolean joinedSlotted = false;
        for (int i = pos; ; ) {
            if (s < slots.size() && slots.get(s).start() == i) {
                slotted = true;
                i = slots.get(s++).end();
                continue;
            }
            if (i < end && text.charAt(i) != '\n') {
                i++;
                continue;
            }
            String line = text.substring(lineStart, i);
            int backslashes = 0;
            while (backslashes < line.length() && line.charAt(line.length() - 1 - backslashes) == '\\') {
                backslashes++;
            }
            boolean continues = p.expanding() && backslashes % 2 == 1 && i < end;
            if (joined == null && !slotted && ShellText.endsBody(line, p.delimiter(), p.stripTabs())) {
                return new int[] {lineStart, Math.min(i + 1, end)};
            }
            if (joined != null
                    && !continues
                    && !slotted
                    && !joinedSlotted
                    && ShellText.endsBody(joined + line, p.delimiter(), p.stripTabs())) {
                lose("a here-document line that bash ends and dash does not", next);
                return null;
            }
            if (continues) {
                joined = (joined == null ? "" : joined) + line.substring(0, line.length() - 1);
                joinedSlotted |= slotted;
            } else {
                joined = null;
                joinedSlotted = false;
            }
            if (i >= end) {
                return null;
            }
            lineStart = ++i;
            slotted = false;
        }
    }

    private void newlineInside() {
        if (!pending.isEmpty()) {
            lose("a here-document whose line goes on inside quotes or an expansion", next);
        }
    }

    private boolean keyword(String word) {
        int after = pos + word.length();
        return text.startsWith(word, pos)
                && after <= end
                && (after == end || " \t\n;".indexOf(text.charAt(after)) >= 0);
    }

    /** One step: over a slot (written for {@code place} unless refused) or one character. */
    private void step(ShellPlace place) {
        if (atSlot()) {
            slot(place);
        } else {
            pos++;
        }
    }

    private void slot(ShellPlace place) {
        places[next] = slots.get(next).raw() ? ShellPlace.RAW : refusal != null ? refusal : place;
        hereDocOf[next] = hereDoc;
        pos = slots.get(next++).end();
    }

    private void refuseSlot(ShellRefusal why) {
        places[next] = slots.get(next).raw() ? ShellPlace.RAW : why;
        hereDocOf[next] = -1;
        pos = slots.get(next++).end();
    }

    private ShellRefusal refusing(ShellRefusal why) {
        ShellRefusal outer = refusal;
        refusal = outer != null ? outer : why;
        return outer;
    }

    /** Where the shell is is no longer known: slots from {@code firstSlot} on are refused. */
    private void lose(String construct, int firstSlot) {
        lose(ShellRefusal.lost(construct), firstSlot);
    }

    private void lose(ShellRefusal why, int firstSlot) {
        if (lost == null) {
            lost = why;
            for (int i = firstSlot; i < next; i++) {
                places[i] = null;
            }
        }
    }

    private void open(String construct) {
        if (open.size() >= MAX_NESTING) {
            lose(ShellRefusal.tooDeep(MAX_NESTING), next); // each level is a frame of the lexer's own stack
        }
        open.push(new Open(construct, next));
    }

    private void close() {
        open.pop();
    }

    private boolean more() {
        return lost == null && pos < end;
    }

    private boolean atSlot() {
        return slotAt(pos);
    }

    private boolean slotAt(int at) {
        return next < slots.size() && slots.get(next).start() == at && at < end;
    }

    private boolean slotBefore(int at) {
        return next < slots.size() && slots.get(next).start() < at;
    }

    private char peek(int ahead) {
        return pos + ahead < end ? text.charAt(pos + ahead) : '\0';
    }
}
