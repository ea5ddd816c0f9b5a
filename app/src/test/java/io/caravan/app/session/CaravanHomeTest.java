package io.caravan.app.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaravanHomeTest {
    @TempDir
    Path parent;

    @AfterEach
    void clear() {
        System.clearProperty("caravan.home");
    }

    @Test
    void aHomeCaravanCreatesIsOwnerOnly() throws Exception {
        Path home = parent.resolve("a/b/caravan");
        System.setProperty("caravan.home", home.toString());

        assertThat(CaravanHome.resolve()).isEqualTo(home);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
    }

    @Test
    void anExistingHomeIsUsedAsItIs() throws Exception {
        Path home = Files.createDirectory(parent.resolve("mine"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        System.setProperty("caravan.home", home.toString());

        assertThat(CaravanHome.resolve()).isEqualTo(home);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwxr-x---");
    }
}
