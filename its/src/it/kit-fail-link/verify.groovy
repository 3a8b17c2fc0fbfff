def log = new File(basedir, 'build.log').text
assert log =~ /kit com\.example\.vendor:link-kit:1\.0\.0 \(x86_64 payload \S+link-kit-1\.0\.0-x86_64\.tar\) contains 'Packages\/ping\/ping-1\.0-1\.noarch\.rpm', which is a symbolic link to '\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd'; kit payloads hold only regular files and directories; refused\./
