def run = { List<String> cmd ->
    def p = cmd.execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    assert p.exitValue() == 0 : "${cmd}: ${err}"
    out.toString()
}
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 4

// 1. The program's automatic Requires name its library's soname and the C runtime's.
def widgetRpm = new File(basedir, 'packages/widget/target/rpms/widget-1.0-1.x86_64.rpm')
def requires = run(['rpm', '-qpR', widgetRpm.path])
assert requires.contains('libwidget.so.1()(64bit)') && requires.contains('libc.so.6()(64bit)')
// widget-kit: met through its kit dependency (the library) and its declared base (the C runtime).
assert runs[0].contains('com.example.closure:widget-kit: closure checked: every requirement of its 1 package(s) is met.')
assert runs[0].contains('com.example.closure:widget-lib-kit: closure checked: every requirement of its 2 package(s) is met.')
assert runs[0].contains('com.example.closure:widget-os: closure checked:')
assert runs[0].contains('BUILD SUCCESS')
// The base is recorded as assumed, not as a dependency: consumers bring it themselves.
def manifest = new File(basedir, 'kits/widget-kit/target/widget-kit-1.0.0.kit.toml').text
assert manifest.contains('[closure]\nchecked = true\n')
assert manifest.contains('[[closure.base]]\ngroup-id = "com.example.closure"\nartifact-id = "base-kit"\n')
assert manifest.contains('[[kit-dependency]]\ngroup-id = "com.example.closure"\nartifact-id = "widget-lib-kit"\n')
assert !manifest.contains('[[kit-dependency]]\ngroup-id = "com.example.closure"\nartifact-id = "base-kit"')
assert !manifest.contains('[[closure.exception]]')

// 2. The program alone: refused at package, naming the package, the soname and the kit that has it.
assert runs[1].contains('BUILD FAILURE')
assert runs[1].contains('com.example.closure:lonely-kit: package widget-1.0-1.x86_64 requires libwidget.so.1()(64bit),'
        + ' which neither the kit, its kit dependencies (none) nor the declared base (kit com.example.closure:base-kit:1.0.0)'
        + ' provide; kit com.example.closure:widget-lib-kit:1.0.0 (this build) has libwidget-1.0-1.x86_64, which'
        + ' provides it: add that kit as a dependency, or declare the requirement as an exception.')
assert runs[1].contains('<closureExceptions><closureException><requirement>')
assert !runs[1].contains('com.example.closure:lonely-kit: kit manifest') && !runs[1].contains('Building kit com.example.closure:lonely-kit')

// 3. Declared as an exception: built, the exception and its reason recorded in the manifest.
assert runs[2].contains('BUILD SUCCESS')
assert runs[2].contains('com.example.closure:lonely-kit: widget-1.0-1.x86_64 requires libwidget.so.1()(64bit), left'
        + ' unmet on purpose: the widget library comes with the host\'s widget driver')
def lonely = new File(basedir, 'kits/lonely-kit/target/lonely-kit-1.0.0.kit.toml').text
assert lonely.contains('[[closure.exception]]\nrequirement = "libwidget.so.1()(64bit)"\nreason = "the widget library'
        + ' comes with the host\'s widget driver"\n')

// 4. A variant without the base kit: refused before dnf runs, naming the C runtime's soname.
assert runs[3].contains('BUILD FAILURE')
assert runs[3].contains('com.example.closure:widget-os: the variant\'s install would fail: kit'
        + ' com.example.closure:widget-kit:1.0.0: 4 requirements are met neither by its own packages, the variant\'s other'
        + ' packages and kits (the variant\'s local packages, kit com.example.closure:widget-lib-kit:1.0.0)')
assert runs[3].contains('  - package widget-1.0-1.x86_64 requires libc.so.6()(64bit); no other known kit provides it'
        + ' either: add a package or a kit that provides it to the variant')
assert !runs[3].contains('Installing widget')
return true
