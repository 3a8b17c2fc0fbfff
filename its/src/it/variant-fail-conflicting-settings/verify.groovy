def log = new File(basedir, 'build.log').text
assert log.contains("com.example.os:bad-os: setting 'settings.motd.text' is set by both package alpha /usr/share/twoliter/settings.d/10-alpha.toml:2 and package beta /usr/share/twoliter/settings.d/20-beta.toml:1; packages may not override each other: set it in the variant's own settings to decide.")
assert !new File(basedir, 'variants/bad-os/target/image').exists()
