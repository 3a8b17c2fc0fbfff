// The runs, in order (each goal appends to the same log).
return evaluate(new File(itSupport, 'log-order.groovy'))
        .grubUpdateCycle(new File(basedir, 'build.log').text, 'qemu-system-x86_64 ')
