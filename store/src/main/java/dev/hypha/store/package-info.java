/**
 * Hypha's typed state over a {@link dev.hypha.spi.KvStore}: one {@link dev.hypha.store.Repository}
 * per kind of record, JSON under a key prefix ({@code /hypha/workloads/<name>} …). Nothing lives
 * only in memory: a restarted server rebuilds every view from here.
 */
package dev.hypha.store;
