package dev.twoliter.engine.closure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequirementTest {
    @Test
    void readsPlainDependenciesInRpmsTextForm() throws Exception {
        Capability soname = Capability.parse("libfoo.so.1()(64bit)");
        assertThat(soname.name()).isEqualTo("libfoo.so.1()(64bit)");
        assertThat(soname.relation()).isEqualTo(Relation.ANY);
        assertThat(soname.evr()).isNull();

        Capability bar = Capability.parse("bar >= 1:2.3-4");
        assertThat(bar.relation()).isEqualTo(Relation.GREATER_OR_EQUAL);
        assertThat(bar.evr()).isEqualTo(new Evr("1:2.3-4", 1, "2.3", "4"));

        assertThat(Capability.parse("/usr/bin/sh").isFile()).isTrue();
        Capability rpmlib = Capability.parse("rpmlib(PayloadIsZstd) <= 5.4.18-1");
        assertThat(rpmlib.isRpmlib()).isTrue();
        assertThat(rpmlib.evr().release()).isEqualTo("1");
        assertThat(Capability.parse("perl(Foo::Bar) = 0.5").toString()).isEqualTo("perl(Foo::Bar) = 0.5");
        assertThat(Capability.parse("font(:lang=en)").name()).isEqualTo("font(:lang=en)");
        assertThat(Capability.parse("kernel(printk) = 0x12ab34cd").evr().version()).isEqualTo("0x12ab34cd");
        assertThat(Capability.parse("foo == 1.0~rc1^git2").toString()).isEqualTo("foo = 1.0~rc1^git2");
        assertThat(Capability.parse("foo => :1.0").evr().epoch()).isZero();
        assertThat(Requirement.parse("  config(greet) = 1.0-1 ")).hasToString("config(greet) = 1.0-1");
    }

    @Test
    void readsRichDependenciesIntoATreeAndWritesThemAsRpmbuildDoes() throws Exception {
        Requirement r = Requirement.parse("(a or (b  and c >= 2) or d)");
        assertThat(r).isInstanceOf(Requirement.Rich.class);
        Requirement.Rich rich = (Requirement.Rich) r;
        assertThat(rich.operator()).isEqualTo(RichOperator.OR);
        assertThat(rich.operands()).hasSize(3);
        assertThat(rich.operands().get(1)).isEqualTo(new Requirement.Rich(RichOperator.AND, java.util.List.of(
                new Requirement.Single(Capability.parse("b")), new Requirement.Single(Capability.parse("c >= 2")))));
        assertThat(r).hasToString("(a or (b and c >= 2) or d)");
        assertThat(r.capabilities()).extracting(Capability::name).containsExactly("a", "b", "c", "d");

        assertThat(Requirement.parse("(a if b else c)")).hasToString("(a if b else c)")
                .satisfies(x -> assertThat(((Requirement.Rich) x).hasElse()).isTrue());
        assertThat(Requirement.parse("(a unless b)")).hasToString("(a unless b)");
        assertThat(Requirement.parse("(a unless b else c)")).hasToString("(a unless b else c)");
        assertThat(Requirement.parse("(a with b with c)")).hasToString("(a with b with c)");
        assertThat(Requirement.parse("(a without b)")).hasToString("(a without b)");
        assertThat(Requirement.parse("((a with b) or (c without d))")).hasToString("((a with b) or (c without d))");
        assertThat(Requirement.parse("(libfoo.so.1()(64bit) or /usr/bin/foo)").capabilities())
                .extracting(Capability::name).containsExactly("libfoo.so.1()(64bit)", "/usr/bin/foo");
        assertThat(Requirement.parse("(python3dist(requests) >= 2.0)")).hasToString("(python3dist(requests) >= 2.0)");
        assertThat(Requirement.parse("((a))")).hasToString("((a))");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "foo >=", "foo >= 1 2", "foo ~> 1", "foo bar", "foo >= 1.0-1-2", "foo = a:1",
        "foo = 1:2:3", "foo = 1.0-", "foo = 1.0@", "/usr/bin/sh >= 1", "a,b", "foo\tbar", "foo\n",
        "()", "( )", "(a", "(a or)", "(or a)", "(a or b", "(a or b))", "(a or b) c", "(a xor b)",
        "(a and b or c)", "(a if b if c)", "(a unless b unless c)", "(a without b without c)", "(a else b)",
        "(a and b else c)", "(a if b else c else d)", "(a if b else c and d)", "(a with (b and c))",
        "(a without (b if c))", "((b or (c and d)) with a)", "(a >= )", "(a >=)", "(a = 1.0 b)", "(a or ,b)",
        "(a or (b)", "(/usr/bin/sh > 1 or b)"})
    void refusesWhatRpmWouldNotWrite(String text) {
        assertThatThrownBy(() -> Requirement.parse(text)).isInstanceOf(DependencySyntaxException.class);
    }

    @Test
    void namesWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> Requirement.parse("(a xor b)")).hasMessage("the requirement '(a xor b)' is"
                + " malformed at character 4: unknown rich dependency operator 'xor' (known: and, or, if, else, unless,"
                + " with, without)");
        assertThatThrownBy(() -> Requirement.parse("(a and b or c)")).hasMessageContaining("character 10: different"
                + " operators at one level need parentheses");
        assertThatThrownBy(() -> Requirement.parse("(a with (b and c))")).hasMessageContaining("'with' may only join"
                + " plain dependencies or rich ones made with or, with and without, not (b and c)");
        assertThatThrownBy(() -> Requirement.parse("(a or b >= x:1)")).hasMessageContaining("character 7: the version"
                + " 'x:1' is not [epoch:]version[-release]");
        assertThatThrownBy(() -> Capability.parse("/usr/bin/sh >= 1")).hasMessage("the file dependency '/usr/bin/sh'"
                + " has a version; a file has none");
        assertThatThrownBy(() -> Capability.parse("(a or b)")).hasMessageContaining("starts with '('");
    }

    @Test
    void boundsLengthAndNesting() throws Exception {
        String deep = "(".repeat(Requirement.MAX_DEPTH) + "a" + ")".repeat(Requirement.MAX_DEPTH);
        assertThat(Requirement.parse(deep)).hasToString(deep);
        String deeper = "(" + deep + ")";
        assertThatThrownBy(() -> Requirement.parse(deeper)).hasMessageContaining("nested deeper than 32 levels");
        String hostile = "(".repeat(100_000);
        assertThatThrownBy(() -> Requirement.parse(hostile)).hasMessageContaining("at most 8192 characters");
        String longName = "a".repeat(Requirement.MAX_LENGTH + 1);
        assertThatThrownBy(() -> Requirement.parse(longName)).isInstanceOf(DependencySyntaxException.class);
        String longVersion = "a = " + "1".repeat(Evr.MAX_LENGTH + 1);
        assertThatThrownBy(() -> Requirement.parse(longVersion)).hasMessageContaining("longer than 1024");
    }
}
