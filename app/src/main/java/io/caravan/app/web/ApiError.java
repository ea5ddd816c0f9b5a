package io.caravan.app.web;

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

    int status() {
        return status;
    }
}
