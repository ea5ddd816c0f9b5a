package io.caravan.core.workflow;

/**
 * How much a workflow file may ask of the loader, so that a hostile or broken file is refused with one line
 * rather than exhausting memory or the stack: the server, {@code validate}, {@code run} and the API all load
 * workflows through {@link WorkflowLoader}, which applies these.
 *
 * @param maxBytes    the file's size, checked before a byte of it is parsed
 * @param maxAliases  aliases of collections ({@code *name} of a list or mapping) in one file
 * @param maxDepth    nesting of lists and mappings
 * @param maxValues   values (scalars, lists and mappings) counted with every alias expanded, as the loader will
 *                    visit them: the guard against "billion laughs" files that stay under {@code maxAliases}
 * @param maxProblems problems reported for one file; the rest are counted, not listed
 */
public record WorkflowLimits(long maxBytes, int maxAliases, int maxDepth, int maxValues, int maxProblems) {
    /** Ample for hand-written workflows (the largest example is a few KiB, depth 6, a few hundred values). */
    public static final WorkflowLimits DEFAULTS = new WorkflowLimits(1L << 20, 50, 50, 250_000, 100);

    public WorkflowLimits {
        if (maxBytes < 1 || maxAliases < 0 || maxDepth < 1 || maxValues < 1 || maxProblems < 1) {
            throw new IllegalArgumentException("workflow limits must be positive: " + maxBytes + ", " + maxAliases
                    + ", " + maxDepth + ", " + maxValues + ", " + maxProblems);
        }
    }

    /** The size as people read it: "1 MiB", "512 KiB", "100 bytes". */
    static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return bytes / (1 << 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
