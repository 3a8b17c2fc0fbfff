// Shared by the ITs whose goals append to one build.log and whose checks read it in order: loaded
// with evaluate() from their verify.groovy.
//   cursor(log): a closure next(text) that finds text after the previous match (failing the IT
//   naming the text and where the search began) and returns where it starts.
def cursor(String log) {
    int from = 0
    return { String text ->
        int at = log.indexOf(text, from)
        assert at >= 0 : "not found after offset ${from}: ${text}"
        from = at + text.length()
        return at
    }
}

// The GRUB update cycle of boot-updates and boot-aarch64-updates, in the order the runs log it:
// 1.0.0 boots from bank A, 1.1.0 is written into bank B, tried once and confirmed, 1.2.0 panics in
// bank A and GRUB falls back to bank B, and the next run does not try 1.2.0 again.
//   grubUpdateCycle(log, machine): machine is text the first run's log shows once the machine starts.
def grubUpdateCycle(String log, String machine) {
    def next = cursor(log)
    next('published 1.0.0 to the update repository')
    next('no update newer than 1.0.0')
    next(machine)
    next('VERSION_ID="1.0.0"')
    next('twoliter-init: BANK=A')
    next('bank A (1.0.0) is the confirmed bank')
    // 1.1.0: written into bank B, tried once (under UEFI), confirmed.
    next('published 1.1.0 to the update repository')
    next('writing 1.1.0 into bank B (bank A runs 1.0.0) and trying it once')
    next('VERSION_ID="1.1.0"')
    next('twoliter-init: EFI_BOOT=yes')
    next('twoliter.bank=B')
    next('twoliter-init: BANK_CONFIRMED=B')
    next('bank B (1.1.0) is the confirmed bank: the OS in bank B confirmed the update to 1.1.0')
    // 1.2.0 panics: tried once in bank A, GRUB falls back to bank B on the next boot.
    next('published 1.2.0 to the update repository')
    next('writing 1.2.0 into bank A (bank B runs 1.1.0) and trying it once')
    next('Kernel panic')
    next('VERSION_ID="1.1.0"')
    next('twoliter-init: BANK=B')
    next('twoliter-init: FELL_BACK_FROM=A')
    next('the update to 1.2.0 failed: bank A was tried once and the kernel panicked')
    next('GRUB fell back to bank B (1.1.0), which booted')
    // The next run does not try 1.2.0 again, and 1.1.0 keeps booting.
    next('1.2.0 failed on this disk before; it is not tried again')
    next('VERSION_ID="1.1.0"')
    next('bank B (1.1.0) is the confirmed bank; bank A\'s last try failed')
    return true
}
return this
