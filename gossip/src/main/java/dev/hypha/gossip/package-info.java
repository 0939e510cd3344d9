/**
 * SWIM membership on real sockets: {@link dev.hypha.gossip.SwimMembership} drives the core's
 * {@code SwimNode} with UDP datagrams and TCP state exchanges, all sealed with AES-256-GCM under a
 * rotating {@link dev.hypha.gossip.Keyring}.
 */
package dev.hypha.gossip;
