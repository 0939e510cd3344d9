/**
 * The client side of the HTTP API: which server and token to use ({@link dev.hypha.cli.client.Endpoint}),
 * and a small JSON client over {@code java.net.http} that turns problem+json errors, refused
 * tokens and unreachable servers into messages a person can act on.
 */
package dev.hypha.cli.client;
