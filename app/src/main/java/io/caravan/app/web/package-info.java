/**
 * The web UI and the REST API of {@code caravan server} (docs/api.md), served through Camel's
 * platform-http on Vert.x in the server's own CamelContext. Reads are open; changes need the token.
 */
package io.caravan.app.web;
