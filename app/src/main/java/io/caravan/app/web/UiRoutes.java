package io.caravan.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The web UI: one page, its stylesheet and its script modules (one per page, plus shared helpers), from the
 * application's resources; nothing else is served. A module is served by being in the UI's folder: a new page needs
 * no list kept here in step with the scripts' imports.
 */
final class UiRoutes extends RouteBuilder {
    private static final String ROOT = "io/caravan/app/web/ui/";
    /** A bare file name: no separator or dot-dot can take a request out of the UI's folder. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*\\.(html|js|css)");
    /** Browsers run a module only when it comes as JavaScript (and nosniff forbids guessing). */
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    @Override
    public void configure() {
        String only = "?httpMethodRestrict=GET&headerFilterStrategy=#" + RequestHeaders.NONE;
        from("platform-http:/" + only).process(e -> serve(e, "index.html"));
        from("platform-http:/ui/{file}" + only)
                .process(e -> serve(e, e.getMessage().getHeader("file", String.class)));
    }

    private static void serve(Exchange exchange, String name) throws IOException {
        exchange.getMessage().removeHeaders("*");
        Matcher file = NAME.matcher(name == null ? "" : name);
        String type = file.matches() ? TYPES.get(file.group(1)) : null;
        InputStream in = type == null ? null : UiRoutes.class.getClassLoader().getResourceAsStream(ROOT + name);
        if (in == null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getMessage().setBody("not found");
            return;
        }
        try (in) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, type);
            exchange.getMessage().setHeader("Cache-Control", "no-cache");
            exchange.getMessage().setBody(in.readAllBytes());
        }
    }
}
