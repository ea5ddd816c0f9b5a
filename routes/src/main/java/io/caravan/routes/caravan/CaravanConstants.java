package io.caravan.routes.caravan;

import org.apache.camel.spi.Metadata;

/** Headers the {@code caravan:} producer sets. */
public final class CaravanConstants {
    @Metadata(description = "The id of the run that was started", javaType = "String")
    public static final String RUN_ID = "CaravanRunId";

    @Metadata(description = "How the run ended: succeeded, failed or cancelled", javaType = "String")
    public static final String RUN_STATE = "CaravanRunState";

    private CaravanConstants() {}
}
