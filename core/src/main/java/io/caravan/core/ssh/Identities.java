package io.caravan.core.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Loads a target's private key once per pool; a key that cannot be read is fatal, not retried. */
final class Identities {
    private Identities() {}

    static List<KeyPair> load(SshTarget target) {
        if (target.identity() == null) {
            return List.of();
        }
        FilePasswordProvider passphrase;
        try {
            passphrase = target.passphrase() == null
                    ? FilePasswordProvider.EMPTY
                    : FilePasswordProvider.of(target.passphrase().reveal());
        } catch (Secret.MissingException e) {
            throw failure(
                    target,
                    "its passphrase is to be read from the environment variable "
                            + target.passphrase().envName()
                            + " (identity_passphrase_env), which is not set in this process",
                    null);
        }
        try (InputStream in = Files.newInputStream(target.identity())) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(
                    null, NamedResource.ofName(target.identity().toString()), in, passphrase);
            List<KeyPair> keys = new ArrayList<>();
            if (pairs != null) {
                pairs.forEach(keys::add);
            }
            if (keys.isEmpty()) {
                throw failure(target, "no key found in the file", null);
            }
            return keys;
        } catch (NoSuchFileException e) {
            throw failure(target, "no such file", e);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof SshFailure f) {
                throw f;
            }
            String hint = target.passphrase() == null
                    ? " (is it encrypted? name the environment variable holding its passphrase with identity_passphrase_env)"
                    : " (wrong passphrase?)";
            throw failure(target, e.getClass().getSimpleName() + ": " + e.getMessage() + hint, e);
        }
    }

    private static SshFailure failure(SshTarget target, String why, Throwable cause) {
        return new SshFailure(
                FailureKind.IDENTITY,
                "cannot load private key " + target.identity() + " for " + target + ": " + why,
                cause);
    }
}
