package dev.twoliter.maven;

/** {@code <imageLayout>} of a variant: disk sizes, partition plan and A/B banks. */
public class ImageLayout {
    /** Size of the OS disk in GiB; partition sizes scale with it. */
    int osImageSizeGib = 2;

    /** Size of the data partition (unified) or data disk (split) in GiB. */
    int dataImageSizeGib = 1;

    /** {@code split}: the data partition on a disk of its own; {@code unified}: on the OS disk. */
    String partitionPlan = "split";

    /** A/B partition banks for in-place updates; off: one bank of double size. */
    boolean inPlaceUpdates = true;
}
