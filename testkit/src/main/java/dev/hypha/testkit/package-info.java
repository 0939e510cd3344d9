/**
 * Fakes and fixtures for tests of Hypha: a settable clock ({@link dev.hypha.testkit.FakeClock}) and,
 * in {@code net}, an in-memory network with a SWIM cluster simulator.
 */
package dev.hypha.testkit;
