package dev.twoliter.engine.prebuilt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.Terms;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrebuiltDeclarationTest {
    static final String SHA = "ab".repeat(64);

    static PrebuiltDeclaration.Declared file(String path) {
        return new PrebuiltDeclaration.Declared(path, null, null, null, null, null, null, "agent", null, "2.1", "4");
    }

    private static List<PrebuiltDeclaration> validate(PrebuiltDeclaration.Declared... entries) throws Exception {
        return PrebuiltDeclaration.validate("x:m", List.of(entries), Terms.PLAIN);
    }

    @Test
    void takesTheThreeOrigins() throws Exception {
        List<PrebuiltDeclaration> d = validate(file("rpms/agent.rpm"),
                new PrebuiltDeclaration.Declared(null, "https://u:p@vendor.example/dl/agent.rpm", SHA.toUpperCase(), null,
                        null, null, null, "agent", 3L, "2.1", "4"),
                new PrebuiltDeclaration.Declared(null, null, null, null, null, null, "com.vendor:agent:2.1:rpm:x86_64",
                        "agent", null, "2.1", "4"));
        assertThat(d.get(0).origin()).isEqualTo(new PrebuiltOrigin.ModuleFile("rpms/agent.rpm"));
        assertThat(d.get(0).nevr()).isEqualTo("agent-2.1-4");
        assertThat(d.get(1).origin().describe()).doesNotContain("u:p").contains("vendor.example");
        assertThat(d.get(1).origin().url()).get().asString().doesNotContain("u:p");
        assertThat(d.get(1).origin().fileName()).isEqualTo("agent.rpm");
        assertThat(d.get(1).sha512()).contains(SHA);
        assertThat(d.get(1).nevr()).isEqualTo("agent-3:2.1-4");
        PrebuiltOrigin.Artifact a = (PrebuiltOrigin.Artifact) d.get(2).origin();
        assertThat(a.coordinates()).isEqualTo("com.vendor:agent:2.1:rpm:x86_64");
        assertThat(a.purl()).contains("pkg:maven/com.vendor/agent@2.1?type=rpm&classifier=x86_64");
        assertThat(a.fileName()).isEqualTo("agent-2.1-x86_64.rpm");
        assertThat(((PrebuiltOrigin.Artifact) validate(new PrebuiltDeclaration.Declared(null, null, null, null, null,
                null, "g:a:1", "a", null, "1", "1")).get(0).origin()).extension()).isEqualTo("rpm");
    }

    @Test
    void exactlyOneOrigin() {
        assertThatThrownBy(() -> validate(new PrebuiltDeclaration.Declared(null, null, null, null, null, null, null,
                "agent", null, "2.1", "4"))).hasMessageContaining("x:m: the prebuilt rpms setting entry 1 needs exactly one of");
        assertThatThrownBy(() -> validate(new PrebuiltDeclaration.Declared("a.rpm", "https://h/a.rpm", SHA, null, null,
                null, null, "agent", null, "2.1", "4"))).hasMessageContaining("found 2");
    }

    @Test
    void theIdentityIsChecked() {
        assertThatThrownBy(() -> validate(new PrebuiltDeclaration.Declared("a.rpm", null, null, null, null, null, null,
                "bad name", null, "2.1", "4"))).hasMessageContaining("needs <name>").hasMessageContaining("'bad name'");
        assertThatThrownBy(() -> validate(new PrebuiltDeclaration.Declared("a.rpm", null, null, null, null, null, null,
                "agent", null, "2-1", "4"))).hasMessageContaining("needs <version>");
        assertThatThrownBy(() -> validate(new PrebuiltDeclaration.Declared("a.rpm", null, null, null, null, null, null,
                "agent", null, "2.1", null))).hasMessageContaining("needs <release>");
        assertThatThrownBy(() -> validate(new PrebuiltDeclaration.Declared("a.rpm", null, null, null, null, null, null,
                "agent", -1L, "2.1", "4"))).hasMessageContaining("<epoch> -1");
        assertThatThrownBy(() -> validate(new PrebuiltDeclaration.Declared("a.rpm", null, "abc", null, null, null, null,
                "agent", null, "2.1", "4"))).hasMessageContaining("<sha512> that is not 128 hex");
    }

    @Test
    void pathsStayInTheModule() {
        for (String path : List.of("../x.rpm", "/etc/x.rpm", "a/../../x.rpm", "a//x.rpm", "./x.rpm", "a\\x.rpm",
                "x\n.rpm")) {
            assertThatThrownBy(() -> validate(file(path))).as(path).hasMessageContaining("relative to the module");
        }
    }

    @Test
    void urlsNeedASha512AndArtifactsCoordinates() {
        assertThatThrownBy(() -> validate(new PrebuiltDeclaration.Declared(null, "https://h/a.rpm", null, null, null,
                null, null, "agent", null, "2.1", "4"))).hasMessageContaining("sha512");
        assertThatThrownBy(() -> validate(new PrebuiltDeclaration.Declared(null, "ftp://h/a.rpm", SHA, null, null,
                null, null, "agent", null, "2.1", "4"))).hasMessageContaining("ftp://h/a.rpm");
        assertThatThrownBy(() -> validate(new PrebuiltDeclaration.Declared(null, null, null, null, null, null,
                "g:a", "agent", null, "2.1", "4"))).hasMessageContaining("groupId:artifactId:version[:extension[:classifier]]");
        assertThatThrownBy(() -> validate(new PrebuiltDeclaration.Declared(null, null, null, null, null, null,
                "g:a:1:rpm:x:y", "agent", null, "2.1", "4"))).hasMessageContaining("'g:a:1:rpm:x:y'");
    }

    @Test
    void entriesAreBoundedAndUnique() {
        List<PrebuiltDeclaration.Declared> many = new ArrayList<>(Collections.nCopies(
                PrebuiltDeclaration.MAX_ENTRIES + 1, file("a.rpm")));
        assertThatThrownBy(() -> PrebuiltDeclaration.validate("x:m", many, Terms.PLAIN))
                .hasMessageContaining("lists 257 RPMs; at most 256");
        assertThatThrownBy(() -> validate(file("a.rpm"), file("a.rpm"))).hasMessageContaining("module file a.rpm twice");
        assertThat(Optional.empty()).isEmpty();
    }
}
