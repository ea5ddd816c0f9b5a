package io.caravan.core.engine;

import io.caravan.core.ssh.ExecOptions;
import io.caravan.core.ssh.ExecResult;
import io.caravan.core.ssh.SshFailure;
import io.caravan.core.ssh.SshTransport;

/** {@code ssh:} a short command on the task's target over the pooled transport; stdout is the output. */
public final class SshTaskExecutor implements TaskExecutor {
    private final SshTransport transport;

    public SshTaskExecutor(SshTransport transport) {
        this.transport = transport;
    }

    @Override
    public TaskResult execute(TaskInvocation invocation) {
        try {
            ExecResult r =
                    transport.exec(invocation.target(), invocation.body(), ExecOptions.timeout(invocation.timeout()));
            String log = r.stdout() + r.stderr();
            return r.succeeded()
                    ? TaskResult.success(r.stdout().strip(), log)
                    : TaskResult.failure(
                            "exit code " + r.exitCode() + " on "
                                    + invocation.target().hostAndPort() + ShellTaskExecutor.tail(r.stderr()),
                            log);
        } catch (SshFailure e) {
            return TaskResult.of(e);
        }
    }
}
