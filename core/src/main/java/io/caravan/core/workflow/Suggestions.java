package io.caravan.core.workflow;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "did you mean …?" for a misspelt key or name: the closest candidate within a small edit distance. */
final class Suggestions {
    private Suggestions() {}

    static String didYouMean(String given, Collection<String> candidates) {
        return closest(given, candidates)
                .map(c -> " (did you mean '" + c + "'?)")
                .orElse("");
    }

    static Optional<String> closest(String given, Collection<String> candidates) {
        int limit = Math.max(1, given.length() / 3);
        return candidates.stream()
                .filter(c -> distance(given, c) <= limit)
                .min(Comparator.comparingInt(c -> distance(given, c)));
    }

    /** Edits between two names, a swap of neighbours counting as one (optimal string alignment distance). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
