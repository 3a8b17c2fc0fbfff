def log = new File(basedir, 'build.log').text
assert log =~ /com\.example\.os:bad-os: the image is too small for its content: ROOT: its files need about \d+ MiB, the partition has 460 MiB\. Raise <imageLayout><osImageSizeGib> \(now 1\)\./
assert !new File(basedir, 'variants/bad-os/target/image/bad-os-1.0.0.variant.json').exists()
