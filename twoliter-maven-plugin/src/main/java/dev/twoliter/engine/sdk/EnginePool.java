package dev.twoliter.engine.sdk;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.net.Urls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Several Docker engines as one place to run steps (docs/engines.md). Every engine must hold the SDK
 * image with the same id, so a step's result does not depend on where it ran, and its fingerprint
 * stays valid whichever engine builds next time. Each step goes to the engine with the fewest steps
 * running at that moment (ties: the first in the list).
 *
 * <p>An engine that fails (stops answering, cannot create a container) fails the steps that run on
 * it, with a message that names it; nothing is retried on another engine. A step that broke off may
 * have half run, and a clean error is better than a second attempt whose first one nobody sees; the
 * rerun skips the modules that finished, since they are up to date. The pool does not stop sending
 * steps to an engine that failed either: Maven stops the build at the first failed module anyway,
 * and under {@code --fail-at-end} each later module's error names the engine again.
 */
public final class EnginePool implements SdkContainers {
    /** One pool per list of hosts and JVM: modules built in parallel must count each other's steps. */
    private static final Map<List<String>, EnginePool> POOLS = new ConcurrentHashMap<>();

    /** An engine and the URL that names it in messages (redacted). */
    record Member(String url, SdkContainers containers) {}

    private final List<Member> members;
    /** Steps running right now, per member; a step is counted from its choice to its end. */
    private final AtomicIntegerArray running;

    EnginePool(List<Member> members) {
        if (members.size() < 2) {
            throw new IllegalArgumentException("a pool needs at least two engines, not " + members.size());
        }
        this.members = List.copyOf(members);
        this.running = new AtomicIntegerArray(members.size());
    }

    /** At most this many engines in one build: each holds warm containers and a copy of the SDK image. */
    public static final int MAX_ENGINES = 16;

