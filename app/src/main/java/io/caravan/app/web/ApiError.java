package io.caravan.app.web;

import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;

/** A request the API refuses, with the HTTP status that says why. */
final class ApiError extends RuntimeException {
    private final int status;

    ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    static ApiError notFound(String what) {
        return new ApiError(404, what);
    }

    static ApiError badRequest(String what) {
        return new ApiError(400, what);
    }

    static ApiError conflict(String what) {
        return new ApiError(409, what);
    }

    /**
     * Something that should not happen: logged whole under a short id, answered with the id alone, since an
     * exception's class and message can tell a stranger about files, queries and versions.
     */
    static ApiError internal(Logger log, String request, Throwable cause) {
        String id = String.format("%08x", ThreadLocalRandom.current().nextInt());
        log.error("{} failed (error {})", request, id, cause);
        return new ApiError(500, "internal error " + id + ": the server's log has the details");
    }

    int status() {
        return status;
    }
}
