package io.caravan.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The key files of a test host, made with OpenSSH's own ssh-keygen. */
final class HostKeys {
    static final String PASSPHRASE = "caravan-test-passphrase";

    final Path hostKey;
    final Path clientKey;
    final Path encryptedClientKey;
    final Path unauthorizedKey;
    final Path authorizedKeys;

    private HostKeys(Path dir) {
        hostKey = dir.resolve("ssh_host_ed25519_key");
        clientKey = dir.resolve("client_ed25519");
        encryptedClientKey = dir.resolve("client_ed25519_encrypted");
        unauthorizedKey = dir.resolve("stranger_ed25519");
        authorizedKeys = dir.resolve("authorized_keys");
    }

    static HostKeys generate(Path dir) {
        HostKeys keys = new HostKeys(dir);
        generate(keys.hostKey, "");
        generate(keys.clientKey, "");
        generate(keys.encryptedClientKey, PASSPHRASE);
        generate(keys.unauthorizedKey, "");
        try {
            Files.writeString(
                    keys.authorizedKeys, publicKey(keys.clientKey) + "\n" + publicKey(keys.encryptedClientKey) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    static String publicKey(Path privateKey) {
        try {
            return Files.readString(Path.of(privateKey + ".pub")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "SHA256:..." as OpenSSH prints it. */
    String hostFingerprint() {
        String line = Processes.run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", hostKey + ".pub"));
        return line.split("\\s+")[1];
    }

    /** known_hosts line for [host]:port, plain. */
    String knownHostsLine(String host, int port) {
        return "[" + host + "]:" + port + " " + keyTypeAndBlob(hostKey);
    }

    /** The same entry in OpenSSH's hashed form: |1|salt|HMAC-SHA1(salt, name). */
    String hashedKnownHostsLine(String host, int port) {
        try {
            byte[] salt = new byte[20];
            new SecureRandom().nextBytes(salt);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            byte[] hash = mac.doFinal(("[" + host + "]:" + port).getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(hash) + " " + keyTypeAndBlob(hostKey);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String keyTypeAndBlob(Path privateKey) {
        String[] parts = publicKey(privateKey).split("\\s+");
        return parts[0] + " " + parts[1];
    }

    private static void generate(Path file, String passphrase) {
        Processes.run(List.of(
                "ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "caravan-test", "-f", file.toString()));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
