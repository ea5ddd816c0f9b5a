package io.caravan.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/** The web UI: one page and its script and stylesheet, from the application's resources; nothing else is served. */
final class UiRoutes extends RouteBuilder {
    private static final String ROOT = "io/caravan/app/web/ui/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    @Override
    public void configure() {
        String only = "?httpMethodRestrict=GET&headerFilterStrategy=#" + RequestHeaders.NONE;
        from("platform-http:/" + only).process(e -> serve(e, "index.html"));
        from("platform-http:/ui/{file}" + only).process(e -> serve(e, e.getMessage().getHeader("file", String.class)));
    }

    private static void serve(Exchange exchange, String name) throws IOException {
        exchange.getMessage().removeHeaders("*");
        String type = FILES.get(name);
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
