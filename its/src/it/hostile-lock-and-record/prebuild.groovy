new File(basedir, 'twoliter.lock').text = new File(basedir, 'bad.lock').text
return true
