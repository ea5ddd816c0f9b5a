package io.caravan.app.web;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Which HTTP request headers (and query parameters and form fields, which platform-http hands to the same
 * filter) become Camel message headers, and which message headers go back out as response headers. A request
 * must never steer a Camel component or Caravan through a header named like theirs ({@code CaravanJobId},
 * {@code CaravanJobEnv}, {@code CamelHttpResponseCode}; Camel's header names are case-insensitive).
 */
final class RequestHeaders {
    /** The registry name of {@link #none()}, for the URIs of Caravan's own routes. */
    static final String NONE = "caravanNoRequestHeaders";
    /** Matched ignoring case: Camel's own filter matches "Camel" and "camel" only, so "CAMELHttpResponseCode" passed. */
    private static final List<String> RESERVED = List.of("caravan", "camel", "org.apache.camel.");

    private RequestHeaders() {}

    /**
     * Caravan's own routes (API, UI, metrics): none at all. Handlers get path parameters and the parsed query
     * string; the Host, the token and the body's type are checked before the exchange exists ({@link RequestGuard}).
     */
    static HeaderFilterStrategy none() {
        return new HttpHeaderFilterStrategy() {
            @Override
            public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
                return true;
            }

            @Override
            public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
                // HTTP's filter drops Cache-Control, which the UI's files set (the API's is set before routing)
                return !"Cache-Control".equalsIgnoreCase(name)
                        && super.applyFilterToCamelHeaders(name, value, exchange);
            }
        };
    }

    /**
     * Users' platform-http routes (a webhook, say): HTTP's usual headers, never one named like Caravan's or Camel's
     * in any case, neither in nor out (a route's {@code CaravanJobEnv} is no answer's header).
     */
    static HeaderFilterStrategy forUserRoutes() {
        return new HttpHeaderFilterStrategy() {
            @Override
            public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
                return reserved(name) || super.applyFilterToExternalHeaders(name, value, exchange);
            }

            @Override
            public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
                return reserved(name) || super.applyFilterToCamelHeaders(name, value, exchange);
            }
        };
    }

    private static boolean reserved(String name) {
        return name == null || RESERVED.stream().anyMatch(p -> name.regionMatches(true, 0, p, 0, p.length()));
    }
}
