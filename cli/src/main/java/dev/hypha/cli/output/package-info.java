/**
 * How the CLI prints: aligned borderless tables for people (as kubectl prints), or the API's own
 * JSON / YAML for scripts. Views take the API's JSON trees, so what {@code -o json} prints and
 * what the table shows come from the same response.
 */
package dev.hypha.cli.output;
