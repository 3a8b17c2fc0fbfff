evaluate(new File(itSupport, 'aarch64-kits.groovy')).install(aarch64Kits, new File(basedir, 'target/m2'))
return true
