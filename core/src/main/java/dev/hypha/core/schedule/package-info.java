/**
 * The scheduler: a filter → score → select pipeline of named plugins (DESIGN.md, "The core is
 * deterministic"), in the shape of kube-scheduler's framework.
 *
 * <p>{@link dev.hypha.core.schedule.PipelineScheduler} runs a {@link dev.hypha.core.schedule.SchedulerProfile}:
 * filter plugins ({@link dev.hypha.core.schedule.FilterPlugin}) drop nodes that cannot take the
 * replica and say why; score plugins ({@link dev.hypha.core.schedule.ScorePlugin}) rate the rest
 * from 0 to 1; the profile's weights combine the scores, and the decision keeps the best candidates
 * with every plugin's score so a placement can be explained. Everything is pure: the same request
 * and snapshot give the same placement, and nothing is written.
 *
 * <p>{@link dev.hypha.core.schedule.Profiles#simple()} is the built-in profile; the mycelial
 * profile's plugins live in a subpackage. {@link dev.hypha.core.schedule.NaiveScheduler} is the
 * baseline benchmarks compare against.
 */
package dev.hypha.core.schedule;
