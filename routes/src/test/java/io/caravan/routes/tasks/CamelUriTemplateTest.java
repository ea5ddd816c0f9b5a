package io.caravan.routes.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.caravan.core.engine.TaskInvocation;
import io.caravan.core.engine.TaskResult;
import io.caravan.core.workflow.Notifications;
import io.caravan.core.workflow.Resources;
import io.caravan.core.workflow.TaskDefinition;
import io.caravan.core.workflow.TaskKinds;
import io.caravan.core.workflow.Template;
import io.caravan.core.workflow.TemplateException;
import io.caravan.core.workflow.TriggerRule;
import io.caravan.testkit.HostileValues;
import org.apache.camel.CamelContext;
import org.apache.camel.component.log.LogEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code camel:} URIs against a real CamelContext: every hostile value reaches the endpoint exactly (an option's
 * value, a path), adds no option, resolves no placeholder, or is refused; and a failing endpoint's error masks
 * the URI's secrets.
 */
class CamelUriTemplateTest {
    private static CamelContext camel;

    @BeforeAll
    static void start() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stop() {
        camel.stop();
    }

    private static boolean refusedInAnOption(String value) {
        return value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || value.startsWith("#")
                || value.contains("{{")
                || value.contains("${")
                || !carriable(value);
    }

    private static boolean refusedInAPath(String value) {
        return value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || value.contains("?")
                || value.contains("&")
                || value.contains("%")
                || !carriable(value);
    }

    private static boolean carriable(String value) {
        return value.indexOf('\0') < 0
                && new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(value);
    }

    @Test
    void anOptionsValueReachesTheEndpointExactlyAndAddsNoOption() {
        Map<String, String> values = new LinkedHashMap<>(HostileValues.all());
        values.putAll(Map.of(
                "option-injection",
                "a&showAll=true",
                "encoded-injection",
                "a%26showAll%3Dtrue",
                "raw-end",
                "x)&showAll=true",
                "both-raw-ends",
                "x)&y}&showAll=true",
                "plus",
                "a+b c",
                "bean",
                "#class:java.lang.Object",
                "placeholder-braces",
                "{{env:HOME}}",
                "closing-paren",
                "a)"));
        Template whole = Template.parse("log:whole?marker={{ v }}&level=DEBUG", Template.Quoting.URI);
        Template part = Template.parse("log:part?marker=pre-{{ v }}-post", Template.Quoting.URI);
        int reached = 0;
        for (Map.Entry<String, String> e : values.entrySet()) {
            String value = e.getValue();
            if (refusedInAnOption(value) || value.contains(")&") && value.contains("}&")) {
                assertThatThrownBy(() -> whole.render(ref -> value))
                        .as(e.getKey())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("{{ v }}: ");
                continue;
            }
            LogEndpoint endpoint = camel.getEndpoint(whole.render(ref -> value), LogEndpoint.class);
            assertThat(endpoint.getMarker()).as(e.getKey()).isEqualTo(value);
            assertThat(endpoint.isShowAll()).as(e.getKey()).isFalse();
            assertThat(endpoint.getLevel()).as(e.getKey()).isEqualTo("DEBUG");
            assertThat(camel.getEndpoint(part.render(ref -> value), LogEndpoint.class)
                            .getMarker())
                    .as(e.getKey())
                    .isEqualTo("pre-" + value + "-post");
            reached++;
        }
        assertThat(reached).isGreaterThan(values.size() / 2);
    }

    @Test
    void aPathValueReachesTheEndpointExactly() {
        Template path = Template.parse("log:base/{{ v }}/end?level=DEBUG", Template.Quoting.URI);
        for (Map.Entry<String, String> e : HostileValues.all().entrySet()) {
            String value = e.getValue();
            if (refusedInAPath(value)) {
                assertThatThrownBy(() -> path.render(ref -> value))
                        .as(e.getKey())
                        .hasMessageStartingWith("{{ v }}: ");
                continue;
            }
            LogEndpoint endpoint = camel.getEndpoint(path.render(ref -> value), LogEndpoint.class);
            assertThat(endpoint.getLoggerName()).as(e.getKey()).isEqualTo("base/" + value + "/end");
            assertThat(endpoint.getLevel()).as(e.getKey()).isEqualTo("DEBUG");
        }
    }

    @Test
    void aValueInTheSchemeOrAnOptionsNameOrARawOfTheAuthorIsRefusedWhenLoaded() {
        assertThatThrownBy(() -> Template.parse("{{ v }}:x", Template.Quoting.URI))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("stands in the URI's scheme");
        assertThatThrownBy(() -> Template.parse("log:x?{{ v }}=1", Template.Quoting.URI))
                .hasMessageContaining("name of an option");
        assertThatThrownBy(() -> Template.parse("log:x?marker=RAW({{ v }})", Template.Quoting.URI))
                .hasMessageContaining("RAW(…)");
        assertThatThrownBy(() -> Template.parse("log:x?marker=a%20{{ v }}", Template.Quoting.URI))
                .hasMessageContaining("'%' or '+'");
        assertThat(Template.parse("{{ v | raw }}", Template.Quoting.URI).render(ref -> "log:x?level=WARN"))
                .isEqualTo("log:x?level=WARN");
    }

    @Test
    void aFailingEndpointsErrorMasksTheUrisPasswordsAndTokens() throws Exception {
        try (CamelTaskExecutor executor = new CamelTaskExecutor(camel)) {
            TaskResult unknownOption = executor.execute(invocation("log:x?password=secret&accessToken=t0ken&bogus=1"));
            TaskResult noConsumer = executor.execute(invocation("direct:nowhere?password=RAW(se cret&x)&block=false"));
            TaskResult userInfo = executor.execute(
                    invocation("ftp://bob:hunter2@127.0.0.1:1/x?password=other&throwExceptionOnConnectFailed=true"));

            for (TaskResult r : List.of(unknownOption, noConsumer, userInfo)) {
                assertThat(r.succeeded()).isFalse();
                assertThat(r.error())
                        .contains("xxxxxx")
                        .doesNotContain("secret")
                        .doesNotContain("t0ken")
                        .doesNotContain("cret")
                        .doesNotContain("hunter2");
            }
            assertThat(unknownOption.error()).startsWith("log:x?password=xxxxxx&accessToken=xxxxxx&bogus=1: ");
        }
    }

    private static TaskInvocation invocation(String uri) {
        TaskDefinition task = new TaskDefinition(
                "t",
                TaskKinds.builtIn().find("camel").orElseThrow(),
                null,
                Map.of(),
                List.of(),
                TriggerRule.ALL_SUCCESS,
                0,
                Duration.ZERO,
                Duration.ofSeconds(5),
                null,
                null,
                1,
                1,
                Notifications.NONE,
                Resources.NONE);
        return new TaskInvocation(
                "run", task, 0, null, 1, uri, Map.of(), null, null, Duration.ofSeconds(5), null, null);
    }
}
