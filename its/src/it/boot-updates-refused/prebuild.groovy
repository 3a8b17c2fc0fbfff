// invoker clones the project over what an earlier run left: start without its repositories and disk.
new File(basedir, 'target').deleteDir()
return true
