def log = new File(basedir, 'build.log').text
// The runs, in order (each goal appends to the same log).
def next = evaluate(new File(itSupport, 'log-order.groovy')).cursor(log)
// 1.0.0: published as one signed UKI per bank (no boot partition image); a new kept disk boots bank A
// under Secure Boot.
next('published 1.0.0 to the update repository')
next('  uki-a: boot-updates-uki-x86_64-1.0.0-uki-a.efi')
next('  uki-b: boot-updates-uki-x86_64-1.0.0-uki-b.efi')
next('no update newer than 1.0.0')
next('Secure Boot enforced')
next('VERSION_ID="1.0.0"')
next('twoliter.bank=A')
next('twoliter-init: BANK=A')
next('twoliter-init: BANK_CONFIRMED=already')
next('bank A (1.0.0) is the confirmed bank')
// 1.1.0: bank B's UKI written as a one-try entry, started by systemd-boot, confirmed by the OS.
next('published 1.1.0 to the update repository')
next('writing 1.1.0 into bank B (bank A runs 1.0.0) and trying it once')
next('Secure Boot enforced')
next('twoliter: wrote EFI/Linux/twoliter-b+1-0.efi')
next('VERSION_ID="1.1.0"')
next('twoliter.bank=B')
next('twoliter-init: BANK=B')
next('twoliter-init: BANK_CONFIRMED=B (twoliter-b+0-1.efi is now twoliter-b.efi)')
next('bank B (1.1.0) is the confirmed bank: the OS in bank B confirmed the update to 1.1.0')
// 1.2.0 panics: bank A's UKI replaced by a one-try entry, tried once; systemd-boot falls back to B.
next('published 1.2.0 to the update repository')
next('writing 1.2.0 into bank A (bank B runs 1.1.0) and trying it once')
next('twoliter: removed EFI/Linux/twoliter-a.efi')
next('twoliter: wrote EFI/Linux/twoliter-a+1-0.efi')
next('Kernel panic')
next('VERSION_ID="1.1.0"')
next('twoliter-init: BANK=B')
next('the update to 1.2.0 failed: bank A was tried once and the kernel panicked')
next('systemd-boot fell back to bank B (1.1.0), which booted')
// The next run does not try 1.2.0 again, and 1.1.0 keeps booting.
next('1.2.0 failed on this disk before; it is not tried again')
next('VERSION_ID="1.1.0"')
next('bank B (1.1.0) is the confirmed bank; bank A\'s last try failed')
def facts = new File(basedir, 'target/twoliter/run-disk/disk.toml').text
assert facts.contains('loader = "uki"') : facts
assert facts.contains('bank-b = "1.1.0"') : facts
assert facts.contains('"1.2.0"') : facts
return true
