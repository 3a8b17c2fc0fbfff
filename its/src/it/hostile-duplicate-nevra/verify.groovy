def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 2 : "expected 2 runs, found ${runs.size()}"
assert runs[0].contains('com.example.hostile:dup-kit: the kit would hold same-1.0-1.noarch twice: built by module first (Packages/first/same-1.0-1.noarch.rpm) and by module second (Packages/second/same-1.0-1.noarch.rpm).')
assert !new File(basedir, 'kits/dup-kit/target/dup-kit-1.0.0.kit.toml').exists() || runs[1].contains('BUILD SUCCESS')
assert runs[1].contains('BUILD SUCCESS')
def manifest = new File(basedir, 'kits/dup-kit/target/dup-kit-1.0.0.kit.toml').text
assert manifest.contains('path = "Packages/first/same-1.0-1.noarch.rpm"') && !manifest.contains('Packages/second')
return true
