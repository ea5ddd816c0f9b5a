package io.caravan.routes.remotejob;

import org.apache.camel.spi.Metadata;

/** Headers of {@code remote-job:}. */
public final class RemoteJobConstants {
    @Metadata(
            description = "Job id ([A-Za-z0-9._-]); the same id again adopts the job instead of starting another",
            javaType = "String")
    public static final String JOB_ID = "CaravanJobId";

    @Metadata(description = "Environment variables of the job", javaType = "java.util.Map<String, String>")
    public static final String ENV = "CaravanJobEnv";

    @Metadata(description = "The job's exit code, when it wrote one", javaType = "Integer")
    public static final String EXIT_CODE = "CaravanJobExitCode";

    @Metadata(description = "How the job ended: EXITED, LOST, TIMED_OUT, CANCELLED, UNREACHABLE", javaType = "String")
    public static final String ENDING = "CaravanJobEnding";

    @Metadata(description = "The job's outputs.json text, when it wrote one", javaType = "String")
    public static final String OUTPUTS = "CaravanJobOutputs";

    private RemoteJobConstants() {}
}
