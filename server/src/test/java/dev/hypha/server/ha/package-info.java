/**
 * High-availability tests: several servers on one real etcd, leader election and fencing, etcd
 * restarts and cut links, watch resumption and compaction, and the typed-write throughput
 * measurement that compares SQLite with etcd.
 */
package dev.hypha.server.ha;
