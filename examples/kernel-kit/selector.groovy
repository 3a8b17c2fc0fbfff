// Run by its/ only where the kit is built in place (execution example-kits), never in a clone.
return !basedir.canonicalPath.contains('/its/target/')
