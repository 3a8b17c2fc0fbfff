// Plays a vendor's CI for the prebuilt-RPM ITs: make-prebuilt-rpms.sh builds and signs RPMs with a
// throwaway key inside the SDK image, without network. Usage, from a prebuild script:
//   def out = evaluate(new File(itSupport, 'vendor-ci.groovy')).make(binding)
// returns the directory holding vendor.asc, other.asc and signed/, unsigned/, other-key/.
class VendorCi {
    static String run(List<String> cmd) {
        def p = new ProcessBuilder(cmd*.toString()).redirectErrorStream(true).start()
        def out = p.inputStream.text
        assert p.waitFor() == 0 : "${cmd}: ${out}"
        out
    }

    static File make(Binding binding) {
        // Outside target/: a first invocation may clean the project.
        def out = new File(binding.basedir as File, 'vendor-ci')
        out.mkdirs()
        def owner = run(['id', '-u']).trim() + ':' + run(['id', '-g']).trim()
        run(['docker', 'run', '--rm', '--network', 'none', '-e', "OWNER=${owner}", '-v',
             "${binding.itSupport}/make-prebuilt-rpms.sh:/make.sh:ro", '-v', "${out.path}:/out",
             binding.sdkImage as String, 'bash', '/make.sh'])
        out
    }
}
return VendorCi
