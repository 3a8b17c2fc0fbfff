def project = new File(basedir, 'project/my-tool')
assert new File(project, 'my-tool.spec').text.contains('%{buildroot}%{_cross_sysconfdir}/%{name}/%{name}.conf')
assert new File(project, 'target/rpms/my-tool-1.0-1.noarch.rpm').isFile()
return true
