/**
 * JMH benchmarks of the scheduler: placements per second of {@code PipelineScheduler} and of the
 * {@code NaiveScheduler} baseline, for both profiles, at 1,000, 5,000 and 10,000 nodes.
 *
 * <p>Run them through {@code scripts/bench.sh}, or by hand with
 * {@code java -cp <bench classpath> org.openjdk.jmh.Main SchedulerBenchmark}; they are not part
 * of the test suite.
 */
package dev.hypha.bench.jmh;
