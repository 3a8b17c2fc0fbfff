// Only with example kits built for aarch64 (its.aarch64KitsRepository; see it-support/aarch64-kits.groovy).
return evaluate(new File(itSupport, 'aarch64-kits.groovy')).available(aarch64Kits)
