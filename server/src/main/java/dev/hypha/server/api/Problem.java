package dev.hypha.server.api;

/** An RFC 9457 problem document. */
public record Problem(String type, String title, int status, String detail) {
    public static Problem of(ApiException e) {
        return new Problem("about:blank", e.title(), e.status(), e.getMessage());
    }
}
