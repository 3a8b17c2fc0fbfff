package dev.twoliter.engine.image;

import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.closure.ClosureCheck;
import dev.twoliter.engine.closure.ClosurePolicy;
import dev.twoliter.engine.closure.ClosureReport;
import dev.twoliter.engine.closure.ClosureScope;
import dev.twoliter.engine.closure.DepsFactsStep;
import dev.twoliter.engine.closure.ExceptedRequirement;
import dev.twoliter.engine.closure.InstallSet;
import dev.twoliter.engine.closure.PackageDeps;
import dev.twoliter.engine.closure.PackageSet;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.module.StepContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Before dnf runs, checks that every package the variant's install could bring in has its
 * requirements met by the variant's packages and kits, and says which package needs what, in the
 * words of the kit check, instead of leaving it to dnf's solver message in the middle of the build.
 */
final class VariantClosureStep {
    private VariantClosureStep() {}

    static void run(StepContext steps, VariantBuildRequest request, Map<String, Path> localRpms)
            throws TwoliterException, IOException {
        VariantClosure closure = request.closure();
        if (closure.policy() == ClosurePolicy.SKIP) {
            return;
        }
        List<DepsFactsStep.Source> sources = new ArrayList<>();
        sources.add(DepsFactsStep.Source.ofFiles("the variant's local packages", localRpms));
        for (KitRepository kit : request.kits()) {
            sources.add(DepsFactsStep.Source.ofDirectory("kit " + kit.coordinates(), kit.directory()));
        }
        List<PackageSet> sets = DepsFactsStep.run(steps, new DepsFactsStep.Request(request.module(),
                request.workDir(), request.timeout()), sources);
        Set<PackageDeps> reached = InstallSet.of(sets, request.includedPackages());
        List<ClosureReport> failed = new ArrayList<>();
        Set<String> excused = new HashSet<>();
        int checked = 0;
        for (int i = 0; i < sets.size(); i++) {
            PackageSet set = sets.get(i);
            PackageSet installed = new PackageSet(set.origin(), set.packages().stream().filter(reached::contains)
                    .toList());
            checked += installed.packages().size();
            List<PackageSet> others = new ArrayList<>(sets);
            others.remove(i);
            List<ExceptedRequirement> exceptions = new ArrayList<>(closure.exceptions());
            if (i > 0) {
                request.kits().get(i - 1).closure().ifPresent(c -> exceptions.addAll(c.exceptions()));
            }
            ClosureReport report = new ClosureCheck(ClosureScope.VARIANT, installed, others, List.of(), exceptions,
                    List.of()).run();
            report.excused().forEach(e -> excused.add(e.requirement()));
            if (!report.isClosed()) {
                failed.add(report);
            }
        }
        String unused = closure.exceptions().stream().filter(e -> excused.stream().noneMatch(e::covers))
                .map(e -> e.text() + " (" + e.reason() + ")").collect(Collectors.joining(", "));
        if (!unused.isEmpty()) {
            steps.log().warn(request.module() + ": closure exceptions not needed by any package the variant can"
                    + " install: " + unused + ". Remove them, so that exceptions mark only what is really missing.");
        }
        if (failed.isEmpty()) {
            steps.log().info(request.module() + ": closure checked: the " + checked + " package(s) the install can"
                    + " bring in have every requirement met" + (excused.isEmpty() ? "" : " or excused") + ".");
            return;
        }
        String message = request.module() + ": the variant's install would fail: "
                + failed.stream().map(ClosureReport::describe).collect(Collectors.joining("\n"))
                + " Exceptions are declared with " + request.terms().setting(Terms.Setting.CLOSURE_EXCEPTIONS) + ".";
        if (closure.policy() == ClosurePolicy.WARN) {
            steps.log().warn(message + " Going on to dnf (" + request.terms().setting(Terms.Setting.CLOSURE_POLICY)
                    + ").");
            return;
        }
        throw new TwoliterException(message);
    }
}
