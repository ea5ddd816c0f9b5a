package io.caravan.core.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;

import io.caravan.core.jobs.JobPlace;
import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.Secret;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.storage.CleanupDebt;
import io.caravan.core.storage.OwedDirectory;
import org.junit.jupiter.api.Test;

/** A debt on a passphrase-protected key keeps the name of the variable holding the passphrase, never a passphrase. */
class DebtPassphraseEnvTest {

    @Test
    void aDebtRemembersTheVariableNameAndTheRetryReadsTheVariable() {
        SshTarget target = SshTarget.of("batch", "gpu1", 22)
                .withIdentity(Path.of("/keys/locked"), Secret.fromEnv("GPU_KEY_PASS"))
                .withKnownHosts(Path.of("/kh"), HostKeyPolicy.STRICT);
        OwedDirectory dir = CleanupDebts.directory(new JobPlace(target, "/scratch"), "job-1");
        assertThat(dir.passphraseEnv()).isEqualTo("GPU_KEY_PASS");

        CleanupDebt debt = new CleanupDebt(1, dir, "run-1", null, "host down", 0, Instant.EPOCH, Instant.EPOCH);
        SshTarget again = CleanupDebts.place(debt).target();

        assertThat(again.passphrase().envName()).isEqualTo("GPU_KEY_PASS");
        assertThat(again.identity()).isEqualTo(Path.of("/keys/locked"));
        assertThat(again).isEqualTo(target);
    }

    @Test
    void aKeyGivenDirectlyLeavesNoNameAndNoValueInTheDebt() {
        SshTarget target = SshTarget.of("batch", "gpu1", 22)
                .withIdentity(Path.of("/keys/locked"), Secret.of("typed-in"))
                .withKnownHosts(Path.of("/kh"), HostKeyPolicy.STRICT);
        OwedDirectory dir = CleanupDebts.directory(new JobPlace(target, "/scratch"), "job-1");
        assertThat(dir.passphraseEnv()).isNull();
        assertThat(dir.toString()).doesNotContain("typed-in");
    }
}
