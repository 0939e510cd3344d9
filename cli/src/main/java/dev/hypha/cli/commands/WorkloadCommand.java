package dev.hypha.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypha.cli.client.ApiClient;
import dev.hypha.cli.output.Views;
import dev.hypha.cli.parse.Converters;
import dev.hypha.model.InvalidSpecException;
import dev.hypha.model.LivenessSpec;
import dev.hypha.model.PlacementConstraints;
import dev.hypha.model.Resources;
import dev.hypha.model.RestartPolicy;
import dev.hypha.model.WorkloadSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code hypha workload …}: create, list, get, delete, scale and explain workloads. */
@Command(name = "workload", description = "Create, list, inspect, scale and delete workloads.",
        subcommands = {WorkloadCommand.Create.class, WorkloadCommand.ListWorkloads.class, WorkloadCommand.Get.class,
                WorkloadCommand.Delete.class, WorkloadCommand.Scale.class, WorkloadCommand.Explain.class})
public final class WorkloadCommand {
    static String path(String name) {
        return "/api/v1/workloads/" + ApiClient.segment(name);
    }

    @Command(name = "create", description = "Create a workload: NAME, an image, and optionally a command after --.")
    static final class Create implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Mixin WaitOptions waiting;

        @Parameters(index = "0", paramLabel = "NAME", description = "Workload name: lowercase letters, digits and '-'.")
        String name;

        @Parameters(index = "1..*", paramLabel = "CMD", description = "Command and arguments (after --).")
        List<String> command = new ArrayList<>();

        @Option(names = "--image", required = true, paramLabel = "IMG", description = "Image to run, e.g. busybox.")
        String image;

        @Option(names = "--replicas", paramLabel = "N", defaultValue = "1", description = "Replicas (default: 1).")
        int replicas;

        @Option(names = "--cpu", paramLabel = "CPU", converter = Converters.Cpu.class,
                description = "Cpu per replica: 250m, 0.5 or 2 (default: 100m).")
        Long cpu;

        @Option(names = "--memory", paramLabel = "SIZE", converter = Converters.Memory.class,
                description = "Memory per replica: 64Mi, 1Gi, 512M; a plain number is MiB (default: 64Mi).")
        Long memory;

        @Option(names = "--disk", paramLabel = "SIZE", converter = Converters.Disk.class,
                description = "Disk per replica, units as --memory (default: 0).")
        Long disk;

        @Option(names = "--restart", paramLabel = "POLICY", converter = RestartPolicyConverter.class,
                description = "always (default), on-failure or never.")
        RestartPolicy restart;

        @Option(names = "--member", paramLabel = "M", description = "Member that owns the workload (default: default).")
        String member;

        @Option(names = "--region", paramLabel = "R", split = ",",
                description = "Only place on nodes in this region; repeat (or comma-separate) for several.")
        List<String> regions = new ArrayList<>();

        @Option(names = "--prefer-high-reputation", description = "Prefer nodes with a high reputation.")
        boolean preferHighReputation;

        @Option(names = "--env", paramLabel = "K=V", description = "Environment variable; repeat for several.")
        Map<String, String> env = new LinkedHashMap<>();

        @Option(names = "--liveness-exec", paramLabel = "CMD",
                description = "Liveness check: a command run in the container, split on spaces (healthy when it exits 0).")
        String livenessExec;

        @Option(names = "--liveness-http", paramLabel = "PORT[/PATH]",
                description = "Liveness check: GET on the node's loopback, e.g. 8080/healthz (healthy on 200-399).")
        String livenessHttp;

        @Option(names = "--liveness-tcp", paramLabel = "PORT", description = "Liveness check: a TCP connect to PORT.")
        Integer livenessTcp;

        @Option(names = "--liveness-period", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
                description = "How often the liveness check runs, in whole seconds (default: 10s).")
        Duration livenessPeriod;

        @Option(names = "--liveness-failure-threshold", paramLabel = "N",
                description = "Failures in a row after which the container is restarted (default: 3).")
        Integer livenessFailureThreshold;

        @Override
        public Integer call() {
            WorkloadSpec spec = spec();
            try (ApiClient api = client.client()) {
                JsonNode created = api.post("/api/v1/workloads", spec);
                client.printer().result("workload", name, "created", created);
                if (waiting.enabled()) ReadyWait.await(api, client.context(), name, replicas, waiting.timeout());
            }
            return 0;
        }

