/**
 * Hypha's domain records: what users submit (workload specs), what the cluster is made of
 * (nodes, members) and what it observed (instances, health metrics). Every record validates
 * itself in its canonical constructor, so an invalid value never exists.
 */
package dev.hypha.model;
