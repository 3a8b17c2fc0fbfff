package dev.twoliter.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.module.BuildOutcomes;
import dev.twoliter.engine.module.ModuleBuildRunner;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.rpm.RpmBuild;
import dev.twoliter.engine.rpm.RpmBuildRequest;
import dev.twoliter.engine.rpm.RpmBuildResult;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.FakeSdkContainers;
import dev.twoliter.engine.signing.DevelopmentKeys;
import dev.twoliter.engine.signing.KitSigningKey;
import dev.twoliter.engine.signing.TrustedKitKeys;
import dev.twoliter.engine.source.SourceCache;
import dev.twoliter.maven.MavenTerms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote cache as a step of the module build: a module built on one machine is restored on
 * another without a container, and nothing a cache holds (a tampered file, a malformed or forged
 * entry, a path out of the module) can change a build's outputs: it is refused and the module built.
 */
class RemoteBuildCacheTest {
    private static final long MAX_FILE = 1L << 20;
    @TempDir
    Path temp;

    private final FakeSdkContainers containers = new FakeSdkContainers();
    private final RecordingLog log = new RecordingLog();
    private final List<BuildOutcomes.Outcome> outcomes = new ArrayList<>();
    private DirectoryRemoteCache store;
    private RemoteBuildCache.Signing signing = RemoteBuildCache.Signing.NONE;

    private Path module(String machine) throws Exception {
        Path module = temp.resolve(machine).resolve("pkg");
        Files.createDirectories(module.resolve("files"));
        Files.writeString(module.resolve("pkg.spec"), "Name: pkg");
        Files.writeString(module.resolve("files/pkg.conf"), "key = 1");
        return module;
    }

    private RpmBuildResult build(Path module, boolean write) throws Exception {
        return build(module, write, false);
    }

    private RpmBuildResult build(Path module, boolean write, boolean force) throws Exception {
        if (store == null) {
            store = new DirectoryRemoteCache(temp.resolve("server"));
        }
        Path target = module.resolve("target");
        RpmBuildRequest request = new RpmBuildRequest("com.example:pkg", module, module.resolve("pkg.spec"),
                List.of(target), List.of(), List.of(), List.of(), Arch.X86_64, "twoliter-sdk:0.1.0", false,
                Optional.of(Instant.ofEpochSecond(1700000000)), Map.of(), target.resolve("rpms"),
                target.resolve("twoliter"), target.resolve("pkg-1.0.rpm.tar"), Duration.ofMinutes(1), force, "test",
                MavenTerms.INSTANCE);
        SourceCache sources = new SourceCache(module.resolve(".cache"), List.of(), true, true, BuildLog.SILENT);
        RemoteBuildCache cache = new RemoteBuildCache(store, new RemoteBuildCache.Settings(write, false, MAX_FILE), signing,
                log);
        return new ModuleBuildRunner(containers, Optional.of(cache), (m, o) -> outcomes.add(o), log)
                .run(new RpmBuild(request, sources));
    }

    private static int producesOneRpm(ContainerStep step, Path out, StringBuilder log) throws java.io.IOException {
        Files.writeString(out.resolve("pkg-1.0-1.x86_64.rpm"), "rpm bytes");
        return 0;
    }

    private CacheKey onlyKey() throws Exception {
        try (var dirs = Files.list(store.root.resolve("com.example/pkg"))) {
            return new CacheKey("com.example", "pkg", dirs.findFirst().orElseThrow().getFileName().toString());
        }
    }

