package io.caravan.app.web;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * Camel's Vert.x server with the {@link RequestGuard} around every route, its own and users' platform-http
 * routes alike: put on the router before the server listens, so no request ever passes unguarded.
 */
final class GuardedHttpServer extends VertxPlatformHttpServer {
    private static final int FIRST = Integer.MIN_VALUE;

    private final VertxPlatformHttpServerConfiguration configuration;
    private final RequestGuard guard;

    GuardedHttpServer(VertxPlatformHttpServerConfiguration configuration, RequestGuard guard) {
        super(configuration);
        this.configuration = configuration;
        this.guard = guard;
    }

    @Override
    protected void initializeServer() {
        super.initializeServer();
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(
                getCamelContext(), VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getPort()));
        router.route().order(FIRST).handler(guard::screen).failureHandler(guard::failed);
        router.route().last().handler(guard::notFound);
    }
}
