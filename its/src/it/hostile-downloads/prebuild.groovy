// The file the hostile server serves (and stalls, truncates) for this IT: 64 KiB of known bytes.
def files = new File(hostileData, 'files')
files.mkdirs()
def data = new byte[65536]
for (int i = 0; i < data.length; i++) { data[i] = (byte) (i % 251) }
new File(files, 'source.bin').bytes = data
return true
