/** The HTTP API of INTERFACES.md: routes, authentication, request parsing and problem+json errors. */
package dev.hypha.server.api;
