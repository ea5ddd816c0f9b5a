package io.caravan.core.workflow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A workflow file's text within {@link WorkflowLimits#maxBytes()}, checked before any of it is parsed. */
final class WorkflowText {
    private WorkflowText() {}

    static String read(Path file, WorkflowLimits limits) throws IOException, InvalidWorkflowException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() + 1));
        }
        if (bytes.length > limits.maxBytes()) {
            throw tooBig(file, limits);
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidWorkflowException(List.of(new WorkflowError(
                    file, 1, 1, "not UTF-8 text (" + e.getMessage() + "); workflow files are UTF-8")));
        }
    }

    /** Text that came another way (a run's stored copy): the same limit, in UTF-8 bytes. */
    static void checkSize(Path file, String text, WorkflowLimits limits) throws InvalidWorkflowException {
        if (text.length() > limits.maxBytes() || utf8Length(text) > limits.maxBytes()) {
            throw tooBig(file, limits);
        }
    }

    private static long utf8Length(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a surrogate pair is 4 bytes
        }
        return n;
    }

    private static InvalidWorkflowException tooBig(Path file, WorkflowLimits limits) {
        return new InvalidWorkflowException(List.of(new WorkflowError(
                file,
                1,
                1,
                "the file is larger than " + WorkflowLimits.size(limits.maxBytes())
                        + ", the limit for a workflow; nothing of it was parsed")));
    }
}
