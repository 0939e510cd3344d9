/**
 * Controllers: the loops that read a snapshot, ask the pure core what to do, and write the result
 * back with compare-and-swap (lock → read → release → plan and act → lock → write → release).
 */
package dev.hypha.server.control;
