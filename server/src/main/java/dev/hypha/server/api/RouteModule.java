package dev.hypha.server.api;

import io.javalin.config.RoutesConfig;

/**
 * A group of API routes contributed by one part of the server (workloads, economy, intents …).
 * Modules only declare routes; authentication, size limits and problem+json errors are the
 * {@link ApiServer}'s, so every module answers the same way.
 */
public interface RouteModule {
    void register(RoutesConfig routes);
}
