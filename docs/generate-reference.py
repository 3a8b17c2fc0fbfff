#!/usr/bin/env python3
"""Regenerates docs/reference.md from the plugin descriptor.

Run after `mvn -pl twoliter-maven-plugin process-classes` (or any later phase); ReferenceDocTest
fails the build when the document and the descriptor disagree.
"""
import os
import re
import xml.etree.ElementTree as ET

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
root = ET.parse(os.path.join(repo, 'twoliter-maven-plugin/target/classes/META-INF/maven/plugin.xml')).getroot()


def plain(text):
    text = ' '.join((text or '').split())
    text = re.sub(r'<[^>]+>', '', text)
    return re.sub(r'\{@(?:code|link) #?([^}]*)\}', r'`\1`', text)


out = ['# Reference: packagings and goals', '',
       'Generated from the plugin descriptor by `docs/generate-reference.py` (`mvn twoliter:help -Ddetail`',
       'prints the same); `ReferenceDocTest` fails when the two disagree. Set parameters in the plugin\'s',
       '`<configuration>` or, where a property is given, with `-D<property>=…`.', '',
       '## Packagings', '',
       '| packaging | artifact (extension) | `package` phase runs | then |', '|---|---|---|---|',
       '| `rpm` | tar of the module\'s RPMs (`rpm.tar`) | `twoliter:rpm` | `install`, `deploy` (maven-install/deploy-plugin 3.1.4) |',
       '| `kit` | kit manifest (`kit.toml`); payloads attached as classifier `<arch>`, type `tar` | `twoliter:kit` | `install`, `deploy` |',
       '| `variant` | build manifest (`variant.json`); images attached ([variants.md](variants.md)) | `twoliter:variant` | `install`, `deploy`, then `twoliter:publish-update` ([updates.md](updates.md)) |',
       '', 'The packagings exist in a module when the plugin is declared with `<extensions>true</extensions>` in '
       '`<build><plugins>` (its own POM or a parent\'s).', '']
for mojo in root.find('mojos'):
    goal = mojo.findtext('goal')
    if goal == 'help':
        continue
    out += ['## `twoliter:%s`' % goal, '', plain(mojo.findtext('description')), '']
    if mojo.findtext('phase'):
        out += ['Bound by default to `%s`.' % mojo.findtext('phase'), '']
    defaults, props = {}, {}
    conf = mojo.find('configuration')
    for c in (conf if conf is not None else []):
        defaults[c.tag] = c.get('default-value')
        m = re.match(r'\$\{(.+)\}$', (c.text or '').strip())
        if m:
            props[c.tag] = m.group(1)
    rows = []
    for p in mojo.find('parameters'):
        if p.findtext('editable') == 'false':
            continue
        name = p.findtext('name')
        default = '`%s`' % defaults[name] if defaults.get(name) else ('(required)' if p.findtext('required') == 'true' else '—')
        prop = '`%s`' % props[name] if props.get(name) else '—'
        rows.append('| `%s` | %s | %s | %s |' % (name, prop, default, plain(p.findtext('description'))))
    out += (['| parameter | property | default | meaning |', '|---|---|---|---|'] + sorted(rows)) if rows else ['No parameters.']
    out.append('')
out.append('`mvn twoliter:help -Ddetail -Dgoal=<goal>` prints one goal\'s parameters.')
with open(os.path.join(repo, 'docs/reference.md'), 'w') as f:
    f.write('\n'.join(out) + '\n')
