package io.caravan.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.caravan.app.HostileWorkflowTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server whose workflows directory holds invalid or hostile files starts with the rest and lists those as invalid. */
class InvalidWorkflowsTest {
    @TempDir
    Path home;

    private WebFixture web;

    @AfterEach
    void stop() throws Exception {
        if (web != null) {
            web.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theServerStartsWithTheValidWorkflowsAndListsEachInvalidFileWithItsFirstProblem() throws Exception {
        Path workflows = Files.createDirectories(home.resolve("workflows"));
        Files.writeString(workflows.resolve("good.yaml"), "workflow: good\ntasks:\n  a: { shell: \"true\" }\n");
        Path doubling = Files.writeString(workflows.resolve("doubling.yaml"), HostileWorkflowTest.doubling());
        Path typo = Files.writeString(
                workflows.resolve("typo.yaml"),
                "workflow: typo\ntasks:\n  a: { shel: \"true\" }\n  b: { shell: \"true\", depends_on: [nope] }\n");
        Path twin = Files.writeString(
                workflows.resolve("zz-twin.yaml"), "workflow: good\ntasks:\n  b: { shell: \"true\" }\n");

        long start = System.nanoTime();
        web = WebFixture.start(home, workflows);
        System.out.printf(
                "server with 3 invalid workflow files started in %d ms%n", (System.nanoTime() - start) / 1_000_000);

        Map<String, Object> listed = web.get("/api/workflows").json();
        assertThat((List<Map<String, Object>>) listed.get("workflows"))
                .extracting(w -> w.get("id"))
                .containsExactly("good");
        List<Map<String, Object>> invalid = (List<Map<String, Object>>) listed.get("invalid");
        assertThat(invalid)
                .extracting(i -> i.get("file"))
                .containsExactly(doubling.toString(), typo.toString(), twin.toString());
        assertThat((String) invalid.get(0).get("problem"))
                .startsWith(doubling + ":")
                .contains("values once aliases are expanded")
                .doesNotContain("\n");
        assertThat((String) invalid.get(1).get("problem"))
                .startsWith(typo + ":3:")
                .doesNotContain("\n");
        assertThat(((Number) invalid.get(1).get("problems")).intValue()).isGreaterThan(1);
        assertThat((String) invalid.get(2).get("problem")).contains("workflow id 'good' is also used by");
        assertThat(web.post("/api/workflows/good/trigger", web.token(), null).status())
                .isEqualTo(202);
        assertThat(web.post("/api/workflows/typo/trigger", web.token(), null).status())
                .isEqualTo(404);
    }
}
