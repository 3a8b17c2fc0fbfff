// Temporaries named as the plugin names them: two of a process that no longer exists on this host
// (swept by the next build), one of this very JVM, which is alive (left alone).
def host = new File('/etc/hostname').text.trim().replaceAll('[^A-Za-z0-9-]', '-')
def self = ProcessHandle.current()
// The start as the plugin reads it: field 22 of /proc/<pid>/stat, counted after the command name.
def stat = new File("/proc/${self.pid()}/stat").text
def selfStart = stat.substring(stat.lastIndexOf(')') + 2).trim().split(' ')[19]
def sources = new File(basedir, 'target/cache/sources/drip.bin/ca073ef2daf10b6e3b761d5db007b8f609c7de85419ed2319fdfd35cc4c4e1f7feb61e5618d9d574552b7e2788d674d7144ea2062b1500173528afb3352e55a4')
def kits = new File(basedir, 'target/cache/kits')
sources.mkdirs(); kits.mkdirs()
new File(sources, ".download.${host}.4194303.1.deadbeef.part").text = 'half a download'
def unpack = new File(kits, ".unpack.${host}.4194303.1.deadbeef.part/Packages/x")
unpack.mkdirs(); new File(unpack, 'x.rpm').text = 'half a kit'
new File(sources, ".download.${host}.${self.pid()}.${selfStart}.0badcafe.part").text = 'a live download'
return true
