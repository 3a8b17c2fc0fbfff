def log = new File(basedir, 'build.log').text
// The runs, in order (each goal appends to the same log).
def from = 0
def next = { String text ->
    int at = log.indexOf(text, from)
    assert at >= 0 : "not found after offset ${from}: ${text}"
    from = at + text.length()
    return at
}
// 1.0.0: a new kept disk, nothing newer in the repository, bank A boots (under AAVMF).
next('published 1.0.0 to the update repository')
next('no update newer than 1.0.0')
next('qemu-system-aarch64 ')
next('VERSION_ID="1.0.0"')
next('twoliter-init: BANK=A')
next('bank A (1.0.0) is the confirmed bank')
// 1.1.0: written into bank B, tried once, confirmed.
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
