package io.caravan.core.engine;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** An {@link EngineFixture} on a fresh H2 home for each test. */
abstract class EngineTestSupport {
    @TempDir
    Path home;

    EngineFixture engine;

    @BeforeEach
    void openEngine() {
        engine = new EngineFixture(home);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }
}
