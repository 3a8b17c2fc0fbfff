package dev.twoliter.engine.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.bank.UkiEntries.Entry;
import dev.twoliter.engine.bank.UkiEntries.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class UkiEntriesTest {
    @Test
    void aNewImageHasBankAConfirmedAndNoBankB() {
        UkiEntries entries = UkiEntries.parse(List.of("twoliter-a.efi"));
        assertThat(entries.entry(Bank.A)).contains(new Entry("twoliter-a.efi", Status.CONFIRMED, 0, 0));
        assertThat(entries.entry(Bank.B)).isEmpty();
        assertThat(entries.others()).isEmpty();
    }

    @Test
    void aTryCountsDownAsSystemdBootRenamesIt() {
        assertThat(UkiEntries.tryFileName(Bank.B)).isEqualTo("twoliter-b+1-0.efi");
        assertThat(UkiEntries.parse(List.of("twoliter-a.efi", "twoliter-b+1-0.efi")).entry(Bank.B))
                .contains(new Entry("twoliter-b+1-0.efi", Status.TRYING, 1, 0));
        UkiEntries afterTheTry = UkiEntries.parse(List.of("twoliter-b+0-1.efi", "twoliter-a.efi"));
        assertThat(afterTheTry.entry(Bank.B)).contains(new Entry("twoliter-b+0-1.efi", Status.FAILED, 0, 1));
        assertThat(afterTheTry.confirmed(Bank.B)).isFalse();
        assertThat(UkiEntries.parse(List.of("twoliter-a.efi", "twoliter-b.efi")).confirmed(Bank.B)).isTrue();
        assertThat(UkiEntries.parse(List.of("twoliter-a+3.efi")).entry(Bank.A))
                .contains(new Entry("twoliter-a+3.efi", Status.TRYING, 3, 0));
    }

    @Test
    void namesThatAreNotExactlyABanksEntryAreOthers() {
        List<String> odd = List.of("TWOLITER-A.EFI", "twoliter-c.efi", "twoliter-a+.efi", "twoliter-a+1-.efi",
                "twoliter-a+12345-0.efi", "twoliter-a.efi.bak", "twoliter-a-0-1.efi", "other_1.0.efi", "");
        UkiEntries entries = UkiEntries.parse(odd);
        assertThat(entries.banks()).isEmpty();
        assertThat(entries.others()).containsExactlyElementsOf(odd);
        assertThat(entries.confirmed(Bank.A)).isFalse();
    }

    @Test
    void twoEntriesForOneBankAreRefused() {
        assertThatThrownBy(() -> UkiEntries.parse(List.of("twoliter-b.efi", "twoliter-b+0-1.efi")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("EFI/Linux has two entries for bank B: twoliter-b.efi and twoliter-b+0-1.efi");
    }
}
