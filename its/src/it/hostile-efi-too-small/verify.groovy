def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 2 : "expected 2 runs, found ${runs.size()}"
assert runs[0] =~ /com\.example\.hostile:efi-os: the image is too small for its content: EFI-SYSTEM: its files need \d+ KiB, the partition has 5 MiB\. The EFI system partition has a fixed size \(5 MiB\); ship smaller files under \/boot\/efi\./
assert !runs[0].contains('Raise <imageLayout><osImageSizeGib>')
assert runs[1].contains('BUILD SUCCESS')
assert new File(basedir, 'variants/efi-os/target/image/efi-os-1.0.0.variant.json').isFile()
return true
