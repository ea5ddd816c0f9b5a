package io.caravan.app.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import io.caravan.core.storage.OwnerOnly;

/**
 * The token every request to the API and the metrics must present ({@code Authorization: Bearer …}), reads
 * too. Generated into {@code CARAVAN_HOME/api-token} (owner-only) on the first start; compared in constant time.
 */
public final class ApiToken {
    private final String value;
    private final boolean created;
    private final Path file;

    private ApiToken(String value, boolean created, Path file) {
        this.value = value;
        this.created = created;
        this.file = file;
    }

    public static ApiToken loadOrCreate(Path home) throws IOException {
        Path file = home.resolve("api-token");
        if (Files.exists(file)) {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.length() < 32) {
                throw new IOException(
                        file + " holds no usable token (at least 32 characters); delete it to get a new one");
            }
            return new ApiToken(value, false, file);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        OwnerOnly.createDirectories(home);
        Path partial = Files.createTempFile(home, "api-token", ".tmp");
        try {
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the home directory's own protection applies
        }
        Files.writeString(partial, value + "\n", StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        return new ApiToken(value, true, file);
    }

    /** True for {@code Bearer TOKEN} with this token. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether this start generated it: then, and only then, it is printed. */
    public boolean created() {
        return created;
    }

    public String value() {
        return value;
    }

    public Path file() {
        return file;
    }
}
