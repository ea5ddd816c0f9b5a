package io.caravan.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.util.Base64;
import java.util.Collections;

import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;

/** The server's key and certificate chain from a PKCS#12 file, for HTTPS. */
final class TlsKeystore {
    private TlsKeystore() {}

    /**
     * Read here, so that a wrong password or file is a clear error before anything starts; handed to Camel as a
     * copy under a random password of its own, since Camel would take {@code {{…}}} in a password for a property
     * placeholder.
     */
    static SSLContextParameters load(Path keystore, String secret) {
        char[] password = secret.toCharArray();
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore given = KeyStore.getInstance("PKCS12");
            given.load(in, password);
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String inner = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            KeyStore copy = KeyStore.getInstance("PKCS12");
            copy.load(null, null);
            for (String alias : Collections.list(given.aliases())) {
                if (given.isKeyEntry(alias)) {
                    copy.setKeyEntry(
                            alias,
                            given.getKey(alias, password),
                            inner.toCharArray(),
                            given.getCertificateChain(alias));
                }
            }
            if (copy.size() == 0) {
                throw fail(
                        keystore,
                        "it holds no private key (a PKCS#12 file with the server's key and certificate chain)");
            }
            KeyStoreParameters store = new KeyStoreParameters();
            store.setKeyStore(copy);
            store.setPassword(inner);
            KeyManagersParameters keys = new KeyManagersParameters();
            keys.setKeyStore(store);
            keys.setKeyPassword(inner);
            SSLContextParameters parameters = new SSLContextParameters();
            parameters.setKeyManagers(keys);
            return parameters;
        } catch (IOException | GeneralSecurityException e) {
            throw fail(
                    keystore,
                    reason(e) + " (a PKCS#12 file; its password in the environment variable that"
                            + " --tls-keystore-password-env names, CARAVAN_TLS_PASSWORD by default)");
        }
    }

    private static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e.getCause() instanceof UnrecoverableKeyException) {
            return "wrong password";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static WebServer.WebServerException fail(Path keystore, String why) {
        return new WebServer.WebServerException("cannot serve HTTPS with " + keystore + ": " + why);
    }
}