    @Test
    void aModuleBuiltOnOneMachineIsRestoredOnAnotherWithoutAContainer() throws Exception {
        containers.then(RemoteBuildCacheTest::producesOneRpm);
        RpmBuildResult built = build(module("a"), true);
        assertThat(store.stored).containsExactly("com.example:pkg");

        RpmBuildResult restored = build(module("b"), false);

        assertThat(containers.started()).hasSize(1);
        assertThat(outcomes).containsExactly(BuildOutcomes.Outcome.BUILT, BuildOutcomes.Outcome.RESTORED);
        assertThat(restored.rpms()).extracting(p -> temp.resolve("b").relativize(p).toString())
                .containsExactly("pkg/target/rpms/pkg-1.0-1.x86_64.rpm");
        assertThat(restored.archive()).hasSameBinaryContentAs(built.archive());
        assertThat(restored.rpms().get(0)).hasSameBinaryContentAs(built.rpms().get(0));
        assertThat(log.lines()).anyMatch(l -> l.startsWith("INFO com.example:pkg restored from the remote cache dir:server (key ")
                && l.endsWith("; no container started"));
        // What was restored is recorded: the next build is a local no-op.
        assertThat(build(module("b"), false).upToDate()).isTrue();
        assertThat(outcomes).last().isEqualTo(BuildOutcomes.Outcome.UP_TO_DATE);
        try (var files = Files.walk(temp.resolve("b"))) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".part"))).isEmpty();
        }
    }

    @Test
    void theKeyHoldsNoPathUserHostOrTime() throws Exception {
        containers.then(RemoteBuildCacheTest::producesOneRpm).then(RemoteBuildCacheTest::producesOneRpm);
        build(module("a"), true);
        String entry = Files.readString(store.entry(onlyKey()));
        assertThat(entry).doesNotContain(temp.toString()).doesNotContain(System.getProperty("user.name"))
                .doesNotContain(dev.twoliter.engine.io.ProcessOwner.host());
        // A changed input is another key: both entries are kept apart.
        Path other = module("c");
        Files.writeString(other.resolve("files/pkg.conf"), "key = 2");
        build(other, true);
        try (var dirs = Files.list(store.root.resolve("com.example/pkg"))) {
            assertThat(dirs.count()).isEqualTo(2);
        }
    }

    @Test
    void aTamperedFileIsRefusedTheModuleBuiltAndTheEntryReplaced() throws Exception {
        containers.then(RemoteBuildCacheTest::producesOneRpm).then(RemoteBuildCacheTest::producesOneRpm);
        build(module("a"), true);
        CacheKey key = onlyKey();
        Path rpm = store.file(key, 1);
        String original = Files.readString(rpm);
        Files.writeString(rpm, "RPM BYTES");

        RpmBuildResult result = build(module("b"), true);

        assertThat(containers.started()).hasSize(2);
        assertThat(Files.readString(result.rpms().get(0))).isEqualTo("rpm bytes");
        assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN com.example:pkg: refused the remote cache entry "
                + key.abbreviated()) && l.contains("rpms/pkg-1.0-1.x86_64.rpm has 9 bytes and sha256 ")
                && l.endsWith("building instead (the entry will be replaced)."));
        assertThat(Files.readString(rpm)).isEqualTo(original);
        try (var files = Files.walk(temp.resolve("b"))) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".part"))).isEmpty();
        }
    }

    @Test
    void aFileLargerThanItsEntrySaysIsRefusedAsAlteredNotAsAnUnreachableCache() throws Exception {
        containers.then(RemoteBuildCacheTest::producesOneRpm).then(RemoteBuildCacheTest::producesOneRpm);
        build(module("a"), true);
        CacheKey key = onlyKey();
        Path rpm = store.file(key, 1);
        String original = Files.readString(rpm);
        Files.writeString(rpm, original + " and a payload");

        build(module("b"), true);

        assertThat(containers.started()).hasSize(2);
        assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN com.example:pkg: refused the remote cache entry "
                + key.abbreviated()) && l.contains("rpms/pkg-1.0-1.x86_64.rpm is larger than the 9 bytes the entry says")
                && l.endsWith("building instead (the entry will be replaced)."));
        // Refused, not unreachable: with writing on, the entry is replaced by the rebuilt file.
        assertThat(Files.readString(rpm)).isEqualTo(original);
    }

    @Test
    void anOversizedDescriptionIsIgnoredAsMalformed() throws Exception {
        containers.then(RemoteBuildCacheTest::producesOneRpm).then(RemoteBuildCacheTest::producesOneRpm);
        build(module("a"), true);
        Path entry = store.entry(onlyKey());
        try (var out = java.nio.channels.FileChannel.open(entry, java.nio.file.StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(new byte[] {'#'}), RemoteBuildCache.MAX_ENTRY_BYTES);
        }

        build(module("b"), false);

        assertThat(containers.started()).hasSize(2);
        assertThat(outcomes).containsExactly(BuildOutcomes.Outcome.BUILT, BuildOutcomes.Outcome.BUILT);
        assertThat(log.lines()).anyMatch(l -> l.contains(": its description is larger than ")
                && l.endsWith("building instead."));
    }

    @Test
    void aMalformedEntryIsIgnoredWithAWarning() throws Exception {
        containers.then(RemoteBuildCacheTest::producesOneRpm).then(RemoteBuildCacheTest::producesOneRpm);
        build(module("a"), true);
        Files.writeString(store.entry(onlyKey()), "format = [");

        build(module("b"), false);

        assertThat(containers.started()).hasSize(2);
        assertThat(log.lines()).anyMatch(l -> l.contains(": it is malformed (it is not valid TOML")
                && l.endsWith("building instead."));
    }

    @Test
    void anEntryBuiltFromOtherInputsIsACollisionAndIgnored() throws Exception {
        containers.then(RemoteBuildCacheTest::producesOneRpm).then(RemoteBuildCacheTest::producesOneRpm);
        build(module("a"), true);
        Path entry = store.entry(onlyKey());
        Files.writeString(entry, Files.readString(entry).replace("key = 1", "key = 666")
                .replaceFirst("\"source:files/pkg.conf=[0-9a-f]+\"", "\"source:files/pkg.conf=" + "0".repeat(64) + "\""));

        build(module("b"), false);

        assertThat(containers.started()).hasSize(2);
        assertThat(log.lines()).anyMatch(l -> l.contains("it was built from other inputs than the ones it is stored under"));
    }

    @Test
    void anEntryNamingAPathOutsideTheModuleIsRefusedAndWritesNothingThere() throws Exception {
        containers.then(RemoteBuildCacheTest::producesOneRpm).then(RemoteBuildCacheTest::producesOneRpm);
        build(module("a"), true);
        Path entry = store.entry(onlyKey());
        Files.writeString(entry, Files.readString(entry).replace("path = \"pkg-1.0.rpm.tar\"",
                "path = \"../../../../escaped.txt\""));

        build(module("b"), false);

        assertThat(containers.started()).hasSize(2);
        assertThat(log.lines()).anyMatch(l -> l.contains("is not a path of its own below the module's output directory"));
        try (var files = Files.walk(temp)) {
            assertThat(files.filter(p -> p.getFileName().toString().contains("escaped"))).isEmpty();
        }
    }

    @Test
    void anUnreachableCacheIsAWarningAndNothingIsStored() throws Exception {
        containers.then(RemoteBuildCacheTest::producesOneRpm);
        build(module("x"), false); // creates the store
        containers.then(RemoteBuildCacheTest::producesOneRpm);
        store.unreachable = true;

        assertThat(build(module("a"), true).upToDate()).isFalse();

        assertThat(log.lines()).anyMatch(l -> l.equals("WARN com.example:pkg: could not read the remote cache at"
                + " dir:server (connection refused); building instead."));
        assertThat(store.stored).isEmpty();
    }

    @Test
    void forceBuildsEvenWhenTheCacheHasTheModule() throws Exception {
        containers.then(RemoteBuildCacheTest::producesOneRpm).then(RemoteBuildCacheTest::producesOneRpm);
        build(module("a"), true);
        build(module("b"), false, true);
        assertThat(containers.started()).hasSize(2);
    }

    @Test
    void imagesTakePartOnlyWhenAsked() {
        RemoteBuildCache withoutImages = new RemoteBuildCache(new DirectoryRemoteCache(temp),
                new RemoteBuildCache.Settings(true, false, MAX_FILE), log);
        RemoteBuildCache withImages = new RemoteBuildCache(new DirectoryRemoteCache(temp),
                new RemoteBuildCache.Settings(true, true, MAX_FILE), log);
        assertThat(withoutImages.covers(false)).isTrue();
        assertThat(withoutImages.covers(true)).isFalse();
        assertThat(withImages.covers(true)).isTrue();
    }

    @Test
    void anEntryRoundTripsAndEveryFieldIsChecked() throws Exception {
        Fingerprint inputs = new Fingerprint().put("plugin", "1").put("source:a=b", "c");
        CacheKey key = CacheKey.of("g:a", "rpm", inputs);
        CacheEntry entry = CacheEntry.of(key, "rpm", "1", inputs,
                List.of(new CacheEntry.Output("rpms/a.rpm", "a".repeat(64), 3)));
        byte[] toml = entry.toToml().getBytes(StandardCharsets.UTF_8);
        assertThat(CacheEntry.parse(toml, key, MAX_FILE)).isEqualTo(entry);
        assertThat(CacheEntry.parse(toml, key, MAX_FILE).builtFrom(inputs)).isTrue();

        CacheKey other = CacheKey.of("g:b", "rpm", inputs);
        assertThatThrownBy(() -> CacheEntry.parse(toml, other, MAX_FILE)).hasMessageContaining(
                "not the key it is stored under");
        assertThatThrownBy(() -> CacheEntry.parse(toml, key, 2)).hasMessageContaining(
                "output[0].size '3' is not a size from 0 to 2 bytes");
        assertThatThrownBy(() -> CacheEntry.parse(entry.toToml().replace("a".repeat(64), "A".repeat(64))
                .getBytes(StandardCharsets.UTF_8), key, MAX_FILE)).hasMessageContaining("is not 64 lower-case hex");
        assertThatThrownBy(() -> CacheEntry.parse(new byte[] {(byte) 0xff, 0x41}, key, MAX_FILE))
                .hasMessage("it is not UTF-8 text");
        assertThatThrownBy(() -> CacheEntry.parse(entry.toToml().replace("format = 1", "format = 2")
                .getBytes(StandardCharsets.UTF_8), key, MAX_FILE)).hasMessageContaining("its format is");
        String twice = entry.toToml() + "\n[[output]]\npath = \"rpms/a.rpm\"\nsize = 1\nsha256 = \"" + "b".repeat(64) + "\"\n";
        assertThatThrownBy(() -> CacheEntry.parse(twice.getBytes(StandardCharsets.UTF_8), key, MAX_FILE))
                .hasMessageContaining("is listed twice");
    }

    @Test
    void keysDependOnModuleKindAndEveryInput() {
        Fingerprint inputs = new Fingerprint().put("plugin", "1");
        assertThat(CacheKey.of("g:a", "rpm", inputs)).isEqualTo(CacheKey.of("g:a", "rpm", new Fingerprint().put("plugin", "1")));
        assertThat(CacheKey.of("g:a", "rpm", inputs).digest()).isNotEqualTo(CacheKey.of("g:b", "rpm", inputs).digest())
                .isNotEqualTo(CacheKey.of("g:a", "kit", inputs).digest())
                .isNotEqualTo(CacheKey.of("g:a", "rpm", new Fingerprint().put("plugin", "2")).digest());
        assertThatThrownBy(() -> CacheKey.of("nocolon", "rpm", inputs)).isInstanceOf(IllegalArgumentException.class);
    }

    private DevelopmentKeys.Written key(String name) throws Exception {
        return DevelopmentKeys.generate(temp.resolve("keys").resolve(name), name, Optional.empty(), Instant.now());
    }

    private RemoteBuildCache.Signing signedBy(DevelopmentKeys.Written key) throws Exception {
        return new RemoteBuildCache.Signing(Optional.of(KitSigningKey.load(key.secretKey(), Optional.empty(), "test",
                Instant.now())), Optional.empty());
    }

    private RemoteBuildCache.Signing trusting(DevelopmentKeys.Written key) throws Exception {
        return new RemoteBuildCache.Signing(Optional.empty(), Optional.of(TrustedKitKeys.load(List.of(
                new TrustedKitKeys.Entry(RemoteBuildCache.TRUST_GROUP, key.publicKey())), "twoliter.cache.trustedKeys")));
    }

    @Test
    void signedEntriesAreRestoredOnlyForTrustedKeysAndUnchanged() throws Exception {
        DevelopmentKeys.Written ci = key("ci");
        DevelopmentKeys.Written other = key("other");
        containers.then(RemoteBuildCacheTest::producesOneRpm).then(RemoteBuildCacheTest::producesOneRpm)
                .then(RemoteBuildCacheTest::producesOneRpm).then(RemoteBuildCacheTest::producesOneRpm);
        signing = signedBy(ci);
        build(module("a"), true);
        CacheKey key = onlyKey();
        assertThat(store.signature(key)).isRegularFile();

        signing = trusting(other);
        build(module("b"), false);
        assertThat(containers.started()).hasSize(2);
        // The signature names the signing subkey, not the primary key.
        assertThat(log.lines()).anyMatch(l -> l.matches(".*: it is signed by [0-9A-F]{40}, which is not one of"
                + " twoliter.cache.trustedKeys; building instead."));

        signing = trusting(ci);
        build(module("c"), false);
        assertThat(containers.started()).hasSize(2);
        assertThat(log.lines()).anyMatch(l -> l.startsWith("INFO com.example:pkg restored from the remote cache")
                && l.contains("signed by " + ci.fingerprint()));

        Files.writeString(store.entry(key), Files.readString(store.entry(key)).replace("plugin = \"test\"",
                "plugin = \"tset\""));
        build(module("d"), false);
        assertThat(containers.started()).hasSize(3);
        assertThat(log.lines()).anyMatch(l -> l.contains(": its signature by " + ci.fingerprint()
                + " does not match it (it was changed after signing); building instead."));

        Files.delete(store.signature(key));
        build(module("e"), false);
        assertThat(containers.started()).hasSize(4);
        assertThat(log.lines()).anyMatch(l -> l.contains(": it is not signed, and twoliter.cache.trustedKeys requires"
                + " signed entries; building instead."));
    }
}
