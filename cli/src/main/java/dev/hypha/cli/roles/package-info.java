/**
 * The role commands: {@code hypha server}, {@code hypha agent} and {@code hypha up} (both in one
 * process). Each only turns flags into {@link dev.hypha.server.ServerConfig} /
 * {@link dev.hypha.agent.AgentConfig}, starts the role, says where it is, and stops it cleanly
 * on Ctrl-C; the roles themselves live in the server and agent modules.
 */
package dev.hypha.cli.roles;
