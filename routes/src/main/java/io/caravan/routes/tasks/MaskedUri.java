package io.caravan.routes.tasks;

import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.util.URISupport;

/**
 * An endpoint URI and a message about it with the URI's passwords and tokens masked by Camel's own sanitiser
 * ({@code password=xxxxxx}). The sanitiser masks an option's value up to the next '&amp;', so it is given the
 * URI alone and then each {@code name=value} of the message alone, lest it swallow the text after a secret; and
 * the URI's secret values are masked wherever else the message repeats them (Camel lists the options it could not
 * set as {@code [{password=secret}]}).
 */
public final class MaskedUri {
    private static final String MASK = "xxxxxx";
    private static final Pattern OPTION = Pattern.compile("[^\\s\\[\\]{},]+=[^\\s\\[\\]{},]*");

    private MaskedUri() {}

    /** "URI: message", both masked. */
    public static String describe(String uri, String message) {
        String safeUri = URISupport.sanitizeUri(uri);
        String text = String.valueOf(message).replace(uri, safeUri);
        for (String secret : secrets(uri)) {
            text = text.replace(secret, MASK);
        }
        Matcher options = OPTION.matcher(text);
        return safeUri + ": "
                + options.replaceAll(m -> Matcher.quoteReplacement(
                        URISupport.sanitizeUri("&" + m.group()).substring(1)));
    }

    /** The values of the URI's options that the sanitiser masks, as written and without their RAW(…). */
    private static List<String> secrets(String uri) {
        List<String> secrets = new ArrayList<>();
        int query = uri.indexOf('?');
        if (query < 0) {
            return secrets;
        }
        Map<String, Object> options;
        try {
            options = URISupport.parseQuery(uri.substring(query + 1), true, true);
        } catch (URISyntaxException e) {
            return secrets;
        }
        options.forEach((name, value) -> {
            String text = String.valueOf(value);
            if (!text.isEmpty() && URISupport.sanitizeUri("?" + name + "=v").endsWith(MASK)) {
                secrets.add(text);
                if (text.startsWith("RAW(") || text.startsWith("RAW{")) {
                    secrets.add(text.substring(4, text.length() - 1));
                }
            }
        });
        secrets.sort((a, b) -> b.length() - a.length()); // a secret that holds another is masked whole first
        return secrets;
    }
}
