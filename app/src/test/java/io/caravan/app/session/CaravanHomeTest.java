package io.caravan.app.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.PoolStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, local exposure: CARAVAN_HOME as OpenSSH's StrictModes treats ~/.ssh, plugin JARs others could swap, and
 * key passphrases kept as the names of environment variables.
 */
class CaravanHomeTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("caravan.home");
    }

    private Path home(String mode) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString(mode));
        System.setProperty("caravan.home", home.toString());
        return home;
    }

    @Test
    void aHomeOthersCanWriteIsRefusedNamingThePathAndTheFix() throws Exception {
        Path home = home("rwxrwxr-x");

        CaravanRuns.Result r = CaravanRuns.cli("runs");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out().strip())
                .doesNotContain("\n")
                .contains("CARAVAN_HOME " + home + " is writable by group or others")
                .endsWith("chmod 700 " + home);
        assertThat(Files.exists(home.resolve("db"))).as("nothing created in it").isFalse();
    }

    @Test
    void aHomeOthersCanOnlyReadIsTightenedAndWhatIsCreatedInItIsOwnerOnly() throws Exception {
        Path home = home("rwxr-xr-x");

        CaravanRuns.Result r = CaravanRuns.cli("runs");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("db"))))
                .isEqualTo("rwx------");
        try (var files = Files.list(home.resolve("db"))) {
            for (Path f : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                        .as(f.toString())
                        .isEqualTo("rw-------");
            }
        }
    }

    @Test
    void aPluginJarOthersCanWriteIsNotLoaded() throws Exception {
        Path home = home("rwx------");
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Path jar = Files.write(plugins.resolve("swapped.jar"), new byte[0]);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-rw-"));

        CaravanRuns.Result r = CaravanRuns.cli("plugins", "--plugins", plugins.toString());

        assertThat(r.out())
                .contains("refused: " + jar
                        + " is writable by group or others (rw-rw-rw-): not loaded; fix it with: chmod go-w " + jar);
    }

    @Test
    void poolAddSshStoresTheNameOfThePassphraseVariableNeverAPassphrase() throws Exception {
        Path home = home("rwx------");
        Path key = Files.writeString(dir.resolve("id_locked"), "not read here");
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");

        CaravanRuns.Result refused = CaravanRuns.cli(
                "pool",
                "add-ssh",
                "gpus",
                "batch@gpu1",
                "-i",
                key.toString(),
                "--known-hosts",
                knownHosts.toString(),
                "--passphrase-env",
                "my secret passphrase");
        CaravanRuns.Result added = CaravanRuns.cli(
                "pool",
                "add-ssh",
                "gpus",
                "batch@gpu1",
                "-i",
                key.toString(),
                "--known-hosts",
                knownHosts.toString(),
                "--passphrase-env",
                "GPU_KEY_PASS");

        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.out()).contains("--passphrase-env must name an environment variable");
        assertThat(added.exit()).as(added.out()).isZero();
        try (Database db = Database.open(new DatabaseOptions().config(home))) {
            Map<String, List<PoolStore.PoolHost>> pools = new PoolStore(db).pools();
            var connection = pools.get("gpus").get(0).connection();
            assertThat(connection.passphraseEnv()).isEqualTo("GPU_KEY_PASS");
            assertThat(connection.toTarget().passphrase().envName()).isEqualTo("GPU_KEY_PASS");
        }
    }

    @Test
    void identityPassphraseEnvMustNameAVariableAndAKey() throws Exception {
        home("rwx------");
        Path workflow = Files.writeString(dir.resolve("w.yaml"), """
                workflow: w
                connections:
                  locked: { host: h, user: u, identity: /keys/k, identity_passphrase_env: "hunter2 hunter2" }
                  keyless: { host: h, user: u, identity_passphrase_env: KEY_PASS }
                tasks:
                  a: { target: locked, ssh: "true" }
                  b: { target: keyless, ssh: "true" }
                """);

        CaravanRuns.Result r = CaravanRuns.cli("validate", workflow.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out())
                .contains(workflow + ":3:")
                .contains("identity_passphrase_env must name an environment variable")
                .contains(workflow + ":4:")
                .contains("identity_passphrase_env without identity");
    }
}
