// A second SDK image, identical but for a label, so that its id differs from the kit's SDK.
def p = ['bash', '-c', "printf 'FROM ${sdkImage}\\nLABEL dev.twoliter.its=other\\n' | DOCKER_BUILDKIT=0 docker build -q -t twoliter-sdk:its-other -"].execute()
def out = p.text
assert p.waitFor() == 0 : out + p.err.text
return true
