package io.caravan.app;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.caravan.app.session.CaravanHome;
import io.caravan.core.storage.DatabaseHolder;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * What the console shows when a command throws: one line with the command and the chain of causes' messages
 * (an unreachable database, an unwritable --report file, a CARAVAN_HOME that is a file), exit 2. A stack trace
 * is for developers only: {@code CARAVAN_JAVA_OPTS=-Dcaravan.stacktrace=true}. A password in a JDBC URL that a
 * message quotes is masked.
 */
final class CommandFailure implements IExecutionExceptionHandler {
    static final int EXIT = 2;
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s]*?(?=:?\\s|[&;]|:?$)");

    /** The command line, with this handler. */
    static CommandLine handling(CommandLine cli) {
        cli.setExecutionExceptionHandler(new CommandFailure());
        return cli;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        if (e instanceof DatabaseHolder.HeldException || e instanceof CaravanHome.UnsafeHomeException) {
            // about the place rather than the command (a database held by another process, an unsafe home): its own
            // words
            command.getErr().println("caravan: " + e.getMessage());
            command.getErr().flush();
            return EXIT;
        }
        if (Boolean.getBoolean("caravan.stacktrace")) {
            e.printStackTrace(command.getErr());
        }
        command.getErr()
                .println(command.getCommandSpec().qualifiedName() + ": " + describe(e)
                        + (Boolean.getBoolean("caravan.stacktrace")
                                ? ""
                                : " (CARAVAN_JAVA_OPTS=-Dcaravan.stacktrace=true shows where)"));
        command.getErr().flush();
        return EXIT;
    }

    /** The messages of the exception and its causes, each once, without Java class names where a message says it. */
    static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 5; t = t.getCause() == t ? null : t.getCause()) {
            String message = message(t);
            if (message != null && parts.stream().noneMatch(p -> p.contains(message))) {
                parts.removeIf(message::contains);
                parts.add(message);
            }
        }
        String text = parts.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", parts);
        return PASSWORD.matcher(text).replaceAll("$1***");
    }

    private static String message(Throwable t) {
        if (t instanceof FileSystemException f && f.getReason() == null) {
            String what = t instanceof NoSuchFileException
                    ? "no such file or directory"
                    : t instanceof AccessDeniedException
                            ? "permission denied"
                            : t instanceof FileAlreadyExistsException
                                    ? "already exists"
                                    : t instanceof NotDirectoryException
                                            ? "not a directory"
                                            : t.getClass().getSimpleName();
            return f.getFile() + ": " + what;
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? null : m;
    }
}