    /**
     * The engine URLs of a comma-separated list, checked: no empty entry, no duplicate, each a
     * unix:// or tcp:// URL, at most {@link #MAX_ENGINES}. Every bad entry is named at once.
     */
    public static List<String> parseHosts(String list, String setting) throws TwoliterException {
        List<String> hosts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] entries = list.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String host = entries[i].trim();
            if (host.isEmpty()) {
                problems.add("entry " + (i + 1) + " is empty");
            } else if (hosts.contains(host)) {
                problems.add(dev.twoliter.engine.Syntax.show(Urls.redact(host)) + " appears more than once");
            } else {
                try {
                    DockerConnection.parseHost(host);
                    hosts.add(host);
                } catch (BuildEnvironmentException e) {
                    problems.add(e.getMessage());
                    hosts.add(host);
                }
            }
        }
        if (hosts.size() > MAX_ENGINES) {
            problems.add("it names " + hosts.size() + " engines, at most " + MAX_ENGINES + " are allowed");
        }
        if (!problems.isEmpty()) {
            throw new TwoliterException(setting + " must be a comma-separated list of Docker engine URLs"
                    + " (unix:///var/run/docker.sock, tcp://host:2376): " + String.join("; ", problems)
                    + (problems.get(problems.size() - 1).endsWith(".") ? "" : "."));
        }
        return List.copyOf(hosts);
    }

    /** The shared pool of these engines (connected with {@link DockerEngine#connect}), in this order. */
    public static EnginePool of(List<DockerEngine> engines) {
        List<String> hosts = engines.stream().map(DockerEngine::host).toList();
        return POOLS.computeIfAbsent(hosts, h -> new EnginePool(engines.stream()
                .map(engine -> new Member(Urls.redact(engine.host()), engine)).toList()));
    }

    /**
     * The SDK image as every engine has it; fails naming the engine that lacks it or has another
     * image under the same reference, and how to copy it there.
     */
    @Override
    public SdkImage sdkImage(String reference, boolean pullIfMissing, BuildLog log) throws BuildEnvironmentException {
        SdkImage first = null;
        Member firstHolder = null;
        List<Member> lacking = new ArrayList<>();
        SdkImageMissingException firstMissing = null;
        for (Member member : members) {
            SdkImage image;
            try {
                image = member.containers().sdkImage(reference, pullIfMissing, log);
            } catch (SdkImageMissingException e) {
                lacking.add(member);
                firstMissing = firstMissing == null ? e : firstMissing;
                continue;
            } catch (BuildEnvironmentException e) {
                throw named(member, e);
            }
            if (first == null) {
                first = image;
                firstHolder = member;
            } else if (!first.id().equals(image.id())) {
                throw new BuildEnvironmentException("Docker engine " + member.url() + ": SDK image " + reference
                        + " is " + image.id() + " there, but " + first.id() + " at Docker engine " + firstHolder.url()
                        + ". Every engine must run steps in the very same image; copy it from the first: "
                        + copyCommand(reference, firstHolder, member) + ".");
            }
        }
        // No cause: Maven would append the engine's own "not in the local Docker engine" advice again.
        if (first == null) {
            throw new BuildEnvironmentException("Docker engine " + lacking.get(0).url() + ": " + firstMissing.getMessage()
                    + " None of the " + members.size() + " Docker engines has it; once one has, copy it to the others"
                    + " with `docker save " + reference + " | docker -H <engine> load`.");
        }
        if (!lacking.isEmpty()) {
            Member missing = lacking.get(0);
            throw new BuildEnvironmentException("Docker engine " + missing.url() + ": SDK image " + reference
                    + " is not there, but Docker engine " + firstHolder.url() + " has it (" + first.id() + ")."
                    + " Every engine must run steps in the very same image; copy it: "
                    + copyCommand(reference, firstHolder, missing) + (lacking.size() > 1 ? " (and the same for "
                    + String.join(", ", lacking.subList(1, lacking.size()).stream().map(Member::url).toList()) + ")"
                    : "") + ".");
        }
        return first;
    }

    /** `docker save` from an engine that has the image, `docker load` into the one that needs it. */
    private static String copyCommand(String reference, Member from, Member to) {
        return "`docker -H " + from.url() + " save " + reference + " | docker -H " + to.url() + " load`";
    }

    /**
     * Runs the step on the least busy engine. Its failures are the engine's: a {@link
     * BuildEnvironmentException} gets the engine's name in front, and nothing is retried (see above).
     */
    @Override
    public StepOutcome run(ContainerStep step, Path scratchDir) throws TwoliterException, IOException {
        int chosen = claimLeastBusy();
        Member member = members.get(chosen);
        try {
            // The step's own log channel: the line lands next to the step's output, under the module.
            step.logSink().accept("twoliter: step '" + step.name() + "' runs on Docker at " + member.url());
            return member.containers().run(step, scratchDir);
        } catch (BuildEnvironmentException e) {
            throw named(member, e);
        } finally {
            running.decrementAndGet(chosen);
        }
    }

    /**
     * Picks the engine with the fewest running steps and counts the step there, without a lock: if
     * another thread changed that count in between, the choice is made again on fresh counts.
     */
    private int claimLeastBusy() {
        while (true) {
            int best = 0;
            int bestCount = running.get(0);
            for (int i = 1; i < members.size(); i++) {
                int count = running.get(i);
                if (count < bestCount) {
                    best = i;
                    bestCount = count;
                }
            }
            if (running.compareAndSet(best, bestCount, bestCount + 1)) {
                return best;
            }
        }
    }

    /** Every engine's steps and time in containers, in the pool's order. */
    @Override
    public List<EngineUsage> usage() {
        List<EngineUsage> usage = new ArrayList<>();
        for (Member member : members) {
            usage.addAll(member.containers().usage());
        }
        return List.copyOf(usage);
    }

    /** The engines' URLs (redacted), in the pool's order. */
    public List<String> engines() {
        return members.stream().map(Member::url).toList();
    }

    private static BuildEnvironmentException named(Member member, BuildEnvironmentException e) {
        String prefix = "Docker engine " + member.url() + ": ";
        if (e.getMessage() != null && e.getMessage().startsWith(prefix)) {
            return e;
        }
        return new BuildEnvironmentException(prefix + e.getMessage(), e);
    }
}
