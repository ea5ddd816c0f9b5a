package io.caravan.app.web;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, as curl {@code -H 'Host: …'} sends it: any header line, any request target,
 * a header twice. One request per connection; the answer is read as far as its length says (or its chunks),
 * so an answer that comes before the server read the request's body is read too.
 */
final class RawHttp {
    private RawHttp() {}

    /** @param headers header lines as sent, {@code "Host: evil.example"} */
    static WebFixture.Answer exchange(String host, int port, String method, String target, List<String> headers)
            throws IOException {
        StringBuilder request =
                new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        headers.forEach(line -> request.append(line).append("\r\n"));
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    private static WebFixture.Answer read(InputStream in) throws IOException {
        String[] lines = line(in, "\r\n\r\n").split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).strip());
        }
        WebFixture.Answer head = new WebFixture.Answer(status, headers, "");
        byte[] body;
        if (head.header("Content-Length") != null) {
            body = in.readNBytes(Integer.parseInt(head.header("Content-Length")));
        } else if ("chunked".equalsIgnoreCase(head.header("Transfer-Encoding"))) {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            for (int n; (n = Integer.parseInt(line(in, "\r\n").strip(), 16)) > 0; line(in, "\r\n")) {
                whole.write(in.readNBytes(n));
            }
            body = whole.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new WebFixture.Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Bytes up to the terminator, which is consumed and left out. */
    private static String line(InputStream in, String terminator) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            text.append((char) c);
            if (text.length() >= terminator.length()
                    && text.substring(text.length() - terminator.length()).equals(terminator)) {
                return text.substring(0, text.length() - terminator.length());
            }
        }
        throw new IOException("the connection ended before '" + terminator.replace("\r\n", "CRLF") + "': " + text);
    }
}
