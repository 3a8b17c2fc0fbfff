def p = ['python3', new File(basedir, 'make_hostile.py').path, basedir.path].execute()
assert p.waitFor() == 0 : p.err.text
return true
