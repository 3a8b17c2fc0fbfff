// Run by its/example-kits only where the kit is built in place, never in a clone (-Dinvoker.test in
// another module could otherwise ask for one).
return basedir.canonicalFile == new File(examplesDir, basedir.name).canonicalFile
