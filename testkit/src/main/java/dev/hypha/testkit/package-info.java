/**
 * Fakes and fixtures for fast tests of the core and for simulations: {@link dev.hypha.testkit.FakeRuntime},
 * the in-memory network, a settable clock and object mothers. Real adapters have their own tests
 * against the real thing; these never stand in for those.
 */
package dev.hypha.testkit;
