package io.caravan.routes.sshx;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import io.caravan.testkit.OpenSshServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A parallel split of N commands to one SSH endpoint URI: the shape of a fan-out in a Camel route.
 * Records each command's outcome (stdout and exit value, or the exception) by its index.
 */
final class RouteBurst {
    record Outcome(String stdout, Integer exitValue, Exception error) {}

    private RouteBurst() {}

    static String uri(String scheme, OpenSshServer server, String extra) {
        return scheme + ":" + server.user() + "@" + server.host() + ":" + server.port() + "?certResource=file:"
                + server.clientKey() + extra;
    }

    static Map<Integer, Outcome> run(String endpointUri, int commands, int threads) throws Exception {
        Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:burst")
                            .split(body())
                            .parallelProcessing()
                            .executorService(pool)
                            .setHeader("index", body())
                            .setBody(simple("echo out-${body}; exit $((${body} % 4))"))
                            .doTry()
                            .to(endpointUri)
                            .process(e -> outcomes.put(
                                    index(e),
                                    new Outcome(
                                            e.getMessage().getBody(String.class),
                                            e.getMessage().getHeader(SshxConstants.EXIT_VALUE, Integer.class),
                                            null)))
                            .doCatch(Exception.class)
                            .process(e -> outcomes.put(
                                    index(e),
                                    new Outcome(null, null, e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))))
                            .end()
                            .end();
                }
            });
            camel.start();
            try (ProducerTemplate template = camel.createProducerTemplate()) {
                List<Integer> indexes = IntStream.range(0, commands).boxed().toList();
                template.sendBody("direct:burst", indexes);
            }
        } finally {
            pool.shutdownNow();
        }
        return outcomes;
    }

    private static int index(Exchange e) {
        return e.getMessage().getHeader("index", Integer.class);
    }
}
