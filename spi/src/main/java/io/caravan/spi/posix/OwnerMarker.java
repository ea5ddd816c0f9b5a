package io.caravan.spi.posix;

import java.util.regex.Pattern;

/**
 * The {@code owner} file of a job directory (SPEC §4), one line that names the job, so that a sweeper removes
 * only directories Caravan made for a job of its own, never one that merely looks like it:
 * <ul>
 * <li>{@code engine=ENGINE run=RUN task=TASK item=N attempt=N}, a workflow's job, in the directory
 *     {@code RUN.TASK.N.N} (a task id over 120 characters is shortened in the name, not in the marker);</li>
 * <li>{@code camel=CONTEXT job=ID}, a job a Camel route submitted, in the directory {@code ID}.</li>
 * </ul>
 * {@link #SHELL_CHECK} tests the same grammar on the host, where sweeping runs.
 */
public final class OwnerMarker {
    static final String ENGINE = "engine=[^ ]+ run=[A-Za-z0-9_-]+ task=[a-z0-9_-]+ item=[0-9]+ attempt=[0-9]+";
    static final String CAMEL = "camel=[^ ]+ job=[A-Za-z0-9._-]+";
    private static final Pattern ANY = Pattern.compile(ENGINE + "|" + CAMEL);
    /** Longer is not a marker Caravan wrote (a hostname and a UUID take well under this). */
    static final int MAX_BYTES = 1024;

    /**
     * Sets {@code ours=1} when {@code $j/owner} is a regular file (not a link) of one line of at most
     * {@link #MAX_BYTES} that parses fully and names the job of the directory {@code $j}; {@code ours=} otherwise.
     */
    static final String SHELL_CHECK = "ours=; o=\"$j/owner\"\n"
            + "  if [ -f \"$o\" ] && [ ! -L \"$o\" ] && [ $(($(wc -c < \"$o\"))) -le " + MAX_BYTES + " ]"
            + " && [ $(($(wc -l < \"$o\"))) -eq 1 ] && grep -Eqx '" + ENGINE + "|" + CAMEL + "' \"$o\"; then\n"
            + "    IFS= read -r m < \"$o\"\n"
            + "    case \"$m\" in\n"
            + "      engine=*) r=${m#* run=}; r=${r%% *}; n=${m#* item=}; n=${n%% *}; a=${m##* attempt=}\n"
            + "        case \"$j\" in \"$r\".*.\"$n.$a\") ours=1 ;; esac ;;\n"
            + "      camel=*) [ \"${m##* job=}\" = \"$j\" ] && ours=1 ;;\n"
            + "    esac\n"
            + "  fi";

    private OwnerMarker() {}

    /** The marker of a job a Camel route submits. */
    public static String camel(String context, String jobId) {
        return "camel=" + context.replace(' ', '_') + " job=" + jobId;
    }

    /** The marker of a workflow's job (attempt {@code attempt} of item {@code item} of a task of a run). */
    public static String engine(String engine, String run, String task, int item, int attempt) {
        return "engine=" + engine.replace(' ', '_') + " run=" + run + " task=" + task + " item=" + item + " attempt="
                + attempt;
    }

    /** Whether a marker's line parses fully (the directory's name is checked on the host). */
    public static boolean parses(String line) {
        return ANY.matcher(line).matches();
    }
}
