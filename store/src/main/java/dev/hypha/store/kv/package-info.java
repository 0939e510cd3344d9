/**
 * The backends of the {@link dev.hypha.spi.KvStore} port: {@link dev.hypha.store.kv.SqliteKvStore}
 * (one SQLite file, the default) and {@link dev.hypha.store.kv.EtcdKvStore} (an etcd v3 cluster,
 * for high availability). Both follow etcd's semantics, and one contract test suite runs against
 * each.
 */
package dev.hypha.store.kv;
