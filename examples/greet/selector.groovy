// Run by its/examples only in a clone, never in place (-Dinvoker.test in its/example-kits, which
// builds the kits in place, could otherwise ask for it).
return basedir.canonicalFile != new File(examplesDir, 'greet').canonicalFile