        private WorkloadSpec spec() {
            try {
                Resources defaults = WorkloadSpec.DEFAULT_RESOURCES;
                Resources resources = new Resources(cpu == null ? defaults.cpuMillicores() : cpu,
                        memory == null ? defaults.memoryMb() : memory, disk == null ? defaults.diskMb() : disk);
                return new WorkloadSpec(name, image, command, replicas, resources, restart, member, env,
                        new PlacementConstraints(preferHighReputation, regions), liveness());
            } catch (InvalidSpecException e) {
                throw client.usageError(e.getMessage());
            }
        }

        /** The --liveness-* flags as a check, or null when none is given. */
        private LivenessSpec liveness() {
            List<String> exec = livenessExec == null ? null : List.of(livenessExec.strip().split("\\s+"));
            LivenessSpec.HttpCheck http = null;
            if (livenessHttp != null) {
                String[] portAndPath = livenessHttp.split("/", 2);
                try {
                    http = new LivenessSpec.HttpCheck(Integer.parseInt(portAndPath[0]),
                            portAndPath.length == 2 ? "/" + portAndPath[1] : "/");
                } catch (NumberFormatException e) {
                    throw client.usageError("--liveness-http '" + livenessHttp + "' is not PORT[/PATH], e.g. 8080/healthz");
                }
            }
            LivenessSpec.TcpCheck tcp = livenessTcp == null ? null : new LivenessSpec.TcpCheck(livenessTcp);
            if (exec == null && http == null && tcp == null) {
                if (livenessPeriod != null || livenessFailureThreshold != null) {
                    throw client.usageError("--liveness-period and --liveness-failure-threshold need a check:"
                            + " --liveness-exec, --liveness-http or --liveness-tcp");
                }
                return null;
            }
            int period = LivenessSpec.DEFAULT_PERIOD_SECONDS;
            if (livenessPeriod != null) {
                if (livenessPeriod.toMillis() % 1000 != 0) {
                    throw client.usageError("--liveness-period must be whole seconds, got " + livenessPeriod.toMillis() + "ms");
                }
                period = (int) Math.min(Integer.MAX_VALUE, livenessPeriod.toSeconds());
            }
            return LivenessSpec.fromJson(exec, http, tcp, period, null, livenessFailureThreshold, null);
        }
    }

    /** {@code always}, {@code on-failure} or {@code never}. */
    static final class RestartPolicyConverter implements ITypeConverter<RestartPolicy> {
        @Override
        public RestartPolicy convert(String value) {
            try {
                return RestartPolicy.parse(value);
            } catch (InvalidSpecException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Command(name = "list", description = "List workloads with their ready replicas.")
    static final class ListWorkloads implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                JsonNode list = api.get("/api/v1/workloads");
                client.printer().print(list, l -> Views.workloads(l, client.context().clock().instant()));
            }
            return 0;
        }
    }

    @Command(name = "get", description = "Show one workload and its instances.")
    static final class Get implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                JsonNode w = api.get(path(name));
                client.printer().print(w, x -> Views.workload(x, api.get(path(name) + "/instances"),
                        client.context().clock().instant()));
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a workload and stop its instances.")
    static final class Delete implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                JsonNode answer = api.delete(path(name));
                client.printer().result("workload", name, "deleted", answer);
            }
            return 0;
        }
    }

    @Command(name = "scale", description = "Change a workload's number of replicas.")
    static final class Scale implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Mixin WaitOptions waiting;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "N", description = "The new number of replicas.")
        int replicas;

        @Override
        public Integer call() {
            if (replicas < 0 || replicas > WorkloadSpec.MAX_REPLICAS) {
                throw client.usageError("replicas must be between 0 and " + WorkloadSpec.MAX_REPLICAS + ", got " + replicas);
            }
            try (ApiClient api = client.client()) {
                WorkloadSpec current = Manifests.specOf(api.get(path(name)));
                JsonNode answer = api.put(path(name), current.withReplicas(replicas));
                client.printer().result("workload", name, "scaled to " + replicas, answer);
                if (waiting.enabled()) ReadyWait.await(api, client.context(), name, replicas, waiting.timeout());
            }
            return 0;
        }
    }

    @Command(name = "explain", description = "Why the scheduler placed (or could not place) each instance.")
    static final class Explain implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (ApiClient api = client.client()) {
                client.printer().print(api.get(path(name) + "/explain"), Views::explain);
            }
            return 0;
        }
    }
}
