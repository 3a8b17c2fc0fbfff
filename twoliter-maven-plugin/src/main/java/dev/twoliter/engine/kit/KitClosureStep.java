package dev.twoliter.engine.kit;

import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.closure.ClosureCheck;
import dev.twoliter.engine.closure.ClosurePolicy;
import dev.twoliter.engine.closure.ClosureReport;
import dev.twoliter.engine.closure.ClosureScope;
import dev.twoliter.engine.closure.DepsFactsStep;
import dev.twoliter.engine.closure.PackageSet;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.module.StepContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Proves, before the kit is made, that every requirement of its packages is met by the kit, its
 * kit dependencies or its declared base (or is a declared exception): a consumer should never be
 * the first to find that dnf cannot install a vendor's package.
 */
final class KitClosureStep {
    /** Reactor kits searched for suggestions are our own build's outputs; the bound guards the disk all the same. */
    private static final long MAX_SUGGESTION_PAYLOAD = 16L << 30;

    private KitClosureStep() {}

    static void run(StepContext steps, KitBuildRequest request, Map<String, Path> rpms)
            throws TwoliterException, IOException {
        KitClosure closure = request.closure();
        if (closure.policy() == ClosurePolicy.SKIP) {
            steps.log().info(request.module() + ": the closure check is off (policy skip): unmet requirements"
                    + " show only when dnf cannot install a package.");
            return;
        }
        List<DepsFactsStep.Source> sources = new ArrayList<>();
        sources.add(DepsFactsStep.Source.ofFiles(request.module(), rpms));
        for (KitRepository kit : closure.repositories()) {
            sources.add(DepsFactsStep.Source.ofDirectory("kit " + kit.coordinates(), kit.directory()));
        }
        Map<String, Path> elsewhere = new TreeMap<>(closure.elsewhere());
        Path unpacked = request.workDir().resolve("closure-elsewhere");
        AtomicFiles.deleteTree(unpacked);
        int n = 0;
        for (Map.Entry<String, Path> kit : elsewhere.entrySet()) {
            Path dir = unpacked.resolve(Integer.toString(n++));
            try (InputStream in = Files.newInputStream(kit.getValue())) {
                Tars.extract(in, "Packages/", dir, MAX_SUGGESTION_PAYLOAD, name -> name.endsWith(".rpm"));
            }
            sources.add(DepsFactsStep.Source.ofDirectory(kit.getKey(), dir));
        }
        List<PackageSet> sets;
        try {
            sets = DepsFactsStep.run(steps, new DepsFactsStep.Request(request.module(), request.workDir(),
                    request.timeout()), sources);
        } finally {
            AtomicFiles.deleteTree(unpacked);
        }
        List<PackageSet> dependencies = new ArrayList<>();
        List<PackageSet> base = new ArrayList<>();
        for (int i = 0; i < closure.repositories().size(); i++) {
            KitRepository kit = closure.repositories().get(i);
            (closure.base().contains(kit.coordinates()) ? base : dependencies).add(sets.get(1 + i));
        }
        List<PackageSet> others = sets.subList(1 + closure.repositories().size(), sets.size());
        ClosureReport report = new ClosureCheck(ClosureScope.KIT, sets.get(0), dependencies, base,
                closure.exceptions(), others).run();
        report(steps, request, report, sets.get(0).packages().size());
    }

    private static void report(StepContext steps, KitBuildRequest request, ClosureReport report, int packages)
            throws KitException {
        for (ClosureReport.Excused e : report.excused()) {
            steps.log().info(request.module() + ": " + e.packageNevra() + " requires " + e.requirement()
                    + ", left unmet on purpose: " + e.reason());
        }
        String unused = report.describeUnusedExceptions();
        if (!unused.isEmpty()) {
            steps.log().warn(unused);
        }
        if (report.isClosed()) {
            steps.log().info(request.module() + ": closure checked: every requirement of its " + packages
                    + " package(s) is met" + (report.excused().isEmpty() ? "" : " or excused (" + report.excused().size()
                    + ")") + ".");
            return;
        }
        String how = " Exceptions are declared with " + request.terms().setting(Terms.Setting.CLOSURE_EXCEPTIONS)
                + "; a kit the variant always brings is declared as a base with "
                + request.terms().setting(Terms.Setting.CLOSURE_BASE) + ".";
        if (request.closure().policy() == ClosurePolicy.WARN) {
            steps.log().warn(report.describe() + how + " The kit is built anyway ("
                    + request.terms().setting(Terms.Setting.CLOSURE_POLICY) + ").");
            return;
        }
        throw new KitException(report.describe() + how);
    }
}
