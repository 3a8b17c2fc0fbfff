// The RPM's build recorded its environment with `env -0` in %build; compare it with the documented list.
def rpmFile = new File(basedir, 'target/rpms/envcheck-1.0-1.x86_64.rpm')
assert rpmFile.isFile()
def out = new File(basedir, 'target/extracted')
out.mkdirs()
def p = ['sh', '-c', 'rpm2cpio "$1" | cpio -idm --quiet', 'sh', rpmFile.path].execute(null, out)
assert p.waitFor() == 0

def env = [:]
new File(out, 'usr/share/envcheck/build-env').text.split('\u0000').findAll { it }.each {
    def i = it.indexOf('=')
    env[it.substring(0, i)] = it.substring(i + 1)
}

// The documented list (docs/rpm-packaging.md, "The build environment").
assert env.PATH == '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
assert env.HOME == '/work/home'
assert env.LC_ALL == 'C.UTF-8'
assert env.TZ == 'UTC'
assert env.SOURCE_DATE_EPOCH == '1767225600'
def documented = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'SOURCE_DATE_EPOCH']
def fromRpm = ['RPM_SOURCE_DIR', 'RPM_BUILD_DIR', 'RPM_OPT_FLAGS', 'RPM_ARCH', 'RPM_OS', 'RPM_BUILD_NCPUS',
               'RPM_DOC_DIR', 'RPM_PACKAGE_NAME', 'RPM_PACKAGE_VERSION', 'RPM_PACKAGE_RELEASE', 'RPM_BUILD_ROOT',
               'PKG_CONFIG_PATH']
def fromShell = ['PWD', 'SHLVL', '_', 'OLDPWD']
def unexpected = env.keySet() - documented - fromRpm - fromShell
assert unexpected.isEmpty() : "variables outside the documented build environment: ${unexpected}"
// Nothing of the step (TARGET_ARCH, SPEC_NAME, KIT_REPOS, FORCE_ARCH, ARCH_MACROS, EXIT_*) nor Docker's HOSTNAME.
assert !env.keySet().any { it.startsWith('EXIT_') || it in ['TARGET_ARCH', 'SPEC_NAME', 'KIT_REPOS', 'HOSTNAME'] }

// The binary make linked runs (the build machine is x86_64 like the target).
def run = [new File(out, 'usr/bin/envcheck').path].execute()
assert run.text.trim() == "built with make's implicit rules"
assert run.waitFor() == 0
