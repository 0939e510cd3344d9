/**
 * The Hypha server: the HTTP API, the agent gateway and the controllers that turn desired state
 * into assignments. Its state lives entirely in the {@link dev.hypha.store.StateStore}.
 */
package dev.hypha.server;
