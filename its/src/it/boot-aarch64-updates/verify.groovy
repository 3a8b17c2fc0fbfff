// The runs, in order (each goal appends to the same log), the machines on qemu-system-aarch64 under AAVMF.
return evaluate(new File(itSupport, 'log-order.groovy'))
        .grubUpdateCycle(new File(basedir, 'build.log').text, 'qemu-system-aarch64 ')
