/**
 * Benchmarks of Hypha, measured the way users and other orchestrators are measured: placements per
 * second of the scheduler alone ({@link dev.hypha.bench.SchedulerBench}, and JMH in
 * {@code dev.hypha.bench.jmh}), placements per second through the API and the store
 * ({@link dev.hypha.bench.EndToEndBench}), and submit-to-running of a real container against raw
 * runc ({@link dev.hypha.bench.StartLatencyBench}).
 *
 * <p>Every harness measures its own baseline in the same run (the naive scheduler, raw runc), so a
 * ratio never compares numbers from different machines or loads. {@link dev.hypha.bench.BenchmarksReport}
 * turns the results into BENCHMARKS.md; {@code scripts/bench.sh} runs everything.
 */
package dev.hypha.bench;
