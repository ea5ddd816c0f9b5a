/**
 * The web UI and the REST API of {@code caravan server} (docs/api.md), served through Camel's
 * platform-http on Vert.x in the server's own CamelContext. Every API request needs the token; every
 * request must name the server in its Host header; every answer carries the security headers ({@link RequestGuard}).
 */
package io.caravan.app.web;
