package dev.twoliter.engine.prebuilt;

import dev.twoliter.engine.Syntax;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an RPM file's header says about the package, read in Java so that a wrong package is refused
 * before any container starts. Only the lead and the two headers are read (the payload's digests
 * and the signatures are checked by rpm itself in the SDK, see {@link SignatureCheckStep}); every
 * count and offset is bounded, since the file comes from outside the project.
 */
public record RpmHeader(String name, long epoch, String version, String release, String arch, String license) {
    private static final int LEAD_BYTES = 96;
    private static final int LEAD_MAGIC = 0xedabeedb;
    private static final int HEADER_MAGIC = 0x8eade801;
    /** rpm's own limits (HEADER_TAGS_MAX, and a data size far above any real header). */
    private static final int MAX_TAGS = 0xffff;
    private static final int MAX_DATA = 64 << 20;
    private static final int TAG_NAME = 1000;
    private static final int TAG_VERSION = 1001;
    private static final int TAG_RELEASE = 1002;
    private static final int TAG_EPOCH = 1003;
    private static final int TAG_LICENSE = 1014;
    private static final int TAG_ARCH = 1022;
    private static final int TAG_SOURCERPM = 1044;
    private static final int TYPE_INT32 = 4;
    private static final int TYPE_STRING = 6;

    /** Thrown with what is wrong with the file, in words that follow "is not a binary RPM: ". */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String reason) {
            super(reason);
        }
    }

    /** {@code name-[epoch:]version-release.arch}, as rpm prints a package. */
    public String nevra() {
        return name + "-" + (epoch == 0 ? "" : epoch + ":") + version + "-" + release + "." + arch;
    }

    /** The file name rpmbuild would give the package, which dependants sort RPMs by arch with. */
    public String fileName() {
        return name + "-" + version + "-" + release + "." + arch + ".rpm";
    }

    public static RpmHeader read(Path file) throws Unreadable, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    static RpmHeader read(InputStream raw) throws Unreadable, IOException {
        DataInputStream in = new DataInputStream(raw);
        try {
            byte[] lead = in.readNBytes(LEAD_BYTES);
            if (lead.length < LEAD_BYTES || ByteBuffer.wrap(lead).getInt() != LEAD_MAGIC) {
                throw new Unreadable("it does not start with the RPM lead");
            }
            if (ByteBuffer.wrap(lead, 6, 2).getShort() != 0) {
                throw new Unreadable("it is a source RPM");
            }
            int signatureData = skipHeader(in, "signature header", null);
            // The signature header is padded to a multiple of 8 bytes.
            in.skipNBytes((8 - signatureData % 8) % 8);
            Tags tags = new Tags();
            skipHeader(in, "header", tags);
            return tags.header();
        } catch (EOFException e) {
            throw new Unreadable("the file ends inside its header (truncated?)");
        }
    }

    /** Reads one header structure; with {@code tags}, collects the wanted tags. Returns its data size. */
    private static int skipHeader(DataInputStream in, String what, Tags tags) throws Unreadable, IOException {
        if (in.readInt() != HEADER_MAGIC) {
            throw new Unreadable("its " + what + " has no header magic");
        }
        in.readInt();
        int count = in.readInt();
        int size = in.readInt();
        if (count < 1 || count > MAX_TAGS || size < 0 || size > MAX_DATA) {
            throw new Unreadable("its " + what + " declares " + count + " tags and " + size + " data bytes");
        }
        int[][] index = new int[count][];
        for (int i = 0; i < count; i++) {
            index[i] = new int[] {in.readInt(), in.readInt(), in.readInt(), in.readInt()};
        }
        byte[] data = in.readNBytes(size);
        if (data.length < size) {
            throw new EOFException();
        }
        if (tags != null) {
            for (int[] entry : index) {
                tags.take(entry[0], entry[1], entry[2], entry[3], data);
            }
        }
        return size;
    }

    /** The wanted tags of the main header as they are found. */
    private static final class Tags {
        private String name;
        private String version;
        private String release;
        private String arch;
        private String license = "";
        private long epoch;
        private boolean hasSourceRpm;

        void take(int tag, int type, int offset, int count, byte[] data) throws Unreadable {
            switch (tag) {
                case TAG_NAME -> name = string(tag, type, offset, data);
                case TAG_VERSION -> version = string(tag, type, offset, data);
                case TAG_RELEASE -> release = string(tag, type, offset, data);
                case TAG_ARCH -> arch = string(tag, type, offset, data);
                case TAG_LICENSE -> license = string(tag, type, offset, data);
                case TAG_SOURCERPM -> hasSourceRpm = true;
                case TAG_EPOCH -> {
                    if (type != TYPE_INT32 || count < 1 || offset < 0 || offset > data.length - 4) {
                        throw new Unreadable("its epoch tag is malformed");
                    }
                    epoch = ByteBuffer.wrap(data, offset, 4).getInt();
                }
                default -> { }
            }
        }

        private static String string(int tag, int type, int offset, byte[] data) throws Unreadable {
            if (type != TYPE_STRING || offset < 0 || offset >= data.length) {
                throw new Unreadable("its header tag " + tag + " is malformed");
            }
            int end = offset;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            if (end == data.length) {
                throw new Unreadable("its header tag " + tag + " is not terminated");
            }
            return new String(data, offset, end - offset, StandardCharsets.UTF_8);
        }

        RpmHeader header() throws Unreadable {
            if (!Syntax.isRpmName(name) || !Syntax.isRpmVersion(version) || !Syntax.isRpmVersion(release)
                    || !Syntax.isRpmArch(arch) || !Syntax.isRpmEpoch(epoch)) {
                throw new Unreadable("its header has no valid name, epoch, version, release and arch ("
                        + Syntax.show(name) + ", " + epoch + ", " + Syntax.show(version) + ", " + Syntax.show(release)
                        + ", " + Syntax.show(arch) + ")");
            }
            if (!hasSourceRpm) {
                throw new Unreadable("its header names no source RPM, so it is a source package");
            }
            return new RpmHeader(name, epoch, version, release, arch, Syntax.isOneLine(license, 4096) ? license : "");
        }
    }
}
